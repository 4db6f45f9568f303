// Reading ahead: a worker thread opens, reads and hashes the export's files in the order the ingest reads them, so
// the main thread's parsing no longer waits on the file system and on sha256 (the build's second core did little
// during the ingest).
//
// Rules:
// 1. Only an entry's `hash` and `buf` are filled in: exactly what readBytes (source.ts) would put there, read the same
//    way (no link followed, non-blocking, a regular file checked on the open descriptor). Anything unusual (it cannot
//    be opened, is not a regular file, is larger than LIMITS.hashInMemoryBytes) is left to the main thread, which reads
//    it as before and records its reject. So the rows, rejects and hashes are the same with or without it.
// 2. Bytes are sent only for files the ingest decodes; for the others (an inbox copy of a message already read, the
//    files of a run folder it only lists) only the hash, which the input hash needs.
// 3. Only when no file can be vouched for by last build's index (a full or first build, or no cache): a file the
//    index vouches for is never read, and reading it here would change what the manifest counts as indexed.
// 4. Bounded: the worker stays at most WINDOW files ahead of the ingest, and is ended when its plan is done or the
//    ingest moves past it.
import { Worker } from 'node:worker_threads';
import { receiveMessageOnPort, MessageChannel, type MessagePort } from 'node:worker_threads';
import type { IngestContext, Parts } from './context.ts';
import { LIMITS } from './limits.ts';
import { PARSED, runDirsInOrder } from './runs.ts';
import { NO_MEMO, type InputFile } from './source.ts';
import { probe } from '../build/memory.ts';

/** Files read ahead of the ingest, at most. */
const WINDOW = 4096;
/** How far past the next planned file a taken file is looked for. */
const LOOKAHEAD = 64;
/** Files per message from the worker. */
const BATCH = 256;

// The worker: plain JavaScript run from this text (no TypeScript loader needed). sab[0]: files the ingest has taken;
// sab[1]: batches posted. Each batch: the hashes (null: left to the main thread), and the bytes wanted, end to end.
const WORKER = `
const { workerData } = require('node:worker_threads');
const { openSync, fstatSync, readSync, closeSync, constants } = require('node:fs');
const { createHash } = require('node:crypto');
const { paths, ends, count, want, port, sab, window, batch, maxBytes } = workerData;
function run() {
  // The paths are UTF-8, each ended by a NUL (no path holds one), in buffers outside the heap (pathChunks); a buffer
  // is dropped once its paths are taken.
  let p = 0, from = 0, text = Buffer.from(paths[0], 0, ends[0]);
const ctl = new Int32Array(sab);
const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
let hashes = [], lens = [], chunks = [], bytes = 0, first = 0;
const post = (i) => {
  const ab = new ArrayBuffer(bytes);
  const u = new Uint8Array(ab);
  let off = 0;
  for (const c of chunks) { u.set(c, off); off += c.length; }
  port.postMessage({ first, hashes, lens, ab }, [ab]);
  Atomics.add(ctl, 1, 1);
  Atomics.notify(ctl, 1);
  hashes = []; lens = []; chunks = []; bytes = 0; first = i;
};
for (let i = 0; i < count; i++) {
  while (from >= text.length && p + 1 < paths.length) {
    paths[p] = null;
    p++;
    text = Buffer.from(paths[p], 0, ends[p]);
    from = 0;
  }
  const to = text.indexOf(0, from);
  const path = text.toString('utf8', from, to < 0 ? text.length : to);
  from = to < 0 ? text.length : to + 1;
  for (let taken = Atomics.load(ctl, 0); i - taken > window; taken = Atomics.load(ctl, 0)) {
    if (taken < 0) return;
    if (hashes.length > 0) post(i);
    Atomics.wait(ctl, 0, taken, 1000);
  }
  let hash = null, len = -1;
  try {
    const fd = openSync(path, FLAGS);
    try {
      const st = fstatSync(fd);
      if (st.isFile() && st.size <= maxBytes) {
        const buf = Buffer.allocUnsafe(st.size);
        let off = 0;
        while (off < buf.length) {
          const n = readSync(fd, buf, off, buf.length - off, null);
          if (n === 0) break;
          off += n;
        }
        const b = off === buf.length ? buf : buf.subarray(0, off);
        hash = createHash('sha256').update(b).digest('hex');
        if (want[i]) { chunks.push(b); bytes += b.length; len = b.length; }
      }
    } finally { closeSync(fd); }
  } catch { hash = null; len = -1; }
  hashes.push(hash); lens.push(len);
  if (hashes.length >= batch || bytes > (1 << 20)) post(i + 1);
}
if (hashes.length > 0) post(count);
}
try {
  run();
} finally {
  // Done or failed: -1 batches tells the main thread to read what it still needs itself.
  Atomics.store(ctl, 1, -1);
  Atomics.notify(ctl, 1);
  port.close();
}
`;

/** Bytes of each buffer of paths handed to the worker (pathChunks). */
const PATH_CHUNK = 16 * 1024 * 1024;

/**
 * The plan's absolute paths for the worker: UTF-8, each ended by a NUL, in buffers outside the JS heap that are moved
 * (not copied) to it, with the bytes used of each. They were one string joined from an array of every path: at scale
 * 1000 (5.1 million files) that array, the string and its copy for the worker were ~2.8 GB of heap at once (peak RSS
 * 5.1 GB, measured with ATLAS_MEMORY_PROBE=1); each path is now made, written and dropped one at a time.
 */
function pathChunks(files: readonly InputFile[]): { chunks: ArrayBuffer[]; ends: number[] } {
  const chunks: ArrayBuffer[] = [];
  const ends: number[] = [];
  let buf = Buffer.allocUnsafeSlow(PATH_CHUNK);
  let off = 0;
  for (const f of files) {
    const path = f.abs;
    const n = Buffer.byteLength(path);
    if (off + n + 1 > buf.length) {
      chunks.push(buf.buffer as ArrayBuffer);
      ends.push(off);
      buf = Buffer.allocUnsafeSlow(Math.max(PATH_CHUNK, n + 1));
      off = 0;
    }
    off += buf.write(path, off);
    buf[off++] = 0;
  }
  chunks.push(buf.buffer as ArrayBuffer);
  ends.push(off);
  return { chunks, ends };
}

interface Batch {
  first: number;
  hashes: (string | null)[];
  lens: number[];
  ab: ArrayBuffer;
}

/** A plan of files to read ahead, in the order the ingest takes them; `want` says which ones it decodes. */
export class ReadAhead {
  /** The plan; the ingest takes its files in this order (dropped when the worker ends). */
  private files: readonly InputFile[];
  private readonly ctl: Int32Array;
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private received = 0;
  private taken = 0;
  private done = false;
  private readonly total: number;

  constructor(files: readonly InputFile[], want: (f: InputFile) => boolean) {
    this.files = files;
    this.total = files.length;
    const wanted = new Uint8Array(files.length);
    for (const [i, f] of files.entries()) wanted[i] = want(f) ? 1 : 0;
    const sab = new SharedArrayBuffer(8);
    this.ctl = new Int32Array(sab);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const { chunks, ends } = pathChunks(files);
    this.worker = new Worker(WORKER, {
      eval: true,
      execArgv: [],
      workerData: { paths: chunks, ends, count: files.length, want: wanted, port: port2, sab, window: WINDOW, batch: BATCH, maxBytes: LIMITS.hashInMemoryBytes },
      transferList: [port2, wanted.buffer, ...chunks],
    });
    // The worker must not keep the build's process alive, nor fail it: a file it could not read is read here.
    this.worker.unref();
    this.worker.on('error', () => this.stop());
  }

  /** Fill in `f`'s hash (and bytes, when wanted) from the worker, waiting for it when it is behind. */
  take(f: InputFile): void {
    if (this.done) return;
    // Where `f` is in the plan: next, as a rule; a few places on when the ingest passed some by; else not in it.
    let i = this.taken;
    const last = Math.min(this.total, i + LOOKAHEAD);
    while (i < last && this.files[i] !== f) i++;
    if (i === last) return;
    while (this.received <= i) {
      const m = receiveMessageOnPort(this.port)?.message as Batch | undefined;
      if (m) {
        this.apply(m);
        continue;
      }
      // Nothing waiting: sleep until the worker posts its next batch; when it has ended (-1) and nothing is left to
      // receive, or has not answered for a long while, the main thread reads the rest itself.
      const seen = Atomics.load(this.ctl, 1);
      if (seen < 0) {
        const last = receiveMessageOnPort(this.port)?.message as Batch | undefined;
        if (last) {
          this.apply(last);
          continue;
        }
        this.stop();
        return;
      }
      if (Atomics.wait(this.ctl, 1, seen, 10_000) === 'timed-out') {
        this.stop();
        return;
      }
    }
    // Entries before this one that the ingest passed by are dropped (it reads them itself if it comes back to them).
    for (const k of this.pending.keys()) {
      if (k >= i) break;
      this.pending.delete(k);
    }
    const r = this.pending.get(i);
    if (r) {
      this.pending.delete(i);
      f.hash ??= r.hash;
      if (r.buf) f.buf = r.buf;
    }
    this.taken = i + 1;
    Atomics.store(this.ctl, 0, this.taken);
    if ((this.taken & 63) === 0) Atomics.notify(this.ctl, 0);
    if (this.taken === this.total) this.stop();
  }

  private readonly pending = new Map<number, { hash: string; buf: Buffer | null }>();

  private apply(m: Batch): void {
    let off = 0;
    for (let k = 0; k < m.hashes.length; k++) {
      const hash = m.hashes[k];
      const len = m.lens[k]!;
      if (hash) this.pending.set(m.first + k, { hash, buf: len >= 0 ? Buffer.from(m.ab, off, len) : null });
      if (len > 0) off += len;
    }
    this.received = m.first + m.hashes.length;
  }

  /** End the worker (its plan done, or abandoned); later calls to take do nothing. */
  stop(): void {
    if (this.done) return;
    this.done = true;
    Atomics.store(this.ctl, 0, -1);
    Atomics.notify(this.ctl, 0);
    this.port.close();
    void this.worker.terminate();
    this.pending.clear();
    this.files = [];
  }
}

/** A part's files, in the order its reader takes them, and whether it decodes each. */
export type PlanPart = readonly { files: readonly InputFile[]; want: (f: InputFile) => boolean }[];

/** Rule 3 and a floor: read ahead only when every file will be read, and there are enough for a thread to pay. */
function startReadAhead(memo: unknown, plan: PlanPart): ReadAhead | null {
  if (memo !== NO_MEMO && (memo as { readsEveryFile?: boolean }).readsEveryFile !== true) return null;
  const files: InputFile[] = [];
  const wanted = new Set<InputFile>();
  for (const p of plan) {
    for (const f of p.files) {
      files.push(f);
      if (f.size > 0 && f.size <= LIMITS.textBytes && p.want(f)) wanted.add(f);
    }
  }
  return files.length >= MIN_FILES ? new ReadAhead(files, (f) => wanted.has(f)) : null;
}

/** Fewer files than this are read on the main thread (a worker costs ~30 ms to start). */
const MIN_FILES = 1000;

const started = new WeakMap<Parts, ReadAhead | null>();

/**
 * The ingest's read-ahead for these parts, started on first use: message_board/, inbox/ and results/ files (an inbox
 * copy whose name was seen before is a delivery, hashed only), agents/ files, then run folders in readRuns' order
 * (the records it parses are decoded, the other files hashed only).
 */
export function readAhead(ctx: IngestContext, parts: Parts): ReadAhead | null {
  if (started.has(parts)) return started.get(parts)!;
  const seen = new Set<string>();
  const baseOf = (f: InputFile): string => f.rel.slice(f.rel.lastIndexOf('/') + 1);
  for (const f of parts.get('message_board')) seen.add(baseOf(f));
  const copies = new Set<InputFile>();
  for (const f of parts.get('inbox')) {
    const name = baseOf(f);
    if (!(seen.has(name) && f.size > 0)) copies.add(f);
    seen.add(name);
  }
  const all = (): boolean => true;
  const plan: PlanPart = [
    { files: parts.get('message_board'), want: all },
    { files: parts.get('inbox'), want: (f) => copies.has(f) },
    { files: parts.get('results'), want: all },
    { files: parts.get('agents'), want: all },
    { files: runDirsInOrder(parts.get('runs')).flatMap(([, list]) => list), want: (f) => PARSED.has(baseOf(f)) },
  ];
  probe('read-ahead-plan');
  const r = startReadAhead(ctx.memo, plan);
  probe('read-ahead-started');
  started.set(parts, r);
  return r;
}
