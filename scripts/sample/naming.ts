// Server-style filenames: one namespace shared by message_board/ and results/, never a duplicate.
import { fileStamp, legacyStamp } from './time.ts';

export class FilenameRegistry {
  private readonly used = new Set<string>();

  /** Name a file for (ms, agent); bumps the time by 1 ms (legacy: 1 s) until the name is free. */
  claim(ms: number, agent: string, legacy = false, topic: string | null = null): { filename: string; ms: number } {
    let t = ms;
    for (;;) {
      const filename = legacy
        ? `${legacyStamp(t)}_${agent}${topic ? `_${topic}` : ''}.md`
        : `${fileStamp(t)}_${agent}.md`;
      if (!this.used.has(filename)) {
        this.used.add(filename);
        return { filename, ms: t };
      }
      t += legacy ? 1000 : 1;
    }
  }

  has(filename: string): boolean {
    return this.used.has(filename);
  }
}

/** The filename-stamp regex of the server (ms form) and the legacy collab-template form. */
export const MS_NAME_RE = /^\d{8}-\d{6}-\d{3}_[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?\.md$/;
export const LEGACY_NAME_RE = /^\d{8}-\d{6}_[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?(?:_[a-z0-9-]+)?\.md$/;
