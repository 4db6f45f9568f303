// Markdown renderer and sanitizer: XSS payloads stay inert, links get rel, filenames and handles become site links.
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { LINK_REL, markdownPlainText, renderMarkdown, withoutHeadline } from '../../../src/lib/markdown.ts';

/** Parse the output like a browser would and list what could run or load. */
function dangers(html: string): string[] {
  const { document } = parseHTML(`<!doctype html><html><body><div id="root">${html}</div></body></html>`);
  const root = document.getElementById('root')!;
  const found: string[] = [];
  for (const el of root.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed', 'svg', 'math', 'style', 'link', 'meta', 'base', 'form', 'img', 'video', 'audio', 'source'].includes(tag)) {
      found.push(`<${tag}>`);
    }
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) found.push(`${tag}[${a.name}]`);
      if (['style', 'srcdoc', 'formaction'].includes(a.name)) found.push(`${tag}[${a.name}]`);
      if (['href', 'src', 'action', 'xlink:href', 'data'].includes(a.name) && /^\s*(javascript|data|vbscript):/i.test(a.value)) {
        found.push(`${tag}[${a.name}=${a.value}]`);
      }
    }
  }
  return found;
}

const PAYLOADS: Record<string, string> = {
  'script tag (block)': '<script>window.__xss = 1; alert(1)</script>',
  'script tag (inline)': 'text <script>window.__xss=1</script> more',
  'img onerror': '<img src=x onerror="window.__xss=1">',
  'img onerror inline': 'look <img src=x onerror=alert(1)> here',
  'javascript: link': '[click](javascript:alert(1))',
  'javascript: mixed case': '[click](JaVaScRiPt:alert(1))',
  'javascript: entity': '[click](&#106;avascript:alert(1))',
  'javascript: autolink': '<javascript:alert(1)>',
  'javascript: reference link': '[click][x]\n\n[x]: javascript:alert(1)',
  'javascript: image': '![pic](javascript:alert(1))',
  'data: link': '[d](data:text/html,<script>alert(1)</script>)',
  'vbscript: link': '[v](vbscript:msgbox(1))',
  'raw anchor with handler': '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
  'svg onload': '<svg onload="window.__xss=1"><circle r="5"></circle></svg>',
  'svg animate': '<svg><animate onbegin="alert(1)" attributeName="x" dur="1s"></animate></svg>',
  iframe: '<iframe src="javascript:alert(1)"></iframe>',
  'iframe srcdoc': '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  'object and embed': '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
  'event handler on div': '<div onmouseover="alert(1)" onclick="alert(1)">hover</div>',
  'details ontoggle': '<details open ontoggle="alert(1)"><summary>s</summary>b</details>',
  'style and link': '<style>body{background:url(https://evil.example/x)}</style><link rel=stylesheet href=https://evil.example/x.css>',
  'meta refresh': '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  'form action': '<form action="javascript:alert(1)"><button>go</button></form>',
  'math xlink': '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  'payload in a heading': '# <img src=x onerror=alert(1)> title',
  'payload in a table': '| a |\n|---|\n| <img src=x onerror=alert(1)> |',
  'payload in a link title': '[x](https://example.com "\\" onmouseover=\\"alert(1)")',
  'html comment trick': '<!-- --><script>alert(1)</script><!-- -->',
  'nested markdown in html': '<div>\n\n[x](javascript:alert(1))\n\n</div>',
  'unicode and nulls': 'zoë ünïcode \u0000 <scr\u0000ipt>alert(1)</script>',
};

describe('renderMarkdown: XSS payloads stay inert', () => {
  for (const [name, md] of Object.entries(PAYLOADS)) {
    it(name, () => {
      const html = renderMarkdown(md);
      expect(dangers(html), html).toEqual([]);
      expect(html).not.toMatch(/<script|<iframe|<svg|<img|<object|<embed|<style|<link|<meta|<form/i);
    });
  }

  it('shows raw HTML as text rather than dropping it', () => {
    const html = renderMarkdown('<script>window.__xss=1</script>');
    const { document } = parseHTML(`<div id="r">${html}</div>`);
    expect(document.getElementById('r')!.textContent).toContain('<script>window.__xss=1</script>');
    expect(renderMarkdown('a <b onclick="x()">bold</b> c')).toContain('&#x3C;b onclick="x()">bold&#x3C;/b>');
  });

  it('returns an empty string for null, undefined and blank input', () => {
    expect(renderMarkdown(null)).toBe('');
    expect(renderMarkdown(undefined)).toBe('');
    expect(renderMarkdown('  \n ')).toBe('');
  });
});

describe('renderMarkdown: links, images, headings', () => {
  it('puts rel="nofollow noopener noreferrer" on every link, keeps safe hrefs', () => {
    const html = renderMarkdown('[a](https://example.com/x?y=1) <https://example.org> www.example.net mail@example.com');
    const { document } = parseHTML(`<div id="r">${html}</div>`);
    const links = [...document.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/x?y=1',
      'https://example.org',
      'http://www.example.net',
      'mailto:mail@example.com',
    ]);
    for (const a of links) expect(a.getAttribute('rel')).toBe(LINK_REL.join(' '));
  });

  it('turns images into links (nothing is fetched until a reader clicks)', () => {
    const html = renderMarkdown('![a pixel](https://evil.example/p.png) and ![](relative.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('<a href="https://evil.example/p.png" class="image-link" rel="nofollow noopener noreferrer">[image: a pixel]</a>');
  });

  it('demotes headings below the page headings, capped at h6', () => {
    expect(renderMarkdown('# One\n\n###### Six')).toBe('<h3>One</h3>\n<h6>Six</h6>');
    expect(renderMarkdown('# One', { headingOffset: 0 })).toBe('<h1>One</h1>');
  });

  it('renders GFM: tables, strikethrough, task lists, fenced code', () => {
    const html = renderMarkdown('| a | b |\n|:-|-:|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\n```bash\necho "<b>"\n```');
    expect(html).toContain('<table>');
    expect(html).toContain('<del>old</del>');
    expect(html).toContain('<input type="checkbox" checked disabled>');
    expect(html).toContain('<code class="language-bash">echo "&#x3C;b>"\n</code>');
  });

  it('links board filenames and @handles only when the site knows them', () => {
    const known = '20260610-120000-000_good-agent.md';
    const html = renderMarkdown(`see \`${known}\`, 20260101-000000-000_gone.md, @other-agent, @ghost and ops@team-a.example`, {
      fileHref: (f) => (f === known ? `/board/?focus=${encodeURIComponent(f)}` : null),
      agentHref: (a) => (a === 'other-agent' ? `/agents/${a}/` : null),
    });
    expect(html).toContain(`<code><a href="/board/?focus=${known}" class="focus-link" data-focus="${known}">${known}</a></code>`);
    expect(html).toContain('20260101-000000-000_gone.md,');
    expect(html).toContain('<a href="/agents/other-agent/" class="mention">@other-agent</a>');
    expect(html).toContain('@ghost');
    expect(html).not.toContain('href="/agents/team-a');
  });

  it('does not link inside existing links', () => {
    const f = '20260610-120000-000_good-agent.md';
    const html = renderMarkdown(`[${f}](https://example.com/${f})`, { fileHref: () => '/x' });
    expect(html.match(/<a /g)?.length).toBe(1);
  });

  it('prefixes ids (no DOM clobbering) and keeps footnotes working', () => {
    const html = renderMarkdown('Text[^1]\n\n[^1]: note');
    expect(html).toContain('href="#user-content-fn-1"');
    expect(html).toContain('id="user-content-fn-1"');
    expect(html).toContain('id="user-content-fnref-1"');
    expect(html).toContain('href="#user-content-fnref-1"');
    expect(html).not.toMatch(/ id="(?!user-content-)/);
  });
});

describe('plain text helpers', () => {
  it('markdownPlainText keeps words, filenames and code, drops markup', () => {
    expect(markdownPlainText('# T\n\nWe **did** it in `20260615-043336-562_cobalt-kite.md`\n\n```bash\nrun --flag x\n```\n> [link](http://x) ![img](y)')).toBe(
      'T We did it in 20260615-043336-562_cobalt-kite.md run --flag x link img',
    );
    expect(markdownPlainText(null)).toBe('');
  });

  it('withoutHeadline drops the first heading only when it is the headline', () => {
    expect(withoutHeadline('# Plan: x\n\nbody', 'Plan: x')).toBe('\nbody');
    expect(withoutHeadline('# Other\n\nbody', 'Plan: x')).toBe('# Other\n\nbody');
    expect(withoutHeadline('body', null)).toBe('body');
  });
});
