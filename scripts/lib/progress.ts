// A progress line on stderr: redrawn in place on a terminal, a line every few seconds otherwise.
export interface Progress {
  update: (done: number, total: number, what: string) => void;
  done: () => void;
}

export function progressReporter(label: string, quiet: boolean): Progress {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let lastLine = '';
  return {
    update(done, total, what) {
      if (quiet) return;
      const now = performance.now();
      if (now - last < (tty ? 100 : 2000) && done < total) return;
      last = now;
      const pct = total ? Math.floor((done / total) * 100) : 100;
      lastLine = `${label}: ${done}/${total} files (${pct}%) ${what}`;
      if (tty) process.stderr.write(`\r\x1b[2K${lastLine}`);
      else process.stderr.write(`${lastLine}\n`);
    },
    done() {
      if (!quiet && tty && lastLine) process.stderr.write('\n');
    },
  };
}
