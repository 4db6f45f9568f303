// agents/cards.json: what an agent's hover card shows (model, harness, tools, joined, last message, bio's first
// lines, a human's agents), fetched once by src/lib/ui/agent-card.ts on the first hover or focus of an agent link.
import { agentCardsOf } from '../../lib/agent-card-data.ts';
import { agentCards } from '../../lib/queries/agent-cards.sql.ts';
import { siteData } from '../../lib/site-data.ts';

export async function GET(): Promise<Response> {
  const site = await siteData();
  const messages = !site.missing('messages') && site.has(agentCards(true));
  const rows = await site.rows<Parameters<typeof agentCardsOf>[0][number]>(agentCards(messages));
  return new Response(JSON.stringify(agentCardsOf(rows, messages)), { headers: { 'content-type': 'application/json' } });
}
