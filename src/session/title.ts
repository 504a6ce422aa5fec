/**
 * A session's title (A8), made by the small/fast model after the first turn, in the background:
 * the next prompt never waits for it, and closing the session waits for it at most a moment
 * (TITLE_GRACE_MS). It is best effort: a failure leaves the session untitled and the resume
 * picker shows its first prompt instead. Its usage counts in the session's cost.
 *
 * Print mode (`-p`) asks for no title: a one-shot run should send exactly the requests its task
 * needs. Interactive and headless (Agent SDK) sessions get one.
 */
import type { FrontEnd } from '../agent/events.js';
import type { UsageTracker } from '../agent/usage.js';
import type { Provider } from '../bedrock/types.js';

export { TITLE_GRACE_MS } from './title-grace.js';
const TITLE_MAX_TOKENS = 40;
const MAX_CHARS = 80;

/** What the small model is asked; the first prompt and answer are cut so a title request stays small. */
export function titlePrompt(prompt: string, answer: string): string {
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
  return [
    'Write a title of 3 to 7 words for the coding session that starts with the exchange below.',
    'Answer with the title only: no quotes, no full stop, no preamble.',
    '',
    `<request>\n${cut(prompt, 2000)}\n</request>`,
    `<answer>\n${cut(answer, 1000)}\n</answer>`,
  ].join('\n');
}

/** One line, no quotes or markup, at most MAX_CHARS; undefined when nothing usable came back. */
export function cleanTitle(text: string): string | undefined {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  if (!line) return undefined;
  const t = line
    .replace(/^(title:\s*)/i, '')
    .replace(/^["'`*#\s]+|["'`*\s.]+$/g, '')
    .replace(/\s+/g, ' ');
  if (t === '') return undefined;
  return t.length > MAX_CHARS ? `${t.slice(0, MAX_CHARS - 1)}…` : t;
}

export async function makeTitle(o: { provider: Provider; smallModelId: string; usage: UsageTracker; frontEnd: FrontEnd; prompt: string; answer: string; signal: AbortSignal }): Promise<{ title?: string; costUsd: number }> {
  const reply = await o.provider.invoke({ max_tokens: TITLE_MAX_TOKENS, messages: [{ role: 'user', content: titlePrompt(o.prompt, o.answer) }] }, { role: 'smallFast', signal: o.signal });
  const cost = o.usage.add(o.smallModelId, reply.usage);
  o.frontEnd.emit({ type: 'usage', model: o.smallModelId, usage: reply.usage, costUsd: cost });
  return { title: cleanTitle(reply.content.map((b) => (b.type === 'text' ? b.text : '')).join('')), costUsd: cost };
}
