// Lineage edge candidates: the rules, their order and confidences, and the agent-level parent node ids.

export type LineageRule = 'ref' | 'bucket-path' | 'credit' | 'token';

/** Strongest first: the order used to pick the rule an edge keeps. */
export const RULE_ORDER: readonly LineageRule[] = ['ref', 'bucket-path', 'credit', 'token'];

export const CONFIDENCE = {
  refResult: 1.0,
  refMessage: 0.9,
  refQuoted: 0.7,
  bucketSubmission: 0.9,
  bucketArtifact: 0.85,
  bucketRunJoin: 0.8,
  bucketRunScore: 0.7,
  creditCue: 0.75,
  creditPlain: 0.6,
  creditMethod: 0.7,
  tokenBase: 0.2,
  tokenSpan: 0.3,
} as const;

export const EVIDENCE_MAX = 240;

/** Cut evidence to EVIDENCE_MAX characters (… marks a cut). */
export const clip = (s: string): string => (s.length <= EVIDENCE_MAX ? s : `${s.slice(0, EVIDENCE_MAX - 1)}…`);

/** One piece of evidence for a (parent, child) pair, before de-duplication. */
export interface EdgeCandidate {
  parent: string;
  child: string;
  rule: LineageRule;
  confidence: number;
  evidence_file: string | null;
  evidence: string;
}

/** Id of the agent-level node standing for a credited agent whose matching result is not in this export. */
export const agentNodeId = (agent: string): string => `agent:${agent}`;
export const isAgentNode = (id: string): boolean => id.startsWith('agent:');
