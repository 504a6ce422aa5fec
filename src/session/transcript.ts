import { randomUUID } from 'node:crypto';
import { closeSync, fsync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
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
  append(message: MessageParam): void {
    this.write({ type: message.role, message });
  }

  /** Records a compaction (A9) so that a resumed session continues from the summary. */
  appendCompaction(summary: MessageParam, keptMessages: number, compactedMessages: number): void {
    this.write({ type: 'compaction', message: summary, keptMessages, compactedMessages });
  }

  /** Records that a guardrail blocked the last `count` messages, so a resumed session leaves them out too (B26). */
  appendExclusion(count: number, reason: string): void {
    this.write({ type: 'excluded', message: { role: 'assistant', content: [{ type: 'text', text: reason }] }, excludedMessages: count });
  }

  private write(fields: Pick<TranscriptEntry, 'type' | 'message' | 'keptMessages' | 'compactedMessages' | 'excludedMessages'>): void {
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
    const line = `${redact(JSON.stringify(entry))}\n`;
    const fd = (this.fd ??= openSync(this.file, 'a', 0o600));
    writeSync(fd, line);
    this.parent = entry.uuid;
    // One fsync at a time; a later one covers every line written before it started.
    this.syncing = this.syncing.then(() => new Promise<void>((resolve) => fsync(fd, () => resolve())));
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

/** Reads a transcript back; a torn last line (a crash mid-write) is skipped. */
export function readTranscript(file: string): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as TranscriptEntry);
    } catch {
      // torn write: ignore
    }
  }
  return out;
}
