/**
 * What a tool hands back passes here before it enters the conversation (R7): the exact secret
 * values bcode knows are masked, nothing else (see `redactLiterals`). Called in one place — tool
 * dispatch — so every tool, error result and sub-agent answer is covered.
 */
import type { ImageBlock, TextBlock } from '../bedrock/anthropic.js';
import { REDACTED, redactLiterals, registeredSecrets, registerSecretFiles } from './redact.js';

/**
 * A secret cut in two by a tool — Bash keeps the head and the tail of a long output around an
 * omission note, BashOutput hands over what a background command printed so far — leaves a
 * fragment at a cut that no literal match finds. Fragments this long are masked; a shorter one
 * gives away too little of a credential to matter, and masking it would garble ordinary text.
 */
const MIN_FRAGMENT = 8;
/** The omission note of Bash, BashOutput and capped tool outputs: `\n\n[… 123 bytes omitted …]\n\n`. */
const CUT_MARK = /\n\n\[… [^\n]{1,200} …\]\n\n/g;

export function redactForModel(text: string): string {
  registerSecretFiles();
  return maskFragments(redactLiterals(text));
}

export function redactToolContent<C extends string | Array<TextBlock | ImageBlock>>(content: C): C {
  if (typeof content === 'string') return redactForModel(content) as C;
  return content.map((b) => (b.type === 'text' ? { ...b, text: redactForModel(b.text) } : b)) as C;
}

function maskFragments(text: string): string {
  const secrets = [...registeredSecrets()].filter((s) => s.length > MIN_FRAGMENT);
  if (secrets.length === 0 || text.length < MIN_FRAGMENT) return text;
  // Segment edges: the start and end of the text and both sides of every omission note.
  const ends = [text.length];
  const starts = [0];
  for (const m of text.matchAll(CUT_MARK)) {
    ends.push(m.index);
    starts.push(m.index + m[0].length);
  }
  const masks: Array<[number, number]> = [];
  for (const e of ends) {
    const k = Math.max(0, ...secrets.map((s) => headAt(text, e, s)));
    if (k > 0) masks.push([e - k, e]);
  }
  for (const st of starts) {
    const k = Math.max(0, ...secrets.map((s) => tailAt(text, st, s)));
    if (k > 0) masks.push([st, st + k]);
  }
  if (masks.length === 0) return text;
  masks.sort((a, b) => b[0] - a[0]);
  let out = text;
  let limit = Infinity;
  for (const [from, to] of masks) {
    if (to > limit) continue; // overlaps a mask already applied further right
    out = out.slice(0, from) + REDACTED + out.slice(to);
    limit = from;
  }
  return out;
}

/** Length of the longest proper head of `secret` (at least MIN_FRAGMENT) that `text` ends with at `end`. */
function headAt(text: string, end: number, secret: string): number {
  for (let p = Math.max(0, end - secret.length + 1); p <= end - MIN_FRAGMENT; p++) {
    if (text.charCodeAt(p) === secret.charCodeAt(0) && text.startsWith(secret.slice(0, end - p), p)) return end - p;
  }
  return 0;
}

/** Length of the longest proper tail of `secret` (at least MIN_FRAGMENT) that `text` starts with at `start`. */
function tailAt(text: string, start: number, secret: string): number {
  for (let k = Math.min(secret.length - 1, text.length - start); k >= MIN_FRAGMENT; k--) {
    if (text.startsWith(secret.slice(secret.length - k), start)) return k;
  }
  return 0;
}
