// Global setup of both test projects: every temporary directory the tests make (os.tmpdir() in the test workers,
// Chromium profiles, scratch exports and outputs) goes under one directory of this run, removed when the run ends,
// so a run leaves nothing behind in /tmp, whether or not each test cleans up after itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const before = process.env['TMPDIR'];
  const dir = mkdtempSync(join(tmpdir(), 'atlas-tests-'));
  // Test workers start after global setup and inherit this environment; os.tmpdir() reads TMPDIR on each call.
  process.env['TMPDIR'] = dir;
  return () => {
    if (before === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
