/**
 * The user turns of a live session and what hangs off them (A14): the conversation kept from
 * just before each prompt, the checkpoint store the tools' file changes are snapshotted into,
 * and `rewind`, which the session engine (create.ts) delegates to.
 */
import type { MessageParam } from '../bedrock/anthropic.js';
import type { Conversation } from '../agent/conversation.js';
import type { PermissionReply, PermissionRequest } from '../agent/events.js';
import { CheckpointStore, checkpointDir } from './checkpoints.js';
import { filesTouchedBy } from './checkpoint-targets.js';
import { isPrompt, promptText, type UserTurn } from './resume.js';
import { applyCodeRewind, planCodeRewind, RewindError, type RewindWhat } from './rewind.js';
import { readTranscriptLines, type TranscriptWriter } from './transcript.js';

export interface TurnInfo {
  /** 1-based, oldest first. */
  index: number;
  uuid: string;
  text: string;
  timestamp: string;
}

export interface RewindResult {
  /** The turn's prompt (a front end puts it back in the input box after a conversation rewind). */
  prompt: string;
  conversation: boolean;
  /** Files put back as they were before the turn. */
  restored: string[];
  /** Files changed outside bcode that the person chose to keep. */
  kept: string[];
}

export interface TurnTrackerOptions {
  cwd: string;
  home: string;
  /** The session's transcript now (a new one after /clear). */
  transcript: () => TranscriptWriter;
  notice: (text: string) => void;
  maxBytes?: number;
}

export class TurnTracker {
  private list: UserTurn[];
  private pending: { before: MessageParam[]; parentUuid: string | null } | undefined;
  private current: string | undefined;
  private store: CheckpointStore | undefined;
  private storeFile: string | undefined;

  constructor(
    private readonly o: TurnTrackerOptions,
    initial: UserTurn[] = [],
  ) {
    this.list = initial.slice();
  }

  /** The user turns of the conversation, oldest first (what /rewind offers). */
  turns(): TurnInfo[] {
    return this.list.map((t, i) => ({ index: i + 1, uuid: t.uuid, text: t.text, timestamp: t.timestamp }));
  }

  /** A prompt is about to be submitted: keep the conversation as it is now. */
  beginTurn(conversation: Conversation): void {
    this.pending = { before: conversation.messages.slice(), parentUuid: this.o.transcript().lastUuid };
  }

  /** A message reached the transcript under `uuid`: the first prompt after beginTurn opens the turn. */
  appended(message: MessageParam, uuid: string): void {
    if (!this.pending || !isPrompt(message)) return;
    this.list.push({ uuid, parentUuid: this.pending.parentUuid, text: promptText(message), timestamp: new Date().toISOString(), before: this.pending.before });
    this.current = uuid;
    this.pending = undefined;
  }

  /** `/clear`: a new conversation and transcript; nothing before it can be rewound to. */
  reset(): void {
    this.list = [];
    this.current = undefined;
    this.pending = undefined;
  }

  private checkpoints(): CheckpointStore {
    const file = this.o.transcript().file;
    if (!this.store || this.storeFile !== file) {
      this.store = new CheckpointStore(checkpointDir(file), { notice: this.o.notice, maxBytes: this.o.maxBytes });
      this.storeFile = file;
    }
    return this.store;
  }

  /**
   * The tools' hook (ToolContext.checkpoint): snapshots the files a call may change, and returns
   * what to run after it (recording what the call left, the baseline for "changed outside bcode").
   */
  checkpoint = async (toolName: string, input: unknown, shellCwd: string): Promise<(() => Promise<void>) | undefined> => {
    const turn = this.current;
    if (!turn) return undefined;
    const files = await filesTouchedBy(toolName, input, this.o.cwd, shellCwd, this.o.home);
    if (files.length === 0) return undefined;
    const store = this.checkpoints();
    try {
      await store.snapshot(turn, files);
    } catch (err) {
      this.o.notice(`checkpoints: could not snapshot ${files.join(', ')} (${err instanceof Error ? err.message : String(err)}); /rewind cannot restore this change`);
      return undefined;
    }
    return () => store.recordState('after', turn, files);
  };

  async rewind(
    to: string | number,
    what: RewindWhat,
    s: { conversation: Conversation; confirm?: (request: PermissionRequest) => Promise<PermissionReply>; forgetReads: () => void },
  ): Promise<RewindResult> {
    const at = typeof to === 'number' ? to - 1 : this.list.findIndex((t) => t.uuid === to);
    const turn = this.list[at];
    if (!turn) throw new RewindError(`there is no user turn ${typeof to === 'number' ? to : to} to rewind to`, { hint: `/rewind lists the ${this.list.length} turn${this.list.length === 1 ? '' : 's'} of this conversation` });
    const result: RewindResult = { prompt: turn.text, conversation: false, restored: [], kept: [] };

    if (what !== 'conversation') {
      const transcript = this.o.transcript();
      const order = readTranscriptLines(transcript.file)
        .filter((l) => l.type === 'user' && 'message' in l && isPrompt(l.message))
        .map((l) => (l as { uuid: string }).uuid);
      const store = this.checkpoints();
      let plan = await planCodeRewind(store, order, turn.uuid);
      const outside = plan.filter((f) => f.outside);
      if (outside.length > 0) {
        const reply = s.confirm
          ? await s.confirm({
              toolName: 'Rewind',
              input: { files: outside.map((f) => f.path) },
              description: `${outside.length} file${outside.length === 1 ? ' was' : 's were'} changed outside bcode since its last edit; restoring overwrites ${outside.length === 1 ? 'it' : 'them'}: ${outside.map((f) => f.path).join(', ')}`,
            })
          : ({ decision: 'deny' } as const);
        if (reply.decision !== 'allow') {
          result.kept = outside.map((f) => f.path);
          plan = plan.filter((f) => !f.outside);
        }
      }
      await applyCodeRewind(store, plan);
      result.restored = plan.map((f) => f.path);
    }

    if (what !== 'code') {
      s.conversation.replace(turn.before.slice());
      this.o.transcript().appendRewind(turn.uuid, turn.parentUuid);
      this.list = this.list.slice(0, at);
      this.current = undefined;
      // What the model read in the dropped turns is no longer in its context: it reads again before editing.
      s.forgetReads();
      result.conversation = true;
    }
    return result;
  }
}

export { RewindError };
