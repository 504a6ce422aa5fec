import { randomUUID } from 'node:crypto';
import { closeSync, fstatSync, fsync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MessageParam } from '../bedrock/anthropic.js';
import { redact } from '../util/redact.js';

/**
 * The session transcript (A8/R4): one JSON line per completed message, written with a
 * synchronous write() before the next request, so a crash or kill of bcode at any moment loses
 * no completed turn (the kernel has the line). Each line is then fsync'd on the thread pool,
 * while the next request is on its way, for power loss; `close()` waits for the last one. Every
 * line passes the redaction layer first.
 */
export interface TranscriptEntry {
  /**
   * `compaction`: a marker. From here on the conversation is `message` (the summary) followed by
   * the last `keptMessages` messages before the marker; earlier lines stay as they were written.
   */
  type: 'user' | 'assistant' | 'compaction' | 'excluded';
  uuid: string;
  parentUuid: string | null;
  sessionId: string;
  timestamp: string;
  cwd: string;
  message: MessageParam;
  /** Only on `compaction` markers. */
  keptMessages?: number;
  compactedMessages?: number;
  /**
   * Only on `excluded` markers (B26): the last `excludedMessages` messages before the marker (a
   * turn a guardrail blocked) stay here but are not part of the conversation sent on; `message`
   * holds the notice.
   */
  excludedMessages?: number;
}

/**
 * The format this writer produces. Version 1 files (before this line existed) have no version
 * line and hold only message and compaction lines; they load unchanged. Version 2 adds the version
 * line (always the first line of a new file), `title` lines and `rewind` markers.
 */
export const TRANSCRIPT_FORMAT = 'bcode-transcript';
export const TRANSCRIPT_VERSION = 2;

/** Lines that are not messages: they join no parentUuid chain. */
export type TranscriptMeta =
  | { type: 'version'; format: string; version: number; sessionId: string; cwd: string; timestamp: string }
  | { type: 'title'; title: string; sessionId: string; timestamp: string }
  /** What one user turn (or a title request) cost; the resume picker adds them up. */
  | { type: 'usage'; costUsd: number; sessionId: string; timestamp: string }
  | {
      /**
       * From here on the conversation is what it was just before the user turn `toUuid` (A14);
       * the lines after that turn stay in the file, unused.
       */
      type: 'rewind';
      toUuid: string;
      sessionId: string;
      timestamp: string;
    };

export type TranscriptLine = TranscriptEntry | TranscriptMeta;

/** `~/.claude/projects` (or `$CLAUDE_CONFIG_DIR/projects`). */
export function projectsDir(env: Record<string, string | undefined>): string {
  const base = env.CLAUDE_CONFIG_DIR && env.CLAUDE_CONFIG_DIR.length > 0 ? env.CLAUDE_CONFIG_DIR : path.join(env.HOME && env.HOME.length > 0 ? env.HOME : os.homedir(), '.claude');
  return path.join(base, 'projects');
}

/** A directory name for a working directory: every character that is not a letter or digit becomes `-`. */
export function sanitizeCwd(cwd: string): string {
  return path.resolve(cwd).replace(/[^A-Za-z0-9]/g, '-');
}

export function transcriptPath(env: Record<string, string | undefined>, cwd: string, sessionId: string): string {
  return path.join(projectsDir(env), sanitizeCwd(cwd), `${sessionId}.jsonl`);
}

export class TranscriptWriter {
  constructor(
    readonly file: string,
    readonly sessionId: string,
    private readonly cwd: string,
    private readonly now: () => Date = () => new Date(),
    /** The last entry's uuid when appending to an existing session (resume). */
    private parent: string | null = null,
  ) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  }

  private fd: number | undefined;
  private syncing: Promise<void> = Promise.resolve();

  /**
   * Appends one message. The write is synchronous on purpose: the line survives any crash of
   * this process once this returns; the fsync for power loss follows in the background.
   */
  append(message: MessageParam): string {
    return this.write({ type: message.role, message });
  }

  /** The session's title (A8); the latest title line wins. */
  appendTitle(title: string): void {
    this.writeLine({ type: 'title', title, sessionId: this.sessionId, timestamp: this.now().toISOString() });
  }

  appendUsage(costUsd: number): void {
    if (!(costUsd > 0)) return;
    this.writeLine({ type: 'usage', costUsd, sessionId: this.sessionId, timestamp: this.now().toISOString() });
  }

  /** The uuid new entries chain on to. */
  get lastUuid(): string | null {
    return this.parent;
  }

  /**
   * A rewind marker (A14): the conversation continues from just before the user turn `toUuid`.
   * New entries chain on from the last message kept, so the parentUuid chain shows the branch.
   */
  appendRewind(toUuid: string, newParent: string | null): void {
    this.writeLine({ type: 'rewind', toUuid, sessionId: this.sessionId, timestamp: this.now().toISOString() });
    this.parent = newParent;
  }

  /** Records a compaction (A9) so that a resumed session continues from the summary. */
  appendCompaction(summary: MessageParam, keptMessages: number, compactedMessages: number): void {
    this.write({ type: 'compaction', message: summary, keptMessages, compactedMessages });
  }

  /** Records that a guardrail blocked the last `count` messages, so a resumed session leaves them out too (B26). */
  appendExclusion(count: number, reason: string): void {
    this.write({ type: 'excluded', message: { role: 'assistant', content: [{ type: 'text', text: reason }] }, excludedMessages: count });
  }

  private write(fields: Pick<TranscriptEntry, 'type' | 'message' | 'keptMessages' | 'compactedMessages' | 'excludedMessages'>): string {
    const { type, message, ...marker } = fields;
    const entry: TranscriptEntry = {
      type,
      uuid: randomUUID(),
      parentUuid: this.parent,
      sessionId: this.sessionId,
      timestamp: this.now().toISOString(),
      cwd: this.cwd,
      message,
      ...marker,
    };
    this.writeLine(entry);
    this.parent = entry.uuid;
    return entry.uuid;
  }

  private writeLine(entry: TranscriptLine): void {
    let line = `${redact(JSON.stringify(entry))}\n`;
    let fd = this.fd;
    if (fd === undefined) {
      fd = this.fd = openSync(this.file, 'a', 0o600);
      // A new file starts with its format version, in the same write as its first line.
      if (fstatSync(fd).size === 0) {
        const version: TranscriptMeta = { type: 'version', format: TRANSCRIPT_FORMAT, version: TRANSCRIPT_VERSION, sessionId: this.sessionId, cwd: this.cwd, timestamp: this.now().toISOString() };
        line = `${JSON.stringify(version)}\n${line}`;
      }
    }
    writeSync(fd, line);
    const syncFd = fd;
    // One fsync at a time; a later one covers every line written before it started.
    this.syncing = this.syncing.then(() => new Promise<void>((resolve) => fsync(syncFd, () => resolve())));
  }

  /**
   * Waits until every appended line is fsync'd, then closes the file. The file counts as closed
   * from the moment this is called: a line appended while it waits reopens the file (and is not
   * written to, or fsync'd on, the descriptor being closed), as does any later append.
   */
  async close(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    // Every fsync on `fd` was queued before this point; later ones are on a new descriptor.
    await this.syncing;
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads a transcript's message and compaction lines back; a torn last line (a crash mid-write) is skipped. */
export function readTranscript(file: string): TranscriptEntry[] {
  return readTranscriptLines(file).filter((e): e is TranscriptEntry => (e.type === 'user' || e.type === 'assistant' || e.type === 'compaction') && (e as TranscriptEntry).message !== undefined);
}

/** Every line of a transcript, meta lines included; a torn line (a crash mid-write) is skipped. */
export function readTranscriptLines(file: string): TranscriptLine[] {
  const out: TranscriptLine[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = JSON.parse(line) as TranscriptLine;
      if (parsed && typeof parsed === 'object' && typeof parsed.type === 'string') out.push(parsed);
    } catch {
      // torn write: ignore
    }
  }
  return out;
}

/** The format version a transcript declares on its first line; 1 for files from before the version line. */
export function transcriptVersion(lines: TranscriptLine[]): number {
  const first = lines[0];
  return first?.type === 'version' && typeof first.version === 'number' ? first.version : 1;
}
