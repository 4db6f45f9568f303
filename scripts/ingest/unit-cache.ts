// units.v8, the cache of parsed units: the generation id, then chunks (8-byte length + a serialized array of [key, unit] pairs).
import { closeSync, existsSync, openSync, readSync, writeSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { RejectRow } from '../../src/lib/schema/core.ts';

/** Units per serialized chunk of units.v8. */
const CHUNK = 4000;

/** A unit's parsed value and the rejects it recorded. */
export interface UnitEntry {
  value: unknown;
  rejects: RejectRow[];
}

/** The units in the file at `path`, or null when it is missing or not the pair of `generation`; throws when truncated. */
export function readUnits(path: string, generation: string): Map<string, UnitEntry> | null {
  if (!existsSync(path)) return null;
  const fd = openSync(path, 'r');
  try {
    const len = Buffer.alloc(8);
    let pos = 0;
    const next = (): Buffer | null => {
      if (readSync(fd, len, 0, 8, pos) < 8) return null;
      const n = Number(len.readBigUInt64LE(0));
      const buf = Buffer.allocUnsafe(n);
      if (readSync(fd, buf, 0, n, pos + 8) < n) throw new Error('units.v8 is truncated');
      pos += 8 + n;
      return buf;
    };
    if (next()?.toString('utf8') !== generation) return null; // not the pair of this head
    const units = new Map<string, UnitEntry>();
    for (let b = next(); b; b = next()) for (const [k, v] of deserialize(b) as [string, UnitEntry][]) units.set(k, v);
    return units;
  } finally {
    closeSync(fd);
  }
}

/**
 * units.v8 written as the units are made: the generation first, then a chunk each time CHUNK units are added, so
 * the writer holds at most one chunk of units (a full build's parsed units are not kept until the end of the ingest).
 */
export class UnitWriter {
  private readonly fd: number;
  private chunk: [string, UnitEntry][] = [];
  /** Units added. */
  count = 0;

  constructor(path: string, generation: string) {
    this.fd = openSync(path, 'w');
    this.put(Buffer.from(generation, 'utf8'));
  }

  add(key: string, entry: UnitEntry): void {
    this.chunk.push([key, entry]);
    this.count++;
    if (this.chunk.length === CHUNK) this.flush();
  }

  /** Write the last chunk and close the file. */
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private flush(): void {
    if (this.chunk.length === 0) return;
    this.put(serialize(this.chunk));
    this.chunk = [];
  }

  private put(buf: Buffer): void {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(buf.length));
    writeSync(this.fd, len);
    writeSync(this.fd, buf);
  }
}

/** Write `units` to `path` under `generation`, a chunk at a time so no second copy of the whole cache is held. */
export function writeUnits(path: string, generation: string, units: Iterable<[string, UnitEntry]>): void {
  const w = new UnitWriter(path, generation);
  try {
    for (const [k, e] of units) w.add(k, e);
  } finally {
    w.close();
  }
}
