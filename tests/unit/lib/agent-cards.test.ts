// Agent cards: the JSON built from agents rows, and the card's fields: a missing value reads "unknown", never blank
// or 0; a human's card lists the agents registered under the same Hugging Face user.
import { describe, expect, it } from 'vitest';
import { agentCardsOf } from '../../../src/lib/agent-card-data.ts';
import type { AgentCardRow } from '../../../src/lib/queries/agent-cards.sql.ts';
import { cardFields } from '../../../src/lib/ui/agent-card.ts';

const row = (x: Partial<AgentCardRow>): AgentCardRow => ({
  agent_id: 'a', agent_name: null, registered: true, model: 'm', harness: 'h', tools: ['bash'], joined: '2026-06-05T12:17:00.000Z',
  hf_user: 'u', bio_start: '# A\n\nAn **agent** that tunes kernels.', is_human: false, is_verifier: false,
  last_ts: '2026-06-13T23:58:03.602Z', last_file: 'f.md', last_headline: '**VERIFIED VALID**', owns: null, ...x,
});

describe('agent cards', () => {
  it('carry the registration, the bio as plain first lines and the last message with a plain headline', () => {
    const { agents } = agentCardsOf([row({})], true);
    expect(agents['a']).toMatchObject({ model: 'm', tools: ['bash'], bio: 'A An agent that tunes kernels.', last: { file: 'f.md', headline: 'VERIFIED VALID' }, owns: null });
    expect(Object.fromEntries(cardFields('a', agents['a'], true))).toEqual({
      Model: 'm',
      Harness: 'h',
      Tools: 'bash',
      Joined: '2026-06-05 12:17 UTC',
      'Last message': '2026-06-13 23:58 UTC · VERIFIED VALID',
    });
  });

  it('say unknown for what a handle seen only as an author lacks, and tell none from unknown last messages', () => {
    const seen = row({ registered: false, model: null, harness: null, tools: null, joined: null, bio_start: null, last_ts: null, last_file: null, last_headline: null });
    const f = (messages: boolean) => Object.fromEntries(cardFields('a', agentCardsOf([seen], messages).agents['a'], messages));
    expect(f(true)).toEqual({ Model: 'unknown', Harness: 'unknown', Tools: 'unknown', Joined: 'unknown', 'Last message': 'none on the board' });
    expect(f(false)['Last message']).toBe('unknown (the export has no board messages)');
    expect(Object.fromEntries(cardFields('a', agentCardsOf([row({ tools: null })], true).agents['a'], true))['Tools']).toBe('none declared');
  });

  it('list a human’s agents, or say none was found', () => {
    const cards = agentCardsOf([row({ agent_id: 'human-x', is_human: true, owns: ['b', 'c'] }), row({ agent_id: 'human-y', is_human: true, owns: null })], true);
    expect(Object.fromEntries(cardFields('human-x', cards.agents['human-x'], true))['Agents owned']).toBe('b, c');
    expect(Object.fromEntries(cardFields('human-y', cards.agents['human-y'], true))['Agents owned']).toBe('none found for human-y');
    expect(cardFields('nobody', undefined, true)).toEqual([['Record', 'not in the agents table']]);
  });
});

describe('agent card text', () => {
  it('cuts a long last headline with an ellipsis', () => {
    const long = 'x'.repeat(200);
    const h = agentCardsOf([row({ last_headline: long })], true).agents['a']!.last!.headline;
    expect(h.length).toBeLessThanOrEqual(90);
    expect(h.endsWith('…')).toBe(true);
  });
});
