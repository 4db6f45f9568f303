// Writes a large JSON document in chunks (one array item per line) instead of one giant string.
import { closeSync, openSync, writeSync } from 'node:fs';

export function writeJsonStream(path: string, value: unknown): void {
  const fd = openSync(path, 'w');
  let buf = '';
  const out = (s: string): void => {
    buf += s;
    if (buf.length > 1 << 16) {
      writeSync(fd, buf);
      buf = '';
    }
  };
  // Objects are expanded to depth 3; array items are compact JSON, one per line.
  const emit = (v: unknown, indent: string, depth: number): void => {
    if (Array.isArray(v) && v.length) {
      out('[\n');
      v.forEach((item, i) => {
        out(`${indent}  `);
        out(JSON.stringify(item) ?? 'null');
        out(i < v.length - 1 ? ',\n' : '\n');
      });
      out(`${indent}]`);
    } else if (v && typeof v === 'object' && !Array.isArray(v) && depth < 3 && Object.keys(v).length) {
      const keys = Object.keys(v);
      out('{\n');
      keys.forEach((k, i) => {
        out(`${indent}  ${JSON.stringify(k)}: `);
        emit((v as Record<string, unknown>)[k], `${indent}  `, depth + 1);
        out(i < keys.length - 1 ? ',\n' : '\n');
      });
      out(`${indent}}`);
    } else {
      out(JSON.stringify(v) ?? 'null');
    }
  };
  emit(value, '', 0);
  out('\n');
  writeSync(fd, buf);
  closeSync(fd);
}
