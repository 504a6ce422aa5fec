import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ContentBlock, MessageParam, ToolResultBlock } from '../bedrock/anthropic.js';
import { UsageError } from '../errors.js';
import { projectsDir, readTranscript, sanitizeCwd, type TranscriptEntry } from './transcript.js';

export const RESUME_INTERRUPTED = 'Interrupted: the session ended before this tool call finished.';

export interface LoadedSession {
  sessionId: string;
  file: string;
  messages: MessageParam[];
  /** uuid of the last entry, so new entries chain on. */
  lastUuid: string | null;
  /** Results added for tool calls the transcript left unanswered (to append to the file too). */
  repaired?: MessageParam;
}

const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** The most recently written session of this working directory (`--continue`). */
export function latestSessionId(env: Record<string, string | undefined>, cwd: string): string | undefined {
  const dir = path.join(projectsDir(env), sanitizeCwd(cwd));
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => ({ f, t: statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  return files[0]?.f.slice(0, -'.jsonl'.length);
}

/** Finds a session by id: this directory's sessions first, then every project's. */
export function sessionFile(env: Record<string, string | undefined>, cwd: string, sessionId: string): string | undefined {
  if (!SESSION_ID.test(sessionId)) return undefined;
  const root = projectsDir(env);
  const own = path.join(root, sanitizeCwd(cwd), `${sessionId}.jsonl`);
  if (existsSync(own)) return own;
  if (!existsSync(root)) return undefined;
  for (const d of readdirSync(root)) {
    const f = path.join(root, d, `${sessionId}.jsonl`);
    if (existsSync(f)) return f;
  }
  return undefined;
}

/**
 * Reads a session back as API messages. A transcript cut off after an assistant message with
 * tool calls (a crash mid-tool) gets error results for them, so the conversation stays valid.
 */
export function loadSession(env: Record<string, string | undefined>, cwd: string, sessionId: string): LoadedSession {
  const file = sessionFile(env, cwd, sessionId);
  if (!file) {
    throw new UsageError(`no session '${sessionId}' found`, { hint: `sessions are kept under ${projectsDir(env)}; use --continue for the latest one in this directory` });
  }
  const entries = readTranscript(file).filter((e) => (e.type === 'user' || e.type === 'assistant' || e.type === 'compaction' || e.type === 'excluded') && e.message);
  const messages = conversationOf(entries);
  const loaded: LoadedSession = { sessionId, file, messages, lastUuid: entries.length ? entries[entries.length - 1].uuid : null };
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant' && Array.isArray(last.content)) {
    const pending = last.content.filter((b): b is Extract<ContentBlock, { type: 'tool_use' }> => b.type === 'tool_use');
    if (pending.length > 0) {
      const results: ToolResultBlock[] = pending.map((u) => ({ type: 'tool_result', tool_use_id: u.id, content: RESUME_INTERRUPTED, is_error: true }));
      loaded.repaired = { role: 'user', content: results };
      messages.push(loaded.repaired);
    }
  }
  return loaded;
}

/** The conversation a transcript ends with: each compaction marker replaces what came before it with its summary and the kept tail. */
export function conversationOf(entries: TranscriptEntry[]): MessageParam[] {
  let messages: MessageParam[] = [];
  for (const e of entries) {
    if (e.type === 'excluded') {
      // B26: a blocked exchange stays in the file but not in the conversation.
      const n = Math.max(0, Math.min(messages.length, e.excludedMessages ?? 0));
      messages = messages.slice(0, messages.length - n);
      continue;
    }
    if (e.type !== 'compaction') {
      messages.push(e.message);
      continue;
    }
    const kept = Math.max(0, Math.min(messages.length, e.keptMessages ?? 0));
    messages = [e.message, ...messages.slice(messages.length - kept)];
  }
  return messages;
}
