import { z } from 'zod';
import { htmlToMarkdown } from './html-to-markdown.js';
import { classifyNetFailure } from '../net/errors.js';
import { netFetch } from '../net/fetch.js';
import { fail, firstLine, ok } from './result.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

export interface WebFetchLimits {
  maxBytes: number;
  timeoutMs: number;
  /** Page text handed to the small model (or, without one, to the main model). */
  maxChars: number;
  maxRedirects: number;
}

export const WEB_FETCH_LIMITS: WebFetchLimits = { maxBytes: 5 * 1024 * 1024, timeoutMs: 30_000, maxChars: 100_000, maxRedirects: 5 };
/** Without a small model the raw page goes into the main conversation, so less of it. */
const RAW_MAX_CHARS = 40_000;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const inputSchema = z.object({
  url: z.string().min(1).describe('Full URL'),
  prompt: z.string().min(1).describe('What to extract from the page'),
});
type Input = z.infer<typeof inputSchema>;

export function createWebFetchTool(limits: WebFetchLimits = WEB_FETCH_LIMITS): Tool<Input> {
  return {
    name: 'WebFetch',
    description: `Fetch a web page (http is upgraded to https), convert it to Markdown and answer the prompt about it with a small model. Pages over ${limits.maxBytes / 1024 / 1024} MB are refused; redirects to another host are reported, not followed.`,
    inputSchema,
    isReadOnly: () => true,
    run: (input, ctx) => webFetch(input, ctx, limits),
  };
}

export const webFetchTool = createWebFetchTool();

/** Plain http only for loopback addresses (local dev servers, tests). */
export function upgradeToHttps(url: URL): URL {
  if (url.protocol !== 'http:' || LOOPBACK.has(url.hostname)) return url;
  const out = new URL(url.href);
  out.protocol = 'https:';
  return out;
}

class FetchProblem extends Error {}

async function webFetch(input: Input, ctx: ToolContext, limits: WebFetchLimits): Promise<ToolResult> {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return fail(`url is not a valid absolute URL: ${input.url}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`Only http and https URLs can be fetched, not ${url.protocol}`);
  url = upgradeToHttps(url);
  if (url.username || url.password) return fail('URLs with credentials in them are not fetched.');

  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(limits.timeoutMs)]);
  let page: { url: URL; contentType: string; body: string };
  try {
    const got = await fetchFollowingSameHost(url, signal, limits);
    if ('redirectTo' in got) {
      return ok(
        `${url.href} redirects to a different host: ${got.redirectTo}\nCall WebFetch again with that URL to fetch it.`,
        `Redirected to ${new URL(got.redirectTo).host}`,
      );
    }
    page = got;
  } catch (err) {
    if (ctx.signal.aborted) return fail('Interrupted.');
    if (signal.aborted) return fail(`Fetching ${url.href} took longer than ${limits.timeoutMs / 1000} s and was stopped.`);
    if (err instanceof FetchProblem) return fail(err.message);
    // The proxy or the trust store (B27): said as such, so the user can fix the right thing.
    const net = classifyNetFailure(err, url);
    if (net) return fail(`Could not fetch ${url.href}: ${net.message} (${net.hint ?? ''})`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return fail(`Could not fetch ${url.href}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }

  const isHtml = /html/i.test(page.contentType) || (!page.contentType && /^\s*<(!doctype|html)/i.test(page.body));
  const markdown = isHtml ? htmlToMarkdown(page.body, page.url.href) : page.body;
  const bytesNote = `${page.url.href} (${markdown.length} chars as Markdown)`;

  if (ctx.askSmallModel) {
    const content = markdown.length > limits.maxChars ? `${markdown.slice(0, limits.maxChars)}\n[…page cut…]` : markdown;
    const question =
      `Below is the content of the web page ${page.url.href}.\n<page>\n${content}\n</page>\n\n` +
      `Using only that page, answer: ${input.prompt}\nBe concise. Quote exact wording only where it matters (code, commands, numbers).`;
    try {
      const answer = await ctx.askSmallModel(question, ctx.signal);
      return ok(answer, `Fetched ${bytesNote}`);
    } catch (err) {
      if (ctx.signal.aborted) return fail('Interrupted.');
      // The page is still useful without the summary.
      const raw = capRaw(markdown);
      return ok(`(Summarising failed: ${firstLine((err as Error).message ?? String(err))}; here is the page.)\n\n${raw}`, `Fetched ${bytesNote}`);
    }
  }
  return ok(`Content of ${page.url.href}:\n\n${capRaw(markdown)}`, `Fetched ${bytesNote}`);
}

function capRaw(markdown: string): string {
  return markdown.length > RAW_MAX_CHARS ? `${markdown.slice(0, RAW_MAX_CHARS)}\n\n[Page cut at ${RAW_MAX_CHARS} of ${markdown.length} chars]` : markdown;
}

async function fetchFollowingSameHost(
  start: URL,
  signal: AbortSignal,
  limits: WebFetchLimits,
): Promise<{ url: URL; contentType: string; body: string } | { redirectTo: string }> {
  let url = start;
  for (let hop = 0; hop <= limits.maxRedirects; hop++) {
    // Through the proxy and CA in effect (B27), as the model calls go.
    const res = await netFetch(url, {
      redirect: 'manual',
      signal,
      headers: { 'user-agent': 'bcode-webfetch', accept: 'text/html, text/markdown, text/plain, application/json;q=0.9, */*;q=0.5' },
    });
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      await res.body?.cancel();
      const next = new URL(res.headers.get('location') as string, url);
      if (next.host !== url.host) return { redirectTo: next.href };
      url = next;
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new FetchProblem(`${url.href} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`);
    }
    const contentType = res.headers.get('content-type') ?? '';
    if (contentType && !/^(text\/|application\/(json|xml|xhtml\+xml|javascript|ld\+json|rss\+xml|atom\+xml))/i.test(contentType)) {
      await res.body?.cancel();
      throw new FetchProblem(`${url.href} is ${contentType.split(';')[0]}, not a text page; WebFetch reads HTML and text only.`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > limits.maxBytes) {
      await res.body?.cancel();
      throw new FetchProblem(tooBig(url, limits));
    }
    const bytes = await readLimited(res, limits.maxBytes, url);
    return { url, contentType, body: decodeBody(bytes, contentType) };
  }
  throw new FetchProblem(`${start.href} redirected more than ${limits.maxRedirects} times.`);
}

function tooBig(url: URL, limits: WebFetchLimits): string {
  return `${url.href} is larger than ${limits.maxBytes / 1024 / 1024} MB; WebFetch does not read pages that big.`;
}

async function readLimited(res: Response, maxBytes: number, url: URL): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new FetchProblem(tooBig(url, { ...WEB_FETCH_LIMITS, maxBytes }));
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function decodeBody(bytes: Uint8Array, contentType: string): string {
  const charset = /charset=["']?([\w-]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}
