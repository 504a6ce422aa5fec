/**
 * The one store of the terminal UI, fed by the session's events and by the controller.
 * Components read snapshots of it and only render.
 *
 * Two halves, as on the screen:
 * - `items`: finished output (prompts, answers, tool lines, notices), rendered to screen lines
 *   once and handed to ink's <Static>, which writes each to the scrollback exactly once. A frame
 *   never redraws them, so its cost does not grow with the session.
 * - the live region: the unfinished part of the streaming answer, running tools, the approval
 *   prompt, the input box, the status line. Its height is kept below the terminal's (ink clears
 *   the whole screen when a frame is as tall as the terminal).
 *
 * A streamed answer moves to `items` a finished block at a time (splitFinished), and a long
 * paragraph a finished screen line at a time (splitStableLines), so the live part stays about
 * one line long and a frame does not rewrite what is already final. Stream events are batched: at most one published frame
 * per FRAME_MS; keys publish at once.
 */
import type { AgentEvent, PermissionReply, PermissionRequest } from '../../agent/events.js';
import type { ContentBlock } from '../../bedrock/anthropic.js';
import { redact } from '../../util/redact.js';
import { StreamRedactor } from '../../util/stream-redact.js';
import type { EditorState } from './editor.js';
import type { Picker } from './picker.js';
import { emptyEditor } from './editor.js';
import { editDiff, outputPreview, toolLine, toolOutcome, toolTitle } from './format.js';
import { renderMarkdown, splitFinished } from './markdown.js';
import { splitStableLines } from './stream-commit.js';
import type { Style } from './style.js';
import { hang, wrapLines } from './text.js';

/**
 * Stream frames: 15 a second (the cap is 30). Every frame costs its synchronized-output and
 * cursor-move bytes (~40) whatever it shows, and streamed text (a few words a frame at model
 * speeds) does not read smoother at a higher rate; keys are drawn at once whatever this is.
 */
export const FRAME_MS = 66;

export interface StaticItem {
  id: number;
  lines: string[];
}

export interface LiveTool {
  id: string;
  name: string;
  input: unknown;
  title: string;
  state: 'running' | 'ok' | 'error';
  outcome: string;
}

export interface PermissionPrompt {
  request: PermissionRequest;
  stage: 'choose' | 'feedback';
  feedback: string;
}

export interface StatusInfo {
  model: string;
  region: string;
  mode: string;
  costUsd: number;
  /** Share of prompt tokens read from cache over the session, 0..1; undefined before any request. */
  cacheShare?: number;
  /** Share of the model's context window the last response filled, 0..1 (B22). */
  contextShare?: number;
  /** The `statusLine` command's line, when it printed one; replaces the built-in line. */
  custom?: string;
}

export interface TuiState {
  items: StaticItem[];
  /** The unfinished tail of the streaming answer (redacted Markdown source). */
  streaming: string;
  thinking: boolean;
  tools: LiveTool[];
  busy: boolean;
  permission?: PermissionPrompt;
  /** A list to choose from (/rewind, /resume); it takes the input box's place. */
  picker?: Picker;
  input: EditorState;
  /** One line under the input: "press Ctrl-C again to exit", a refused mode … ('' = none). */
  hint: string;
  /** Prompts typed while a turn runs, sent one by one after it. */
  queued: string[];
  /** Ctrl-R: searching the history for `query`; `match` is the entry found (undefined: none). */
  search?: { query: string; match?: string; index: number };
  /** Tab's candidates, shown under the input (the one Tab would pick next is marked). */
  completions: { items: string[]; selected: number };
  status: StatusInfo;
  width: number;
  rows: number;
}

export interface UsageSource {
  totalCostUsd: number;
  total: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number };
}

export class TuiStore {
  private state: TuiState;
  private snapshot: TuiState;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private lastPublish = 0;
  private nextId = 1;
  private redactor = new StreamRedactor();
  private streamedThisMessage = false;
  /** Lines of the paragraph now streaming are already in the scrollback: what follows continues it (no gap). */
  private midParagraph = false;
  /** The context window of a model id (run.tsx gives the capability table's, `[1m]` included). */
  contextWindowOf: (modelId: string) => number = () => 200_000;
  private pendingReply: ((reply: PermissionReply) => void) | undefined;

  constructor(
    readonly style: Style,
    private readonly cwd: string,
    /** The session's usage (the session is made after the store: it needs the store's emit). */
    private readonly usageOf: () => UsageSource,
    status: Omit<StatusInfo, 'costUsd'>,
    size: { width: number; rows: number },
    historyLength: number,
  ) {
    this.state = { items: [], streaming: '', thinking: false, tools: [], busy: false, input: emptyEditor(historyLength), hint: '', queued: [], completions: { items: [], selected: -1 }, status: { ...status, costUsd: 0 }, ...size };
    this.snapshot = this.state;
  }

  // ── for React (useSyncExternalStore) ──
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = (): TuiState => this.snapshot;
  get current(): TuiState {
    return this.state;
  }

  /** Publishes now (keys, commands): the person waits for it. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.moveFinishedText();
    this.lastPublish = Date.now();
    this.snapshot = { ...this.state };
    for (const l of this.listeners) l();
  }

  /** Publishes within FRAME_MS (stream events): many deltas make one frame. */
  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, FRAME_MS - (Date.now() - this.lastPublish));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private set(patch: Partial<TuiState>): void {
    this.state = { ...this.state, ...patch };
  }

  // ── output that is finished ──
  /** Adds lines to the scrollback; `gap` puts an empty line above (a new block). */
  commit(lines: string[], gap = false): void {
    if (lines.length === 0) return;
    this.set({ items: [...this.state.items, { id: this.nextId++, lines: gap && this.state.items.length > 0 ? ['', ...lines] : lines }] });
  }

  /** A one-line message of the UI itself (command output, notices), wrapped to the width. */
  info(text: string, color: 'dim' | 'yellow' | 'red' | 'plain' = 'dim', gap = false): void {
    const s = this.style;
    const paint = color === 'plain' ? (t: string) => t : s[color];
    this.commit(
      redact(text)
        .split('\n')
        .flatMap((l) => wrapLines(l, this.state.width - 1))
        .map((l) => paint(l)),
      gap,
    );
    this.flush();
  }

  userPrompt(text: string): void {
    const s = this.style;
    const lines = redact(text).split('\n');
    this.commit(
      lines.flatMap((l, i) => hang(l, this.state.width - 1, i === 0 ? s.bold('> ') : '  ').map((x) => s.bold(x))),
      true,
    );
    this.set({ busy: true, hint: '' });
    this.flush();
  }

  // ── the input box ──
  setInput(input: EditorState): void {
    this.set({ input });
    this.flush();
  }
  setHint(hint: string): void {
    this.set({ hint });
    this.flush();
  }
  setQueued(queued: string[]): void {
    this.set({ queued });
    this.flush();
  }
  setSearch(search: TuiState['search']): void {
    this.set({ search });
    this.flush();
  }
  setCompletions(items: string[], selected = -1): void {
    if (items.length === 0 && this.state.completions.items.length === 0) return;
    this.set({ completions: { items, selected } });
    this.flush();
  }
  /** A `!command` runs: Esc stops it, prompts wait for it. */
  setBusy(busy: boolean): void {
    this.set({ busy });
    this.flush();
  }
  setMode(mode: string): void {
    this.set({ status: { ...this.state.status, mode } });
    this.flush();
  }
  setCustomStatus(line: string | undefined): void {
    if (line === this.state.status.custom) return;
    this.set({ status: { ...this.state.status, custom: line } });
    // Batched like streamed text: a status command never adds frames of its own.
    this.schedule();
  }

  setModel(model: string): void {
    this.set({ status: { ...this.state.status, model } });
    this.flush();
  }
  setSize(width: number, rows: number): void {
    this.set({ width, rows });
    this.flush();
  }

  // ── pickers ──
  setPicker(picker: Picker | undefined): void {
    this.set({ picker });
    this.flush();
  }

  // ── approvals ──
  askPermission(request: PermissionRequest): Promise<PermissionReply> {
    return new Promise((resolve) => {
      this.pendingReply = resolve;
      this.set({ permission: { request, stage: 'choose', feedback: '' } });
      this.flush();
    });
  }
  setPermission(permission: PermissionPrompt): void {
    this.set({ permission });
    this.flush();
  }
  answerPermission(reply: PermissionReply): void {
    const resolve = this.pendingReply;
    const p = this.state.permission;
    this.pendingReply = undefined;
    this.set({ permission: undefined });
    if (p && reply.decision === 'deny') this.info(`  denied${reply.feedback ? `: ${reply.feedback}` : ''}`, 'dim');
    else if (p && reply.decision === 'allow' && reply.remember && p.request.suggestedRule) this.info(`  always allowed: ${p.request.suggestedRule} (saved to .claude/settings.local.json)`, 'dim');
    this.flush();
    resolve?.(reply);
  }

  // ── the session's events ──
  emit = (e: AgentEvent): void => {
    const s = this.style;
    switch (e.type) {
      case 'session_start':
        this.set({ status: { ...this.state.status, model: e.model, mode: e.permissionMode } });
        return this.schedule();
      case 'text_delta': {
        this.streamedThisMessage = true;
        const out = this.redactor.push(e.text);
        if (out) this.set({ streaming: this.state.streaming + out, thinking: false });
        return this.schedule();
      }
      case 'thinking_delta':
        if (!this.state.thinking) this.set({ thinking: true });
        return this.schedule();
      case 'assistant_message': {
        let text = this.state.streaming + this.redactor.flush();
        if (!this.streamedThisMessage) text = redact(e.message.content.map((b) => (b.type === 'text' ? b.text : '')).join(''));
        this.set({ streaming: '', thinking: false });
        this.commitAnswer(text);
        this.redactor = new StreamRedactor();
        this.streamedThisMessage = false;
        return this.flush();
      }
      case 'tool_started':
        this.set({ tools: [...this.state.tools, { id: e.id, name: e.name, input: e.input, title: toolTitle(e.name, e.input, this.cwd), state: 'running', outcome: '' }] });
        return this.schedule();
      case 'tool_finished':
        this.set({
          tools: this.state.tools.map((t) => (t.id === e.id ? { ...t, state: e.isError ? 'error' : 'ok', outcome: toolOutcome(e.name, e.display, e.isError) } : t)),
        });
        return this.schedule();
      case 'permission_denied': {
        const title = toolTitle(e.name, e.input, this.cwd);
        this.commit([toolLine(title, 'denied', 'error', this.state.width, s), ...wrapLines(s.dim(`  ${redact(e.reason)}`), this.state.width - 1)]);
        return this.schedule();
      }
      case 'tool_results':
        this.commitTools(e.content);
        return this.flush();
      case 'todos':
        this.commit(e.todos.map((t) => `  ${t.status === 'completed' ? s.green('☑') : t.status === 'in_progress' ? s.yellow('◐') : '☐'} ${redact(t.content)}`), true);
        return this.schedule();
      case 'usage': {
        const u = e.usage;
        const filled = e.model === this.state.status.model ? (u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + u.output_tokens) / this.contextWindowOf(e.model) : this.state.status.contextShare;
        this.set({ status: { ...this.state.status, costUsd: this.usageOf().totalCostUsd, cacheShare: cacheShare(this.usageOf().total), contextShare: filled } });
        return this.schedule();
      }
      case 'retrying': {
        const n = e.notice;
        if (n.restart || n.reason === 'stream_interrupted') {
          // The broken stream is sent again from its start: what it showed live goes.
          this.set({ streaming: '' });
          this.redactor = new StreamRedactor();
          this.midParagraph = false;
        }
        this.commit([s.yellow(`⟳ ${redact(`retrying (${n.reason}, attempt ${n.attempt}/${n.maxRetries}${n.delayMs > 0 ? `, waiting ${(n.delayMs / 1000).toFixed(1)} s` : ''}): ${n.message}`)}`)]);
        return this.flush();
      }
      case 'notice':
      case 'system_notice':
        this.commit(wrapLines(s.yellow(redact(e.text)), this.state.width - 1));
        return this.flush();
      case 'error':
        this.commit([...wrapLines(s.red(redact(`error: ${e.message}`)), this.state.width - 1), ...(e.hint ? wrapLines(s.dim(redact(`hint: ${e.hint}`)), this.state.width - 1) : [])], true);
        return this.flush();
      case 'done': {
        const r = e.result;
        if (r.subtype === 'interrupted') {
          // What streamed before the interrupt stays on screen (the model never saw it finish).
          this.commitAnswer(this.state.streaming + this.redactor.flush());
          this.redactor = new StreamRedactor();
          this.commitTools([]);
          this.commit([s.yellow('⎿ interrupted')]);
        } else if (r.subtype === 'error_max_turns') {
          this.commit([s.red(`stopped after the maximum number of turns (${r.numTurns})`)]);
        }
        this.streamedThisMessage = false;
        this.midParagraph = false;
        this.set({ busy: false, streaming: '', thinking: false, tools: [], status: { ...this.state.status, costUsd: this.usageOf().totalCostUsd, cacheShare: cacheShare(this.usageOf().total) } });
        return this.flush();
      }
      default:
        return;
    }
  };

  /**
   * Finished blocks of the streaming text go to the scrollback (called before each publish), and
   * so do the finished screen lines of the paragraph still streaming: the live region keeps only
   * the unfinished tail, so a frame does not rewrite the whole message.
   */
  private moveFinishedText(): void {
    const { finished, rest } = splitFinished(this.state.streaming);
    if (finished.trim() !== '') {
      this.commitAnswer(finished);
      this.state = { ...this.state, streaming: rest };
    }
    const stable = splitStableLines(this.state.streaming, Math.max(10, this.state.width - 1), this.style);
    if (!stable) return;
    this.commit(stable.lines, !this.midParagraph);
    this.midParagraph = true;
    this.state = { ...this.state, streaming: stable.rest };
  }

  private commitAnswer(text: string): void {
    const gap = !this.midParagraph;
    this.midParagraph = false;
    if (text.trim() === '') return;
    const lines = renderMarkdown(text, { width: this.state.width - 1, style: this.style });
    this.commit(lines, gap);
  }

  private commitTools(results: ContentBlock[]): void {
    const s = this.style;
    const w = this.state.width;
    const lines: string[] = [];
    for (const t of this.state.tools) {
      const state = t.state === 'running' ? 'error' : t.state;
      lines.push(toolLine(t.title, t.state === 'running' ? 'interrupted' : t.outcome, state, w, s));
      if (t.state === 'ok') lines.push(...editDiff(t.name, t.input, w, s));
      const result = results.find((b): b is Extract<ContentBlock, { type: 'tool_result' }> => b.type === 'tool_result' && b.tool_use_id === t.id);
      if (result && t.name === 'Bash') lines.push(...outputPreview(resultText(result.content), w, s));
    }
    this.set({ tools: [] });
    this.commit(lines, true);
  }
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((b: { type?: string; text?: string }) => (b.type === 'text' ? (b.text ?? '') : '')).join('\n');
  return '';
}

/** Cache reads ÷ all prompt tokens (uncached input + cache writes + cache reads). */
export function cacheShare(t: UsageSource['total']): number | undefined {
  const all = t.input_tokens + t.cache_creation_input_tokens + t.cache_read_input_tokens;
  return all === 0 ? undefined : t.cache_read_input_tokens / all;
}
