// Where generated files go: the export folder on disk (optionally via a writer thread), or memory (tests).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface Sink {
  /** Write one file at an export-relative path (forward slashes). */
  write(path: string, data: string): void;
  /** Wait until every file is on disk (throws if a write failed). */
  close(): void;
  /** Stop without waiting (after an error elsewhere). */
  abort(): void;
  readonly counts: Map<string, number>;
  readonly bytes: number;
}

function partOf(path: string): string {
  const i = path.indexOf('/');
  return i < 0 ? '(root)' : path.slice(0, i);
}

abstract class CountingSink implements Sink {
  readonly counts = new Map<string, number>();
  bytes = 0;

  write(path: string, data: string): void {
    const part = partOf(path);
    this.counts.set(part, (this.counts.get(part) ?? 0) + 1);
    this.bytes += Buffer.byteLength(data);
    this.put(path, data);
  }

  protected abstract put(path: string, data: string): void;
  close(): void {}
  abort(): void {}
}

/** Synchronous writes on the calling thread: for many small files this beats promise-per-file on Node 20. */
export class FsSink extends CountingSink {
  private readonly dirs = new Set<string>();

  constructor(private readonly root: string) {
    super();
    mkdirSync(root, { recursive: true });
  }

  protected put(path: string, data: string): void {
    const full = join(this.root, path);
    const dir = dirname(full);
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    writeFileSync(full, data);
  }
}

// The writer thread: plain JavaScript (evaluated, so it needs no TypeScript loader in the worker).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const state = new Int32Array(workerData.state);
const errorBytes = new Uint8Array(workerData.error);
const dirs = new Set();
parentPort.on('message', (batch) => {
  try {
    for (let i = 0; i < batch.length; i += 2) {
      const full = join(workerData.root, batch[i]);
      const dir = dirname(full);
      if (!dirs.has(dir)) { mkdirSync(dir, { recursive: true }); dirs.add(dir); }
      writeFileSync(full, batch[i + 1]);
    }
  } catch (e) {
    const msg = Buffer.from(String(e && e.message || e)).subarray(0, errorBytes.length - 1);
    errorBytes.set(msg);
    Atomics.store(state, 1, 1);
  }
  Atomics.sub(state, 0, 1);
  Atomics.notify(state, 0);
});
`;

const BATCH_BYTES = 1 << 21;
const MAX_PENDING = 8;

/**
 * Hands batches of files to one writer thread, so file-system time overlaps generation on a second core.
 * The generator stays synchronous: when too many batches are queued it blocks on Atomics.wait until the
 * writer catches up, which also bounds memory to about MAX_PENDING × BATCH_BYTES.
 */
export class ThreadedFsSink extends CountingSink {
  private readonly workers: Worker[];
  private next = 0;
  private readonly state: Int32Array;
  private readonly errorBuf: SharedArrayBuffer;
  private batch: string[] = [];
  private batchBytes = 0;
  private closed = false;

  constructor(root: string, threads = 2) {
    super();
    mkdirSync(root, { recursive: true });
    const stateBuf = new SharedArrayBuffer(8);
    this.state = new Int32Array(stateBuf);
    this.errorBuf = new SharedArrayBuffer(4096);
    this.workers = Array.from(
      { length: Math.max(1, threads) },
      () => new Worker(WORKER_SOURCE, { eval: true, workerData: { root, state: stateBuf, error: this.errorBuf } }),
    );
  }

  protected put(path: string, data: string): void {
    this.batch.push(path, data);
    this.batchBytes += data.length;
    if (this.batchBytes >= BATCH_BYTES) this.flush();
  }

  private flush(): void {
    if (!this.batch.length) return;
    this.waitBelow(MAX_PENDING);
    Atomics.add(this.state, 0, 1);
    const worker = this.workers[this.next++ % this.workers.length];
    worker?.postMessage(this.batch);
    this.batch = [];
    this.batchBytes = 0;
  }

  private waitBelow(limit: number): void {
    for (;;) {
      this.check();
      const pending = Atomics.load(this.state, 0);
      if (pending < limit) return;
      Atomics.wait(this.state, 0, pending, 1000);
    }
  }

  private check(): void {
    if (Atomics.load(this.state, 1) === 0) return;
    const bytes = new Uint8Array(this.errorBuf);
    const end = bytes.indexOf(0);
    throw new Error(`writing the export failed: ${Buffer.from(bytes.subarray(0, end < 0 ? bytes.length : end)).toString()}`);
  }

  override close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
      this.waitBelow(1);
    } finally {
      for (const w of this.workers) void w.terminate();
    }
  }

  override abort(): void {
    this.closed = true;
    for (const w of this.workers) void w.terminate();
  }
}

/** Keeps every file in memory (tests and dry runs). */
export class MemorySink extends CountingSink {
  readonly files = new Map<string, string>();

  protected put(path: string, data: string): void {
    if (this.files.has(path)) throw new Error(`duplicate write: ${path}`);
    this.files.set(path, data);
  }
}
