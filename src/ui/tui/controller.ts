/**
 * What the person can do, as methods: submit a prompt or a command, interrupt, answer an
 * approval, cycle the permission mode, quit. keys.ts maps keys to these; commands.ts calls them
 * through CommandHost. State changes go to the store; the session does the work.
 */
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatBreakdown } from '../../agent/context-breakdown.js';
import { failedBeforeStart } from '../../agent/events.js';
import type { Config } from '../../config/types.js';
import type { PermissionMode } from '../../permissions/types.js';
import type { Session } from '../../session/create.js';
import { COMMANDS, parseCommand, type CommandHost } from './commands.js';
import { commonPrefix, FileIndex, fuzzyMatch, MAX_SHOWN } from './complete.js';
import { emptyEditor, insert, replaceWord, wordAtCursor } from './editor.js';
import { replayBlocks } from './replay.js';
import { addRule, removeRule } from './permissions-edit.js';
import { choiceItems, configuredChoices, LOADING_PROFILES, modelPicker, profileChoices, type ModelChoice } from './model-picker.js';
import { sessionsPicker } from './resume-picker.js';
import { turnsPicker, whatPicker } from './rewind-picker.js';
import type { PromptHistory } from './history.js';
import type { TuiStore } from './store.js';

/** Shift-Tab order. */
export const MODE_CYCLE: PermissionMode[] = ['default', 'acceptEdits', 'plan', 'bypassPermissions'];
/** Two Ctrl-C within this time quit. */
const CTRL_C_WINDOW_MS = 2000;
/** How long /model waits for the region's inference profiles. */
const PROFILES_TIMEOUT_MS = 15_000;
/** Two Esc within this time on an empty, idle prompt open /rewind. */
const ESC_ESC_WINDOW_MS = 800;

export class TuiController implements CommandHost {
  private turn: Promise<unknown> | undefined;
  /** The @ file list, read on the first completion. */
  private files: FileIndex | undefined;
  /** Tab pressed again on an unchanged input cycles through the shown candidates. */
  private cycle: { start: number; prefix: string; text: string; cursor: number } | undefined;
  private lastCtrlC = 0;
  private lastEsc = 0;
  /** A `/compact` is summarising: Esc stops it, and prompts wait for it. */
  private compacting = false;
  /** Undefined while the session is still being made (the UI is drawn and takes keys meanwhile). */
  private session: Session | undefined;
  /** The session once made; prompts typed before wait in the queue, commands wait for it. */
  readonly ready: Promise<Session>;

  constructor(
    session: Session | Promise<Session>,
    readonly store: TuiStore,
    readonly history: PromptHistory,
    readonly config: Config,
    readonly version: string,
    private readonly onQuit: () => void,
    /** Opens an earlier session of this folder (`/resume`); absent where switching is not offered. */
    private readonly reopen?: (sessionId: string) => Promise<Session>,
  ) {
    if ('then' in session) {
      this.ready = session.then((made) => {
        this.session = made;
        this.store.setModel(made.modelId);
        this.store.setMode(made.policy.mode);
        // What was typed while it was being made goes now.
        this.next();
        return made;
      });
    } else {
      this.session = session;
      this.ready = Promise.resolve(session);
    }
  }

  /** The session the UI is on now (`/resume` and `/clear` change it); only called once it is made. */
  get current(): Session {
    if (!this.session) throw new Error('the session is still starting');
    return this.session;
  }

  /** Whether the session is made yet. */
  get started(): boolean {
    return this.session !== undefined;
  }

  // ── CommandHost ──
  get usage() {
    return this.current.usage;
  }
  get modelId(): string {
    return this.current.modelId;
  }
  get hooks() {
    return this.current.hooks;
  }
  mcpServers() {
    return this.current.mcpServers();
  }
  mcpAuthenticate(name: string, print: (line: string) => void) {
    return this.current.mcpAuthenticate(name, print);
  }
  get permissionMode(): string {
    return this.current.policy.mode;
  }
  get busy(): boolean {
    return this.store.current.busy;
  }
  get extensions() {
    return this.current.extensions;
  }
  print(text: string, color: 'dim' | 'yellow' | 'red' | 'plain' = 'dim'): void {
    this.store.info(text, color);
  }
  setModel(id: string): void {
    this.current.setModel(id);
    this.store.setModel(id);
  }
  async clear(): Promise<void> {
    await this.current.clear();
  }
  async compact(focus: string): Promise<boolean> {
    this.compacting = true;
    try {
      return await this.current.compact(focus === '' ? undefined : focus);
    } finally {
      this.compacting = false;
    }
  }
  async context(): Promise<string[]> {
    return formatBreakdown(await this.current.context());
  }
  quit(): void {
    this.onQuit();
  }
  listRules() {
    return this.current.policy.listRules?.();
  }
  addRule(list: 'allow' | 'ask' | 'deny', rule: string): Promise<string> {
    return addRule(this.config, this.current.policy, list, rule);
  }
  removeRule(rule: string): Promise<string> {
    return removeRule(this.config, this.current.policy, rule);
  }

  /** The running turn, if any (to wait for it on quit). */
  get running(): Promise<unknown> | undefined {
    return this.turn;
  }

  /** Enter: a slash command, `!command`, `#memory`, or a prompt for the model (queued while a turn runs). */
  submit(raw: string): void {
    const text = raw.replace(/\s+$/, '');
    if (text.trim() === '') return;
    this.store.setCompletions([]);
    if (text.startsWith('/') && !text.startsWith('//')) {
      this.history.add(text);
      this.store.setInput(emptyEditor(this.history.entries.length));
      void this.command(text);
      return;
    }
    if (this.busy || this.compacting || !this.session) {
      // Typed ahead (or before the session was made): sent when the running work ends (Esc puts it back in the input instead).
      this.history.add(text);
      this.store.setInput(emptyEditor(this.history.entries.length));
      this.store.setQueued([...this.store.current.queued, text]);
      return;
    }
    this.history.add(text);
    this.store.setInput(emptyEditor(this.history.entries.length));
    this.start(text);
  }

  private start(text: string): void {
    if (text.startsWith('!') && text.slice(1).trim() !== '') return this.shell(text.slice(1).trim());
    if (text.startsWith('#') && !text.startsWith('##') && text.slice(1).trim() !== '') return void this.remember(text.slice(1).trim());
    this.store.userPrompt(text);
    this.turn = this.current
      .submit(text.startsWith('//') ? text.slice(1) : text, { mentions: true })
      .catch((err: unknown) => this.store.emit({ type: 'error', message: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        this.turn = undefined;
        // A turn that failed before its `done` event still frees the input.
        if (this.store.current.busy) this.store.emit({ type: 'done', result: failedBeforeStart(this.current.id) });
        this.next();
      });
  }

  /** The next queued prompt, if any, once nothing runs. */
  private next(): void {
    const [first, ...rest] = this.store.current.queued;
    if (first === undefined || this.busy || this.compacting || !this.session) return;
    this.store.setQueued(rest);
    this.start(first);
  }

  /** `!command`: run by the person, output shown here and given to the model with the next prompt. */
  private shell(command: string): void {
    this.store.info(`! ${command}`, 'plain', true);
    this.store.setBusy(true);
    this.turn = this.current
      .runShell(command)
      .then((r) => this.store.info(foldOutput(r.display), r.isError ? 'red' : 'dim'))
      .catch((err: unknown) => this.store.info(`! failed: ${err instanceof Error ? err.message : String(err)}`, 'red'))
      .finally(() => {
        this.turn = undefined;
        this.store.setBusy(false);
        this.next();
      });
  }

  /** `#text`: a line in the project's CLAUDE.md, and in the conversation from the next prompt. */
  private async remember(line: string): Promise<void> {
    const file = path.join(this.config.projectRoot || this.config.cwd, 'CLAUDE.md');
    try {
      let before = '';
      try {
        before = await readFile(file, 'utf8');
      } catch {
        // a new file
      }
      await appendFile(file, `${before !== '' && !before.endsWith('\n') ? '\n' : ''}- ${line}\n`);
      this.current.addContext(`The user added this line to the project memory (${file}): ${line}`);
      this.store.info(`Added to ${path.relative(this.config.cwd, file) || file}: ${line}`);
    } catch (err) {
      this.store.info(`could not write ${file}: ${err instanceof Error ? err.message : String(err)}`, 'red');
    }
  }

  /** Tab: completes a `/command` or an `@path`; again to cycle through the candidates. */
  async complete(): Promise<void> {
    const e = this.store.current.input;
    const { word, start } = wordAtCursor(e);
    const shown = this.store.current.completions;
    if (shown.items.length > 1 && this.cycle && this.cycle.text === e.text && this.cycle.cursor === e.cursor) {
      const selected = (shown.selected + 1) % Math.min(shown.items.length, MAX_SHOWN);
      const next = replaceWord(e, this.cycle.start, this.cycle.prefix + shown.items[selected]);
      this.store.setInput(next);
      this.store.setCompletions(shown.items, selected);
      this.cycle = { ...this.cycle, text: next.text, cursor: next.cursor };
      return;
    }
    let prefix: string;
    let candidates: string[];
    if (start === 0 && word.startsWith('/')) {
      prefix = '/';
      const typed = word.slice(1).toLowerCase();
      // The custom commands come with the session: a Tab pressed while it is made waits for it.
      if (!this.session) {
        await this.ready.catch(() => undefined);
        if (this.store.current.input !== e) return;
      }
      // Built-in commands, then the custom ones (`/frontend:component`).
      candidates = [...COMMANDS.map((c) => c.name), ...(this.session?.extensions.commands ?? []).map((c) => c.name)].filter((n) => n.toLowerCase().startsWith(typed));
    } else if (word.startsWith('@')) {
      prefix = '@';
      this.files ??= new FileIndex(this.config.cwd, { PATH: this.config.env.PATH ?? '/usr/bin:/bin' });
      candidates = fuzzyMatch(word.slice(1), await this.files.files());
      // The person kept typing while the list loaded: this answer is for a word that is gone.
      if (this.store.current.input !== e) return;
    } else {
      return;
    }
    if (candidates.length === 0) {
      this.store.setCompletions([]);
      this.store.setHint(`no ${prefix === '/' ? 'command' : 'file'} matches ${word}`);
      return;
    }
    if (candidates.length === 1) {
      const only = candidates[0];
      this.store.setInput(replaceWord(e, start, `${prefix}${only}${only.endsWith('/') ? '' : ' '}`));
      this.store.setCompletions([]);
      return;
    }
    const common = commonPrefix(candidates);
    const next = common.length > word.length - 1 && candidates.every((c) => c.startsWith(word.slice(1))) ? replaceWord(e, start, prefix + common) : e;
    if (next !== e) this.store.setInput(next);
    this.store.setCompletions(candidates, -1);
    this.cycle = { start, prefix, text: next.text, cursor: next.cursor };
  }

  /** Ctrl-R: search the history, newest first; again for the next older match. */
  searchHistory(): void {
    const search = this.store.current.search;
    if (!search) return this.store.setSearch({ query: '', index: this.history.entries.length });
    this.findInHistory(search.query, search.match === undefined ? search.index : search.index - 1);
  }

  /** A key while searching: letters narrow, Backspace widens, Enter takes the match, Esc gives up. */
  searchKey(key: { text?: string; backspace?: boolean; accept?: boolean; cancel?: boolean }): void {
    const search = this.store.current.search;
    if (!search) return;
    if (key.cancel) return this.store.setSearch(undefined);
    if (key.accept) {
      this.store.setSearch(undefined);
      if (search.match !== undefined) this.store.setInput({ ...emptyEditor(this.history.entries.length), text: search.match, cursor: search.match.length });
      return;
    }
    const query = key.backspace ? [...search.query].slice(0, -1).join('') : search.query + (key.text ?? '');
    this.findInHistory(query, this.history.entries.length - 1);
  }

  private findInHistory(query: string, from: number): void {
    const entries = this.history.entries;
    for (let i = Math.min(from, entries.length - 1); i >= 0; i--) {
      if (query !== '' && entries[i].toLowerCase().includes(query.toLowerCase())) return this.store.setSearch({ query, match: entries[i], index: i });
    }
    this.store.setSearch({ query, match: undefined, index: from });
  }

  private async command(line: string): Promise<void> {
    // A command typed while the session is being made runs once it is (a failed start ends the UI).
    if (!this.session) await this.ready.catch(() => undefined);
    if (!this.session) return;
    const customNames = this.current.extensions.commands.map((c) => c.name);
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

  // ── sessions: rewind and resume ──
  /** Esc while idle: clears a hint; twice on an empty prompt opens /rewind. */
  escapeIdle(): void {
    if (this.store.current.hint) this.store.setHint('');
    if (this.store.current.input.text !== '' || this.compacting) return;
    const now = Date.now();
    if (now - this.lastEsc < ESC_ESC_WINDOW_MS) {
      this.lastEsc = 0;
      this.openRewind();
      return;
    }
    this.lastEsc = now;
  }

  openRewind(): void {
    if (!this.session) return;
    const turns = this.current.turns();
    if (turns.length === 0) {
      this.store.info('Nothing to rewind to yet: this conversation has no messages of yours.');
      return;
    }
    const close = () => this.store.setPicker(undefined);
    this.store.setPicker(
      turnsPicker(turns, {
        cancel: close,
        choose: (turn) =>
          this.store.setPicker(
            whatPicker(turn, {
              cancel: close,
              choose: (what) => {
                close();
                void this.rewind(turn.index, what);
              },
            }),
          ),
      }),
    );
  }

  private async rewind(index: number, what: 'code' | 'conversation' | 'both'): Promise<void> {
    try {
      const r = await this.current.rewind(index, what);
      const parts: string[] = [];
      if (what !== 'conversation') parts.push(r.restored.length === 0 ? 'no files needed restoring' : `restored ${r.restored.length} file${r.restored.length === 1 ? '' : 's'}`);
      if (r.kept.length > 0) parts.push(`kept ${r.kept.length} changed outside bcode: ${r.kept.join(', ')}`);
      if (r.conversation) parts.push('the conversation is back to before that message');
      this.store.info(`Rewound to before message ${index}: ${parts.join('; ')}.`);
      // The rewound prompt comes back to the input box, to edit and send again.
      if (r.conversation && this.store.current.input.text === '') this.store.setInput(insert(emptyEditor(this.history.entries.length), r.prompt));
    } catch (err) {
      this.store.info(`rewind: ${err instanceof Error ? err.message : String(err)}`, 'red');
    }
  }

  openResume(): void {
    void import('../../session/list.js').then(({ listSessions }) => {
      const sessions = listSessions(this.config.env, this.config.cwd);
      if (sessions.length === 0) {
        this.store.info('No sessions to resume in this folder.');
        return;
      }
      const close = () => this.store.setPicker(undefined);
      this.store.setPicker(
        sessionsPicker(sessions, {
          current: this.current.id,
          cancel: close,
          choose: (chosen) => {
            close();
            if (chosen.id === this.current.id) return;
            void this.switchTo(chosen.id);
          },
        }),
      );
    });
  }

  private async switchTo(id: string): Promise<void> {
    if (!this.reopen) {
      this.store.info(`resume it with: bcode -r ${id}`);
      return;
    }
    try {
      const next = await this.reopen(id);
      const previous = this.current;
      this.session = next;
      await previous.close();
      this.store.setModel(next.modelId);
      this.store.setMode(next.policy.mode);
      this.store.info(`Resumed session ${next.title ? `"${next.title}" ` : ''}${next.id} (the previous one: bcode -r ${previous.id})`);
      this.showHistory();
    } catch (err) {
      this.store.info(`resume: ${err instanceof Error ? err.message : String(err)}`, 'red');
    }
  }

  /** `/model` without a name: the picker, drawn at once; the region's profiles fill in when listed. */
  openModelPicker(): void {
    const close = () => this.store.setPicker(undefined);
    const base = configuredChoices(this.config);
    let choices: ModelChoice[] = [...base, { label: LOADING_PROFILES }];
    const current = this.modelId;
    const picker = modelPicker(() => choices, current, {
      cancel: close,
      choose: (c) => {
        close();
        this.setModel(c.id);
        this.store.info(`Model set to ${c.id}${c.label !== c.id && !c.label.startsWith(c.id) ? ` (${c.label})` : ''}; the next request uses it.`);
      },
    });
    this.store.setPicker(picker);
    const fill = (more: ModelChoice[]) => {
      choices = [...base, ...more];
      const open = this.store.current.picker;
      // Only into this picker, and where the person has moved to meanwhile.
      if (open?.choose === picker.choose) this.store.setPicker({ ...open, items: choiceItems(choices, current), selected: Math.min(open.selected, choices.length - 1) });
    };
    // After this frame is drawn: loading the control-plane client takes a moment.
    setTimeout(() => {
      import('../../bedrock/profiles.js')
        .then((m) => m.listInferenceProfiles(this.config, { signal: AbortSignal.timeout(PROFILES_TIMEOUT_MS) }))
        .then(
          (profiles) => {
            const found = profileChoices(profiles, new Set(base.map((c) => c.id!)));
            fill(found.length > 0 ? found : [{ label: `no Anthropic inference profiles in ${this.config.region}` }]);
          },
          (err: unknown) => fill([{ label: `profiles not listed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` }]),
        );
    }, 0);
  }

  /** The resumed conversation's messages, written to the scrollback once. */
  showHistory(): void {
    const st = this.store.current;
    for (const lines of replayBlocks(this.current.messages, { width: st.width, style: this.store.style, cwd: this.config.cwd })) this.store.commit(lines);
    this.store.flush();
  }

  /** A custom command: its prompt (with !-lines run and @files attached) becomes the turn. */
  private customCommand(line: string): void {
    if (this.busy || this.compacting) {
      this.store.setHint('a turn is running: wait for it, or Esc to interrupt it');
      return;
    }
    this.store.userPrompt(line);
    this.turn = this.current
      .expandCommand(line)
      .then((expanded) => (expanded ? this.current.submit(expanded.prompt, { command: expanded }) : undefined))
      .catch((err: unknown) => this.store.emit({ type: 'error', message: err instanceof Error ? err.message : String(err), hint: (err as { hint?: string }).hint }))
      .finally(() => {
        this.turn = undefined;
        if (this.store.current.busy) this.store.emit({ type: 'done', result: failedBeforeStart(this.current.id) });
        this.next();
      });
  }

  /** Esc: stop the running turn; what streamed so far stays on screen; queued prompts come back to the input. */
  interrupt(): void {
    const queued = this.store.current.queued;
    if (queued.length > 0) {
      this.store.setQueued([]);
      const typed = this.store.current.input.text;
      const text = [...queued, ...(typed === '' ? [] : [typed])].join('\n');
      this.store.setInput({ ...emptyEditor(this.history.entries.length), text, cursor: text.length });
    }
    if (this.busy || this.compacting) this.session?.interrupt();
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
    else if (this.busy) this.session?.interrupt();
    this.store.setHint('Press Ctrl-C again to exit');
  }

  /** Shift-Tab: the next permission mode; a refused one (bypass as root) is skipped with a one-line error. */
  cycleMode(): void {
    // Before the session is made: cycled as soon as it is.
    if (!this.session) return void this.ready.then(() => this.cycleMode(), () => undefined);
    const current = MODE_CYCLE.indexOf(this.current.policy.mode);
    let hint = '';
    for (let step = 1; step < MODE_CYCLE.length; step++) {
      const next = MODE_CYCLE[(current + step) % MODE_CYCLE.length];
      try {
        this.current.setPermissionMode(next);
        break;
      } catch (err) {
        hint = `${next} refused: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
      }
    }
    this.store.setMode(this.current.policy.mode);
    this.store.setHint(hint);
  }
}


/** A `!command`'s output: long ones keep their head and tail (the model gets it all). */
export function foldOutput(text: string, keep = 20): string {
  const lines = text.replace(/\n+$/, '').split('\n');
  if (lines.length <= keep) return lines.join('\n');
  const half = Math.floor(keep / 2);
  return [...lines.slice(0, half), `… ${lines.length - keep} more lines …`, ...lines.slice(-half)].join('\n');
}
