import type { ContentBlock, MessageParam, MessagesRequest } from '../bedrock/anthropic.js';
import { SUMMARY_HEADING } from './compaction.js';

/**
 * Guardrail-aware sessions (B26), the agent's half: what the user typed is wrapped in Bedrock's
 * guard-content tags, so that input filters (prompt attack above all) judge it and not the
 * system prompt, tool results or file contents; and a blocked exchange is told apart so that it
 * stays out of later requests.
 */

/** The stop reason Bedrock gives a response a guardrail replaced with its canned message. */
export const GUARDRAIL_STOP_REASON = 'guardrail_intervened';

export function guardTag(suffix: string): { open: string; close: string } {
  return { open: `<amazon-bedrock-guardrails-guardContent_${suffix}>`, close: `</amazon-bedrock-guardrails-guardContent_${suffix}>` };
}

/** Text the user typed, as it can appear in a conversation: a user message of text blocks only (not tool results, not a compaction summary). */
function isTyped(m: MessageParam): boolean {
  if (m.role !== 'user') return false;
  const blocks: ContentBlock[] = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
  if (blocks.length === 0 || !blocks.every((b) => b.type === 'text')) return false;
  const first = blocks[0];
  return !(first.type === 'text' && first.text.startsWith(SUMMARY_HEADING));
}

/**
 * The messages with every typed user text wrapped in the guard-content tag. Every typed message
 * is tagged, not only the last, so the bytes of earlier turns never change and the prompt cache
 * keeps matching. Typed text cannot end the tagged span early: the suffix is secret, and text
 * that spells the tag out is broken up.
 */
export function tagTypedMessages(messages: readonly MessageParam[], suffix: string): MessageParam[] {
  const { open, close } = guardTag(suffix);
  const defuse = (text: string) => text.split(`guardContent_${suffix}`).join(`guardContent_ ${suffix}`);
  return messages.map((m): MessageParam => {
    if (!isTyped(m)) return m;
    const blocks: ContentBlock[] = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
    return { ...m, content: blocks.map((b) => (b.type === 'text' ? { ...b, text: `${open}${defuse(b.text)}${close}` } : b)) };
  });
}

/** Tells Bedrock which tag marks the input to judge (`amazon-bedrock-guardrailConfig.tagSuffix`). */
export function withGuardrailConfig(request: MessagesRequest, suffix: string): MessagesRequest {
  return Object.assign(request, { 'amazon-bedrock-guardrailConfig': { tagSuffix: suffix } });
}
