/**
 * Bedrock Guardrails as the provider sees them (B14, B26): which guardrail the requests carry
 * (`X-Amzn-Bedrock-GuardrailIdentifier` / `-GuardrailVersion` / `X-Amzn-Bedrock-Trace` in
 * ANTHROPIC_CUSTOM_HEADERS) and what an intervention in a response says.
 */

export interface GuardrailHeaders {
  id?: string;
  version?: string;
  /** `ENABLED` / `ENABLED_FULL`: Bedrock adds `amazon-bedrock-trace` to the response. */
  trace?: string;
}

export interface GuardrailIntervention extends GuardrailHeaders {
  /** One line naming the policies that acted (from the trace), when the trace was enabled. */
  summary?: string;
}

export function guardrailHeaders(customHeaders: Record<string, string>): GuardrailHeaders {
  const get = (name: string): string | undefined => {
    const key = Object.keys(customHeaders).find((k) => k.toLowerCase() === name);
    const v = key === undefined ? undefined : customHeaders[key]?.trim();
    return v ? v : undefined;
  };
  return { id: get('x-amzn-bedrock-guardrailidentifier'), version: get('x-amzn-bedrock-guardrailversion'), trace: get('x-amzn-bedrock-trace') };
}

/** "guardrail abc123 v2" — the id of an ARN shortened to its last segment. */
export function guardrailLabel(g: GuardrailHeaders): string {
  const id = g.id ? (g.id.includes('/') ? g.id.slice(g.id.lastIndexOf('/') + 1) : g.id) : undefined;
  const version = g.version ? (g.version === 'DRAFT' ? ' (DRAFT)' : ` v${g.version}`) : '';
  return id ? `guardrail ${id}${version}` : 'a guardrail';
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The trace's findings in a few words: which filters, topics, word lists and PII types blocked,
 * on input or output. Matched words and PII values are never repeated (they may be the secret).
 */
export function traceSummary(trace: unknown): string | undefined {
  if (!isObj(trace) || !isObj(trace.guardrail)) return undefined;
  const g = trace.guardrail;
  const parts: string[] = [];
  const assess = (where: string, assessment: unknown): void => {
    if (!isObj(assessment)) return;
    // Keyed by guardrail id: { "<id>": { contentPolicy, topicPolicy, wordPolicy, sensitiveInformationPolicy } }
    for (const policies of Object.values(assessment)) {
      if (!isObj(policies)) continue;
      const found: string[] = [];
      const acted = (x: unknown): x is Record<string, unknown> => isObj(x) && x.action !== 'NONE' && x.detected !== false;
      const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
      const content = isObj(policies.contentPolicy) ? policies.contentPolicy : {};
      for (const f of list(content.filters).filter(acted)) found.push(`content filter ${String(f.type ?? '?')}${f.confidence ? ` (${String(f.confidence)})` : ''}`);
      const topics = isObj(policies.topicPolicy) ? policies.topicPolicy : {};
      for (const t of list(topics.topics).filter(acted)) found.push(`denied topic '${String(t.name ?? '?')}'`);
      const words = isObj(policies.wordPolicy) ? policies.wordPolicy : {};
      const wordHits = list(words.customWords).filter(acted).length + list(words.managedWordLists).filter(acted).length;
      if (wordHits > 0) found.push(`word filter (${wordHits} match${wordHits === 1 ? '' : 'es'})`);
      const pii = isObj(policies.sensitiveInformationPolicy) ? policies.sensitiveInformationPolicy : {};
      const types = [...new Set([...list(pii.piiEntities), ...list(pii.regexes)].filter(acted).map((p) => String(p.type ?? p.name ?? 'regex')))];
      if (types.length > 0) found.push(`sensitive information ${types.join(', ')}`);
      const grounding = isObj(policies.contextualGroundingPolicy) ? policies.contextualGroundingPolicy : {};
      for (const f of list(grounding.filters).filter(acted)) found.push(`grounding ${String(f.type ?? '?')}`);
      if (found.length > 0) parts.push(`${where}: ${found.join('; ')}`);
    }
  };
  assess('input', g.input);
  for (const out of Array.isArray(g.outputs) ? g.outputs : []) assess('output', out);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/** The intervention a response event or message carries (`amazon-bedrock-guardrailAction: INTERVENED`), if any. */
export function interventionOf(value: unknown, headers: GuardrailHeaders): GuardrailIntervention | undefined {
  if (!isObj(value) || value['amazon-bedrock-guardrailAction'] !== 'INTERVENED') return undefined;
  const summary = traceSummary(value['amazon-bedrock-trace']);
  return { ...headers, ...(summary ? { summary } : {}) };
}
