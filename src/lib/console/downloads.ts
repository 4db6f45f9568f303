// Downloads of a console result: CSV and JSON built batch by batch, Parquet written by parquet-wasm from Arrow IPC.
//
// DuckDB-WASM cannot write Parquet here (COPY is a file write, which the locked database refuses, and it has no
// Parquet extension offline), so the result's Arrow batches go to IPC and parquet-wasm's writeParquet, loaded on
// first use. The file goes to the reader through a same-origin blob: URL, so nothing leaves the page.
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { csvLines, jsonClose, jsonOpen, jsonRows } from './format.ts';
import { resultIpc, resultRows, type ConsoleResult } from './runner.ts';

export type DownloadFormat = 'csv' | 'json' | 'parquet';

export const MIME: Record<DownloadFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  json: 'application/json',
  parquet: 'application/vnd.apache.parquet',
};

type Result = Pick<ConsoleResult, 'batches' | 'columns' | 'schema'>;

export function csvBlob(result: Result): Blob {
  const names = result.columns.map((c) => c.name);
  const parts: string[] = [csvLines(names, [], true)];
  for (const rows of resultRows(result)) parts.push(csvLines(names, rows, false));
  return new Blob(parts, { type: MIME.csv });
}

export function jsonBlob(result: Result): Blob {
  const names = result.columns.map((c) => c.name);
  const parts: string[] = [jsonOpen()];
  let first = true;
  for (const rows of resultRows(result)) {
    if (rows.length === 0) continue;
    parts.push(jsonRows(names, rows, first));
    first = false;
  }
  parts.push(first ? ']\n' : jsonClose());
  return new Blob(parts, { type: MIME.json });
}

let parquetWasm: Promise<typeof import('parquet-wasm/esm')> | null = null;

/** parquet-wasm, fetched on the first Parquet download (the browser connector may have loaded it already). */
function loadParquetWasm(): Promise<typeof import('parquet-wasm/esm')> {
  parquetWasm ??= (async () => {
    const pq = await import('parquet-wasm/esm');
    await pq.default({ module_or_path: new URL(parquetWasmUrl, location.href).href });
    return pq;
  })();
  parquetWasm.catch(() => (parquetWasm = null));
  return parquetWasm;
}

export async function parquetBlob(result: Result): Promise<Blob> {
  const pq = await loadParquetWasm();
  const table = pq.Table.fromIPCStream(resultIpc(result));
  const props = new pq.WriterPropertiesBuilder().setCompression(pq.Compression.ZSTD).setCreatedBy('Collab Atlas SQL console').build();
  const bytes = pq.writeParquet(table, props);
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: MIME.parquet });
}

export async function resultBlob(result: Result, format: DownloadFormat): Promise<Blob> {
  if (format === 'csv') return csvBlob(result);
  if (format === 'json') return jsonBlob(result);
  return parquetBlob(result);
}

/** Hand a blob to the browser's download manager under `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke after the download has started; revoking at once can cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
