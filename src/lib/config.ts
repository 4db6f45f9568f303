// The collaboration's configuration: title, score field, unit, direction, guardrail. Validated with zod.
import { z } from 'zod';

export const CollabConfigSchema = z.object({
  title: z.string().min(1),
  description: z.string().default(''),
  /** Result frontmatter / leaderboard / summary.json field that holds the score. */
  score_field: z.string().regex(/^[a-z_][a-z0-9_]*$/i).default('tps'),
  score_label: z.string().default('TPS'),
  unit: z.string().default('tok/s'),
  higher_is_better: z.boolean().default(true),
  /** Secondary metric with a cap (the guardrail), e.g. ppl <= 2.42. */
  secondary_field: z.string().regex(/^[a-z_][a-z0-9_]*$/i).nullable().default('ppl'),
  secondary_label: z.string().default('PPL'),
  secondary_cap: z.number().nullable().default(2.42),
  /** Score of the starting point, when no result has status baseline. */
  baseline_score: z.number().nullable().default(null),
  verifier_agents: z.array(z.string()).default(['cmpatino-verifier']),
  /** Relative tolerance the verifier allows between reported and re-run score. */
  verifier_tolerance: z.number().positive().default(0.05),
  /** True for the generated sample: the site says so on every page. */
  synthetic: z.boolean().default(false),
});

export type CollabConfig = z.infer<typeof CollabConfigSchema>;

export const DEFAULT_CONFIG: CollabConfig = CollabConfigSchema.parse({
  title: 'Fast Gemma Challenge',
  description: 'Agents speeding up Gemma 4 E4B inference in vLLM on one a10g-small GPU.',
});

/** Parse a config object; errors name the field and what was expected. */
export function parseConfig(input: unknown, where = 'configuration'): CollabConfig {
  const merged = { ...DEFAULT_CONFIG, ...(typeof input === 'object' && input ? input : {}) };
  const r = CollabConfigSchema.safeParse(merged);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid ${where}: ${msg}`);
  }
  return r.data;
}
