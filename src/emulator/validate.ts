/** Request body checks in the order and wording Bedrock uses for Anthropic models. */
import { type AwsErrorReply, awsError, malformedInput } from './aws-errors.js';
import type { FoundationModel } from './catalog.js';
import { countCacheMarkers, inputTokenEstimate } from './accounting.js';
import { CORE_BODY_FIELDS } from '../models/capabilities.js';

export const ANTHROPIC_VERSION = 'bedrock-2023-05-31';
const MAX_CACHE_MARKERS = 4;
const MIN_THINKING_BUDGET = 1024;

type Json = Record<string, unknown>;

export function parseBody(raw: Buffer): { ok: true; body: Json } | { ok: false; reply: AwsErrorReply } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, reply: malformedInput(['expected type: JSONObject, found: String']) };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, reply: malformedInput([`expected type: JSONObject, found: ${Array.isArray(parsed) ? 'JSONArray' : typeof parsed}`]) };
  }
  return { ok: true, body: parsed as Json };
}

/** Returns the first problem Bedrock would report, or undefined when the body is acceptable. */
export function validateMessagesBody(body: Json, model: FoundationModel): AwsErrorReply | undefined {
  const schema: string[] = [];
  if (!('anthropic_version' in body)) schema.push('required key [anthropic_version] not found');
  if (!('max_tokens' in body)) schema.push('required key [max_tokens] not found');
  if (!('messages' in body)) schema.push('subject must not be valid against schema {"required":["messages"]}');
  for (const key of ['stream', 'model']) if (key in body) schema.push(`extraneous key [${key}] is not permitted`);
  // The same facts bcode builds its requests from (src/models/capabilities.ts).
  const allowed = new Set([...CORE_BODY_FIELDS, ...model.caps.extraFields, 'stream', 'model']);
  for (const key of Object.keys(body)) if (!allowed.has(key)) schema.push(`extraneous key [${key}] is not permitted`);
  if (schema.length) return malformedInput(schema);

  if (body.anthropic_version !== ANTHROPIC_VERSION) {
    return awsError('ValidationException', `invalid anthropic_version: ${JSON.stringify(body.anthropic_version)}; use "${ANTHROPIC_VERSION}"`);
  }
  const maxTokens = body.max_tokens;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    return awsError('ValidationException', `Malformed input request: #/max_tokens: expected minimum: 1, found: ${JSON.stringify(maxTokens)}, please reformat your input and try again.`);
  }
  if (maxTokens > model.maxOutputTokens) {
    return awsError('ValidationException', `max_tokens: ${maxTokens} > ${model.maxOutputTokens}, which is the maximum allowed number of output tokens for ${model.anthropicName}`);
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return awsError('ValidationException', 'messages: at least one message is required');
  }
  for (const [i, m] of (body.messages as Json[]).entries()) {
    if (!m || (m.role !== 'user' && m.role !== 'assistant')) return awsError('ValidationException', `messages.${i}.role: Input should be 'user' or 'assistant'`);
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) return awsError('ValidationException', `messages.${i}.content: Input should be a valid string or list`);
  }
  if ((body.messages as Json[])[0].role !== 'user') return awsError('ValidationException', 'messages: first message must use the "user" role');

  if (body.anthropic_beta !== undefined) {
    const betas = body.anthropic_beta;
    if (!Array.isArray(betas) || betas.some((b) => typeof b !== 'string')) return malformedInput(['#/anthropic_beta: expected type: JSONArray']);
    if (betas.some((b) => !model.caps.betas.includes(b as string))) return awsError('ValidationException', 'invalid beta flag');
  }

  const markers = countCacheMarkers(body);
  if (markers > MAX_CACHE_MARKERS) {
    return awsError('ValidationException', `A maximum of ${MAX_CACHE_MARKERS} blocks with cache_control may be provided. Found ${markers}.`);
  }

  const thinking = body.thinking as Json | undefined;
  if (thinking !== undefined) {
    if (thinking?.type === 'enabled') {
      const budget = thinking.budget_tokens;
      if (typeof budget !== 'number' || !Number.isInteger(budget)) return awsError('ValidationException', 'thinking.enabled.budget_tokens: Field required');
      if (budget < MIN_THINKING_BUDGET) return awsError('ValidationException', `thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_THINKING_BUDGET}`);
      if (budget >= maxTokens) {
        return awsError('ValidationException', '`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size');
      }
      if (body.temperature !== undefined && body.temperature !== 1) {
        return awsError('ValidationException', '`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#important-considerations-when-using-extended-thinking');
      }
    } else if (thinking?.type !== 'disabled' && !(thinking?.type === 'adaptive' && model.caps.thinking === 'adaptive')) {
      return awsError('ValidationException', "thinking: Input tag does not match any of the expected tags: 'disabled', 'enabled'");
    }
  }
  const betas = Array.isArray(body.anthropic_beta) ? body.anthropic_beta : [];
  const window = model.longContextBeta && betas.includes(model.longContextBeta) ? 1_000_000 : model.contextTokens;
  if (inputTokenEstimate(body) > window) {
    return awsError('ValidationException', 'Input is too long for requested model.');
  }
  if (body.temperature !== undefined && body.top_p !== undefined) {
    return awsError('ValidationException', '`temperature` and `top_p` cannot both be specified for this model. Please use only one.');
  }
  return undefined;
}
