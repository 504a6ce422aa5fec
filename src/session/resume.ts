import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ContentBlock, MessageParam, ToolResultBlock } from '../bedrock/anthropic.js';
import { UsageError } from '../errors.js';
import { projectsDir, readTranscriptLines, sanitizeCwd, transcriptVersion, TRANSCRIPT_VERSION, type TranscriptEntry, type TranscriptLine } from './transcript.js';

export const RESUME_INTERRUPTED = 'Interrupted: the session ended before this tool call finished.';

export interface LoadedSession {
  sessionId: string;
  file: string;
  messages: MessageParam[];
  /** uuid of the last entry, so new entries chain on. */
  lastUuid: string | null;
  /** Results added for tool calls the transcript left unanswered (to append to the file too). */
  repaired?: MessageParam;
  /** The user turns of the conversation as loaded, oldest first (what /rewind lists). */
  turns: UserTurn[];
  /** The latest title line, if the session has one. */
  title?: string;
}

/** One user prompt of a session, with the conversation as it was just before it (A14). */
export interface UserTurn {
  /** The transcript uuid of the prompt's line: checkpoints are filed under it. */
  uuid: string;
  /** The uuid of the line before it: where the chain continues after a rewind to this turn. */
  parentUuid: string | null;
  text: string;
  timestamp: string;
  /** The conversation just before this prompt. */
  before: MessageParam[];
}

/** A user message that the person typed (not tool results, not a compaction summary). */
export function isPrompt(message: MessageParam): boolean {
  if (message.role !== 'user') return false;
  if (typeof message.content === 'string') return true;
  return message.content.length > 0 && message.content.every((b) => b.type !== 'tool_result');
}

export function promptText(message: MessageParam): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
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
  const lines = readTranscriptLines(file);
  const version = transcriptVersion(lines);
  if (version > TRANSCRIPT_VERSION) {
    throw new UsageError(`session '${sessionId}' was written in transcript format ${version}, newer than this bcode reads (${TRANSCRIPT_VERSION})`, { hint: 'update bcode to resume it' });
  }
  const { messages, lastUuid, turns, title } = replayTranscript(lines);
  const loaded: LoadedSession = { sessionId, file, messages, lastUuid, turns, title };
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
export function conversationOf(entries: TranscriptLine[]): MessageParam[] {
  return replayTranscript(entries).messages;
}

/**
 * Replays a transcript's lines: messages append; a compaction marker replaces what came before
 * it with its summary and the kept tail; a rewind marker goes back to the conversation as it was
 * just before the turn it names. Meta lines (version, title) carry no messages.
 */
export function replayTranscript(lines: TranscriptLine[]): { messages: MessageParam[]; lastUuid: string | null; turns: UserTurn[]; title?: string } {
  let messages: MessageParam[] = [];
  let turns: UserTurn[] = [];
  let lastUuid: string | null = null;
  let title: string | undefined;
  for (const e of lines) {
    if (e.type === 'title') {
      if (typeof e.title === 'string') title = e.title;
      continue;
    }
    if (e.type === 'rewind') {
      const at = turns.findIndex((t) => t.uuid === e.toUuid);
      // A marker naming a turn this branch does not have (a damaged file) changes nothing.
      if (at < 0) continue;
      messages = turns[at]!.before.slice();
      lastUuid = turns[at]!.parentUuid;
      turns = turns.slice(0, at);
      continue;
    }
    if (e.type === 'version') continue;
    if (e.type === 'excluded') {
      // B26: a blocked exchange stays in the file but not in the conversation.
      const n = Math.max(0, Math.min(messages.length, (e as TranscriptEntry).excludedMessages ?? 0));
      messages = messages.slice(0, messages.length - n);
      lastUuid = (e as TranscriptEntry).uuid;
      continue;
    }
    const entry = e as TranscriptEntry;
    if (!entry.message || (entry.type !== 'user' && entry.type !== 'assistant' && entry.type !== 'compaction')) continue;
    lastUuid = entry.uuid;
    if (entry.type !== 'compaction') {
      if (entry.type === 'user' && isPrompt(entry.message)) {
        turns.push({ uuid: entry.uuid, parentUuid: entry.parentUuid, text: promptText(entry.message), timestamp: entry.timestamp, before: messages.slice() });
      }
      messages.push(entry.message);
      continue;
    }
    const kept = Math.max(0, Math.min(messages.length, entry.keptMessages ?? 0));
    messages = [entry.message, ...messages.slice(messages.length - kept)];
  }
  return { messages, lastUuid, turns, title };
}
