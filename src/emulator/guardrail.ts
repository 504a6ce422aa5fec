/**
 * The emulator's Bedrock Guardrails (B26): enough of the real behaviour to test a client
 * against — the guardrail named by the request headers judges the input (only the text inside
 * guard-content tags when the body gives their suffix and the input has some), and a blocked
 * input gets the canned reply with `stop_reason: guardrail_intervened`,
 * `amazon-bedrock-guardrailAction: INTERVENED` and, with `X-Amzn-Bedrock-Trace` enabled, an
 * `amazon-bedrock-trace` naming the policy that acted.
 */
import type { ScenarioGuardrail } from './types.js';

type Json = Record<string, unknown>;

export const DEFAULT_BLOCKED_MESSAGING = 'Sorry, the model cannot answer this question.';

function texts(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) texts(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Json;
    if (typeof o.text === 'string') out.push(o.text);
    if (o.content !== undefined) texts(o.content, out);
  }
}

/** The input a guardrail judges: the tagged spans when the body names a suffix and tags are present, else all of it. */
export function judgedInput(body: Json): { text: string; tagged: boolean } {
  const all: string[] = [];
  texts(body.system, all);
  for (const m of Array.isArray(body.messages) ? body.messages : []) texts((m as Json).content, all);
  const whole = all.join('\n');
  const config = body['amazon-bedrock-guardrailConfig'];
  const suffix = config && typeof config === 'object' ? (config as Json).tagSuffix : undefined;
  if (typeof suffix !== 'string') return { text: whole, tagged: false };
  const open = `<amazon-bedrock-guardrails-guardContent_${suffix}>`;
  const close = `</amazon-bedrock-guardrails-guardContent_${suffix}>`;
  const spans: string[] = [];
  let at = whole.indexOf(open);
  while (at >= 0) {
    const end = whole.indexOf(close, at + open.length);
    if (end < 0) break;
    spans.push(whole.slice(at + open.length, end));
    at = whole.indexOf(open, end + close.length);
  }
  return spans.length > 0 ? { text: spans.join('\n'), tagged: true } : { text: whole, tagged: false };
}

export interface GuardrailVerdict {
  words: string[];
}

/** The blocked words found in the judged input; undefined when the input passes. */
export function judge(body: Json, g: ScenarioGuardrail): GuardrailVerdict | undefined {
  const input = judgedInput(body).text.toLowerCase();
  const words = g.blockedInputWords.filter((w) => input.includes(w.toLowerCase()));
  return words.length > 0 ? { words } : undefined;
}

/** The fields an intervention adds to the response (the last stream event, or the message). */
export function interventionFields(g: ScenarioGuardrail, verdict: GuardrailVerdict, traceHeader: string | undefined): Json {
  const out: Json = { 'amazon-bedrock-guardrailAction': 'INTERVENED' };
  if (traceHeader === 'ENABLED' || traceHeader === 'ENABLED_FULL') {
    out['amazon-bedrock-trace'] = {
      guardrail: {
        input: { [g.id]: { wordPolicy: { customWords: verdict.words.map((match) => ({ match, action: 'BLOCKED', detected: true })) } } },
      },
    };
  }
  return out;
}
