// Relays rule 3's text tests, kept between builds: whether a text reports a failure (findFailure) and a message's
// role for each pair of link facts (classifyMessageRole) are functions of the text and those facts alone, so the
// derivation's memo (scripts/derive/index.ts Derivation.memo) keeps them by a hash of the text. A refresh tests only
// the texts it has not seen; every event's links, roles in context and relays are made again, so the tables are the
// same with or without the memo.
import { classifyMessageRole, findFailure, type RoleMatch } from '../../../src/lib/relays/roles.ts';
import type { DerivationMemo } from '../index.ts';
import { lastTextMap, textKey } from '../text-memo-keys.ts';

/** What is known of one text: `f` whether it reports a failure, `r` its message role by link facts ('01': replies to a failure). */
interface TextFacts {
  f?: boolean;
  r?: Record<string, RoleMatch | null>;
}

export class TextMemo {
  private readonly old: Map<string, TextFacts>;
  private readonly next = new Map<string, TextFacts>();

  constructor(private readonly memo?: DerivationMemo) {
    this.old = lastTextMap<TextFacts>(memo);
  }

  /** This text's facts: this build's entry, else last build's (copied into this build's), else a new one. */
  private facts(text: string): TextFacts {
    const key = textKey(text);
    let f = this.next.get(key);
    if (!f) {
      f = { ...this.old.get(key) };
      this.next.set(key, f);
    }
    return f;
  }

  /** findFailure(text) !== null. */
  failure(text: string): boolean {
    if (!this.memo) return findFailure(text) !== null;
    const f = this.facts(text);
    if (f.f === undefined) f.f = findFailure(text) !== null;
    return f.f;
  }

  /** classifyMessageRole for this text and link facts (a fresh object: callers own it). */
  messageRole(text: string, linksToOtherAgent: boolean, repliesToFailure: boolean): RoleMatch | null {
    if (!this.memo) return classifyMessageRole({ text, linksToOtherAgent, repliesToFailure });
    const f = this.facts(text);
    const k = `${linksToOtherAgent ? 1 : 0}${repliesToFailure ? 1 : 0}`;
    f.r ??= {};
    if (!(k in f.r)) f.r[k] = classifyMessageRole({ text, linksToOtherAgent, repliesToFailure });
    const m = f.r[k]!;
    return m === null ? null : { ...m };
  }

  /** Keep this build's facts (only the texts it saw) for the next build. */
  save(): void {
    this.memo?.set(this.next);
  }
}
