// Where generated files go: the export folder on disk, or memory (tests), counting files per export part.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Sink {
  /** Write one file at an export-relative path (forward slashes). */
  write(path: string, data: string): void;
  readonly counts: Map<string, number>;
  readonly bytes: number;
}

function partOf(path: string): string {
  const i = path.indexOf('/');
  return i < 0 ? '(root)' : path.slice(0, i);
}

/** Synchronous writes: for hundreds of thousands of small files this beats promise-per-file on Node 20. */
export class FsSink implements Sink {
  readonly counts = new Map<string, number>();
  bytes = 0;
  private readonly dirs = new Set<string>();

  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  write(path: string, data: string): void {
    const full = join(this.root, path);
    const dir = dirname(full);
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    writeFileSync(full, data);
    const part = partOf(path);
    this.counts.set(part, (this.counts.get(part) ?? 0) + 1);
    this.bytes += Buffer.byteLength(data);
  }
}

/** Keeps every file in memory (tests and dry runs). */
export class MemorySink implements Sink {
  readonly counts = new Map<string, number>();
  readonly files = new Map<string, string>();
  bytes = 0;

  write(path: string, data: string): void {
    if (this.files.has(path)) throw new Error(`duplicate write: ${path}`);
    this.files.set(path, data);
    const part = partOf(path);
    this.counts.set(part, (this.counts.get(part) ?? 0) + 1);
    this.bytes += Buffer.byteLength(data);
  }
}
