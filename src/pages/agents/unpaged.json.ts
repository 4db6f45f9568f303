// agents/unpaged.json: the handles without a static page (sorted), fetched by the browser's agent links only on pages
// whose <body> says some agents have none (data-agent-pages="partial"); an empty list otherwise.
import { siteData } from '../../lib/site-data.ts';

export async function GET(): Promise<Response> {
  const unpaged = await (await siteData()).unpaged();
  return new Response(JSON.stringify([...unpaged].sort()), { headers: { 'content-type': 'application/json' } });
}
