/**
 * `@path` mentions in an interactive prompt: the files (and folders) a person names are read
 * for the model up front, as if it had called Read (or LS) itself, so it does not spend a turn
 * asking. They go through the same tools and the same permission rules: a path a deny rule
 * covers is not attached, and the person is told why.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { ImageBlock, TextBlock } from '../bedrock/anthropic.js';
import type { PermissionPolicy } from '../permissions/types.js';
import type { AnyTool, ToolContext } from '../tools/types.js';
import { redactToolContent } from '../util/redact-for-model.js';

/** More mentions than this in one prompt are not read (a pasted log full of @ signs). */
export const MAX_MENTIONS = 10;

/**
 * The paths mentioned: `@word` at the start or after whitespace (not `a@b.c`), or `@"with spaces"`.
 * Trailing sentence punctuation is not part of a path; `@server:uri` (MCP resources) is left alone.
 */
export function findMentions(prompt: string): string[] {
  const out: string[] = [];
  const re = /(?:^|(?<=\s))@(?:"([^"\n]+)"|([^\s"]+))/g;
  for (const m of prompt.matchAll(re)) {
    let p = m[1] ?? m[2] ?? '';
    if (m[2] !== undefined) p = p.replace(/[.,;:!?)\]}'`]+$/, '');
    if (p === '' || /^[A-Za-z0-9_-]+:(?!\/|\\)/.test(p)) continue;
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

export interface MentionDeps {
  policy: PermissionPolicy;
  tools: readonly AnyTool[];
  context: ToolContext;
}

export interface MentionOutcome {
  attachments: Array<TextBlock | ImageBlock>;
  /** One line each for the person: what was attached, what was not and why. */
  notes: string[];
}

/** Reads each mentioned path that exists; names that are not paths stay plain text. */
export async function readMentions(prompt: string, deps: MentionDeps): Promise<MentionOutcome> {
  const outcome: MentionOutcome = { attachments: [], notes: [] };
  const mentions = findMentions(prompt);
  for (const [i, mention] of mentions.entries()) {
    if (i >= MAX_MENTIONS) {
      outcome.notes.push(`@ mentions after the first ${MAX_MENTIONS} were not read`);
      break;
    }
    const abs = path.resolve(deps.context.cwd, mention.startsWith('~/') ? path.join(deps.context.childEnv.HOME ?? '', mention.slice(2)) : mention);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      // Not a path (a word that starts with @), or one that cannot be looked at: plain text.
      continue;
    }
    const toolName = isDir ? 'LS' : 'Read';
    const input = isDir ? { path: abs } : { file_path: abs };
    const tool = deps.tools.find((t) => t.name === toolName);
    if (!tool) continue;
    const decision = await deps.policy.decide(toolName, input);
    // The person named the path, which answers an "ask"; a deny rule still holds.
    if (decision.behavior === 'deny') {
      outcome.notes.push(`@${mention} not attached: ${decision.reason}`);
      continue;
    }
    const result = await tool.run(input, deps.context);
    if (result.isError) {
      outcome.notes.push(`@${mention} not attached: ${typeof result.forModel === 'string' ? result.forModel.split('\n')[0] : 'unreadable'}`);
      continue;
    }
    const header: TextBlock = { type: 'text', text: `The user's prompt mentions @${mention}; ${isDir ? 'its listing' : 'its contents'} (${abs}), read by bcode:` };
    const body = redactToolContent(result.forModel);
    outcome.attachments.push(header, ...(typeof body === 'string' ? [{ type: 'text' as const, text: body }] : body));
    outcome.notes.push(`@${mention}: ${result.forDisplay}`);
  }
  return outcome;
}
