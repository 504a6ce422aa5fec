/**
 * What the person can do, as methods: submit a prompt or a command, interrupt, answer an
 * approval, cycle the permission mode, quit. keys.ts maps keys to these; commands.ts calls them
 * through CommandHost. State changes go to the store; the session does the work.
 */
import { failedBeforeStart } from '../../agent/events.js';
import type { Config } from '../../config/types.js';
import type { PermissionMode } from '../../permissions/types.js';
import type { Session } from '../../session/create.js';
import { COMMANDS, parseCommand, type CommandHost } from './commands.js';
import { emptyEditor } from './editor.js';
import { completeCommand } from './extension-commands.js';
import type { PromptHistory } from './history.js';
import type { TuiStore } from './store.js';

/** Shift-Tab order. */
export const MODE_CYCLE: PermissionMode[] = ['default', 'acceptEdits', 'plan', 'bypassPermissions'];
/** Two Ctrl-C within this time quit. */
const CTRL_C_WINDOW_MS = 2000;

export class TuiController implements CommandHost {
  private turn: Promise<unknown> | undefined;
  private lastCtrlC = 0;
  /** A `/compact` is summarising: Esc stops it, and prompts wait for it. */
  private compacting = false;

  constructor(
    private readonly session: Session,
    readonly store: TuiStore,
    readonly history: PromptHistory,
    readonly config: Config,
    readonly version: string,
    private readonly onQuit: () => void,
  ) {}

  // ── CommandHost ──
  get usage() {
    return this.session.usage;
  }
  get modelId(): string {
    return this.session.modelId;
  }
  get permissionMode(): string {
    return this.session.policy.mode;
  }
  get busy(): boolean {
    return this.store.current.busy;
  }
  get extensions() {
    return this.session.extensions;
  }
  print(text: string, color: 'dim' | 'yellow' | 'red' | 'plain' = 'dim'): void {
    this.store.info(text, color);
  }
  setModel(id: string): void {
    this.session.setModel(id);
    this.store.setModel(id);
  }
  async clear(): Promise<void> {
    await this.session.clear();
  }
  async compact(focus: string): Promise<boolean> {
    this.compacting = true;
    try {
      return await this.session.compact(focus === '' ? undefined : focus);
    } finally {
      this.compacting = false;
    }
  }
  quit(): void {
    this.onQuit();
  }

  /** The running turn, if any (to wait for it on quit). */
  get running(): Promise<unknown> | undefined {
    return this.turn;
  }

  /** Enter: a slash command, or a prompt for the model. */
  submit(raw: string): void {
    const text = raw.replace(/\s+$/, '');
    if (text.trim() === '') return;
    if (text.startsWith('/') && !text.startsWith('//')) {
      this.history.add(text);
      this.store.setInput(emptyEditor(this.history.entries.length));
      void this.command(text);
      return;
    }
    if (this.busy || this.compacting) {
      this.store.setHint(this.compacting ? 'compacting the conversation: wait for it, or Esc to stop it' : 'a turn is running: wait for it, or Esc to interrupt it');
      return;
    }
    this.history.add(text);
    this.store.setInput(emptyEditor(this.history.entries.length));
    this.store.userPrompt(text);
    this.turn = this.session
      .submit(text.startsWith('//') ? text.slice(1) : text)
      .catch((err: unknown) => this.store.emit({ type: 'error', message: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        this.turn = undefined;
        // A turn that failed before its `done` event still frees the input.
        if (this.store.current.busy) this.store.emit({ type: 'done', result: failedBeforeStart(this.session.id) });
      });
  }

  private async command(line: string): Promise<void> {
    const customNames = this.session.extensions.commands.map((c) => c.name);
    const parsed = parseCommand(line, customNames);
    if ('custom' in parsed) return this.customCommand(line);
    this.store.info(line, 'dim', true);
    if ('unknown' in parsed) {
      this.store.info(`unknown command /${parsed.unknown}${parsed.suggestion ? ` — did you mean /${parsed.suggestion}?` : ''} (/help lists them: ${[...COMMANDS.map((c) => c.name), ...customNames].map((n) => `/${n}`).join(' ')})`, 'red');
      return;
    }
    if (this.busy && !parsed.command.whileBusy) {
      this.store.info(`/${parsed.command.name} waits for the running turn: Esc interrupts it`, 'red');
      return;
    }
    try {
      await parsed.command.run(this, parsed.args);
    } catch (err) {
      this.store.info(`/${parsed.command.name}: ${err instanceof Error ? err.message : String(err)}`, 'red');
    }
  }

  /** A custom command: its prompt (with !-lines run and @files attached) becomes the turn. */
  private customCommand(line: string): void {
    if (this.busy || this.compacting) {
      this.store.setHint('a turn is running: wait for it, or Esc to interrupt it');
      return;
    }
    this.store.userPrompt(line);
    this.turn = this.session
      .expandCommand(line)
      .then((expanded) => (expanded ? this.session.submit(expanded.prompt, { command: expanded }) : undefined))
      .catch((err: unknown) => this.store.emit({ type: 'error', message: err instanceof Error ? err.message : String(err), hint: (err as { hint?: string }).hint }))
      .finally(() => {
        this.turn = undefined;
        if (this.store.current.busy) this.store.emit({ type: 'done', result: failedBeforeStart(this.session.id) });
      });
  }

  /** Tab: completes a slash command's name (built-in or custom). */
  complete(): void {
    const input = this.store.current.input;
    const names = [...COMMANDS.map((c) => c.name), ...this.session.extensions.commands.map((c) => c.name)];
    const done = completeCommand(input.text, names);
    if (!done) return;
    this.store.setInput({ ...input, text: done.text, cursor: done.text.length });
    this.store.setHint(done.choices ? done.choices.map((n) => `/${n}`).join('  ') : '');
  }

  /** Esc: stop the running turn; what streamed so far stays on screen. */
  interrupt(): void {
    if (this.busy || this.compacting) this.session.interrupt();
  }

  /** Ctrl-C: clears the input (or stops the turn); a second one soon after quits. */
  ctrlC(): void {
    const now = Date.now();
    if (now - this.lastCtrlC < CTRL_C_WINDOW_MS) {
      this.quit();
      return;
    }
    this.lastCtrlC = now;
    const input = this.store.current.input;
    if (input.text !== '') this.store.setInput(emptyEditor(this.history.entries.length));
    else if (this.busy) this.session.interrupt();
    this.store.setHint('Press Ctrl-C again to exit');
  }

  /** Shift-Tab: the next permission mode; a refused one (bypass as root) is skipped with a one-line error. */
  cycleMode(): void {
    const current = MODE_CYCLE.indexOf(this.session.policy.mode);
    let hint = '';
    for (let step = 1; step < MODE_CYCLE.length; step++) {
      const next = MODE_CYCLE[(current + step) % MODE_CYCLE.length];
      try {
        this.session.setPermissionMode(next);
        break;
      } catch (err) {
        hint = `${next} refused: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
      }
    }
    this.store.setMode(this.session.policy.mode);
    this.store.setHint(hint);
  }
}

