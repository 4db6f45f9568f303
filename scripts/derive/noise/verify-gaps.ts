// Noise rule 7: verifier reruns against the reported score, and whether they fall within the configured tolerance.
import type { CollabConfig } from '../../../src/lib/config.ts';
import type { MessageRow, ResultRow } from '../../../src/lib/schema/core.ts';
import type { VerifyGapRow } from '../../../src/lib/schema/noise.ts';
import { byFilename, isNum } from './members.ts';

/** Rule 7: one row per message with verdict_result and verdict_rerun, in filename order. */
export function verifierGaps(messages: readonly MessageRow[], results: readonly ResultRow[], config: CollabConfig): VerifyGapRow[] {
  const resultByName = new Map(results.map((r) => [r.filename, r]));
  const verifyGaps: VerifyGapRow[] = [];
  for (const msg of [...messages].sort(byFilename)) {
    if (!msg.verdict_result || !isNum(msg.verdict_rerun)) continue;
    const res = resultByName.get(msg.verdict_result);
    const reported = isNum(msg.verdict_reported) ? msg.verdict_reported : isNum(res?.score) ? res.score : null;
    const gap = reported !== null && reported !== 0 ? (msg.verdict_rerun - reported) / reported : null;
    verifyGaps.push({
      message: msg.filename,
      result_filename: msg.verdict_result,
      agent: res?.agent ?? /_([^_]+)\.md$/.exec(msg.verdict_result)?.[1] ?? null,
      ts: msg.ts,
      verdict: msg.verdict,
      reported,
      rerun: msg.verdict_rerun,
      rerun_secondary: msg.verdict_rerun_secondary,
      gap,
      abs_gap: gap === null ? null : Math.abs(gap),
      within_tolerance: gap === null ? null : Math.abs(gap) <= config.verifier_tolerance + 1e-12,
      tolerance: config.verifier_tolerance,
    });
  }
  return verifyGaps;
}
