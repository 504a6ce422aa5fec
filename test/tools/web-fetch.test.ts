import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { htmlToMarkdown } from '../../src/tools/html-to-markdown.js';
import { createWebFetchTool, upgradeToHttps, webFetchTool } from '../../src/tools/web-fetch.js';
import { call, makeCtx, tempDir, text } from './helpers.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let server: http.Server | undefined;

async function serve(handler: Handler): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  const s = server;
  server = undefined;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

const PAGE = `<!doctype html><html><head><title>Widget docs</title><style>body{color:red}</style><script>alert(1)</script></head>
<body><nav><a href="/">Home</a></nav><h1>Widgets</h1><p>A <strong>widget</strong> spins &amp; hums. See <a href="/api">the API</a>.</p>
<ul><li>fast</li><li>small</li></ul><pre><code>npm install widget
widget --spin</code></pre></body></html>`;

describe('WebFetch', () => {
  it('converts HTML to Markdown and asks the small model with the prompt and the content', async () => {
    const base = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE));
    const asked: string[] = [];
    const ctx = makeCtx(tempDir(), {
      askSmallModel: async (prompt) => {
        asked.push(prompt);
        return 'It spins and hums.';
      },
    });
    const r = await call(webFetchTool, { url: `${base}/docs`, prompt: 'What does a widget do?' }, ctx);
    expect(r.isError).toBeUndefined();
    expect(text(r)).toBe('It spins and hums.');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('What does a widget do?');
    expect(asked[0]).toContain('# Widgets');
    expect(asked[0]).toContain(`A **widget** spins & hums. See [the API](${base}/api).`);
    expect(asked[0]).not.toContain('alert(1)');
  });

  it('returns the Markdown itself when there is no small model', async () => {
    const base = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
    const r = text(await call(webFetchTool, { url: base, prompt: 'x' }, makeCtx(tempDir())));
    expect(r).toMatch(new RegExp(`^Content of ${base}/:\\n\\n# Widgets\\n\\nA \\*\\*widget\\*\\*`));
    expect(r).not.toContain('Home');
    expect(r).toContain('- fast\n- small');
    expect(r).toContain('```\nnpm install widget\nwidget --spin\n```');
  });

  it('refuses pages over the size limit, declared or streamed', async () => {
    const big = 'x'.repeat(5000);
    const base = await serve((req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(big.length) }).end(big);
      else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write(big.slice(0, 2500));
        res.end(big.slice(2500));
      }
    });
    const tool = createWebFetchTool({ maxBytes: 1000, timeoutMs: 10_000, maxChars: 1000, maxRedirects: 2 });
    for (const p of ['/declared', '/chunked']) {
      const r = await call(tool, { url: base + p, prompt: 'x' }, makeCtx(tempDir()));
      expect(r.isError).toBe(true);
      expect(text(r)).toContain('is larger than');
    }
  });

  it('gives up after the time limit', async () => {
    const base = await serve(() => {
      /* never answers */
    });
    const tool = createWebFetchTool({ maxBytes: 1000, timeoutMs: 150, maxChars: 1000, maxRedirects: 2 });
    const r = await call(tool, { url: base, prompt: 'x' }, makeCtx(tempDir()));
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('took longer than 0.15 s');
  });

  it('follows same-host redirects and reports cross-host ones', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/old') res.writeHead(301, { location: '/new' }).end();
      else if (req.url === '/away') res.writeHead(302, { location: 'https://elsewhere.example/page' }).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end(`at ${req.url}`);
    });
    const ctx = makeCtx(tempDir());
    expect(text(await call(webFetchTool, { url: `${base}/old`, prompt: 'x' }, ctx))).toContain('at /new');
    const away = await call(webFetchTool, { url: `${base}/away`, prompt: 'x' }, ctx);
    expect(away.isError).toBeUndefined();
    expect(text(away)).toContain('redirects to a different host: https://elsewhere.example/page');
  });

  it('reports HTTP errors, binary content and bad URLs', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/img') res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([1, 2, 3]));
      else res.writeHead(404, 'Not Found').end('nope');
    });
    const ctx = makeCtx(tempDir());
    expect(text(await call(webFetchTool, { url: `${base}/missing`, prompt: 'x' }, ctx))).toContain('HTTP 404 Not Found');
    expect(text(await call(webFetchTool, { url: `${base}/img`, prompt: 'x' }, ctx))).toContain('is image/png, not a text page');
    expect(text(await call(webFetchTool, { url: 'not a url', prompt: 'x' }, ctx))).toContain('not a valid absolute URL');
    expect(text(await call(webFetchTool, { url: 'file:///etc/passwd', prompt: 'x' }, ctx))).toContain('Only http and https');
  });

  it('upgrades http to https except on loopback', () => {
    expect(upgradeToHttps(new URL('http://example.com/a?b=1')).href).toBe('https://example.com/a?b=1');
    expect(upgradeToHttps(new URL('http://127.0.0.1:8080/')).protocol).toBe('http:');
    expect(upgradeToHttps(new URL('http://localhost/')).protocol).toBe('http:');
    expect(upgradeToHttps(new URL('http://[::1]/')).protocol).toBe('http:');
  });
});

describe('htmlToMarkdown', () => {
  it('keeps structure: headings, lists, links, tables, entities', () => {
    const md = htmlToMarkdown(
      '<h2>T&eacute;st &#x41;&#66;</h2><ol><li>one</li><li>two <em>x</em></li></ol><table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table><p>x<br>y</p><a href="#top">skip</a>',
      'https://h.example/dir/',
    );
    expect(md).toBe('## T&eacute;st AB\n\n1. one\n2. two *x*\n\n| a | b |\n| 1 | 2 |\n\nx\ny\n\nskip');
  });
});
