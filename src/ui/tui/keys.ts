/**
 * Every key of the UI, in one place: the approval prompt's keys when one is open, the input
 * box's otherwise. ink's useInput calls `handleKey` (app.tsx); nothing else reads keys.
 */
import type { Key } from 'ink';
import type { TuiController } from './controller.js';
import * as ed from './editor.js';

export function handleKey(input: string, key: Key, ctl: TuiController): void {
  const state = ctl.store.current;
  if (key.ctrl && input === 'c') return ctl.ctrlC();
  if (state.permission) return permissionKey(input, key, ctl);
  if (state.picker) return pickerKey(input, key, ctl);
  if (state.search) return searchKey(input, key, ctl);

  const e = state.input;
  const history = ctl.history.entries;
  const set = (next: ed.EditorState) => ctl.store.setInput(next);

  if (key.escape) return state.busy ? ctl.interrupt() : ctl.escapeIdle();
  if (key.tab && key.shift) return ctl.cycleMode();
  if (key.tab) return void ctl.complete();
  // Any other key closes Tab's list of candidates.
  if (state.completions.items.length > 0) ctl.store.setCompletions([]);
  if (key.escape) return state.busy || state.queued.length > 0 ? ctl.interrupt() : state.hint ? ctl.store.setHint('') : undefined;
  if (key.ctrl && input === 'r') return ctl.searchHistory();
  if (key.ctrl && input === 'd') return e.text === '' ? ctl.quit() : set(ed.deleteForward(e));
  if (key.return) {
    if (ed.continuesLine(e)) return set(ed.backslashNewline(e));
    return ctl.submit(ed.expandPastes(e));
  }
  if (key.backspace || key.delete) return set(ed.backspace(e));
  if (key.leftArrow) return set(ed.left(e));
  if (key.rightArrow) return set(ed.right(e));
  if (key.upArrow) return set(ed.up(e, history));
  if (key.downArrow) return set(ed.down(e, history));
  if (key.home || (key.ctrl && input === 'a')) return set(ed.lineStart(e));
  if (key.end || (key.ctrl && input === 'e')) return set(ed.lineEnd(e));
  if (key.ctrl && input === 'u') return set(ed.killToStart(e));
  if (key.ctrl || key.meta || key.tab || input === '') return;
  if (state.hint) ctl.store.setHint('');
  set(ed.isLargePaste(input) ? ed.insertPaste(e, input) : ed.insert(e, input));
}

/** Ctrl-R search: letters narrow it, Ctrl-R finds the next older match, Enter takes it, Esc / Ctrl-G give up. */
function searchKey(input: string, key: Key, ctl: TuiController): void {
  if (key.ctrl && input === 'r') return ctl.searchHistory();
  if (key.escape || (key.ctrl && input === 'g')) return ctl.searchKey({ cancel: true });
  if (key.return) return ctl.searchKey({ accept: true });
  if (key.backspace || key.delete) return ctl.searchKey({ backspace: true });
  if (key.ctrl || key.meta || key.tab || input === '') return;
  // Keys typed fast can arrive in one piece: an Enter inside takes the match.
  const [text, ...rest] = input.split(/\r\n?|\n/);
  // eslint-disable-next-line no-control-regex -- control characters are not search text
  const clean = text.replace(/[\x00-\x1f\x7f]/g, '');
  if (clean !== '') ctl.searchKey({ text: clean });
  if (rest.length > 0) ctl.searchKey({ accept: true });
}

/** 1 allow once · 2 always allow (saves the suggested rule) · 3 deny and say why · Esc deny. */
function permissionKey(input: string, key: Key, ctl: TuiController): void {
  const p = ctl.store.current.permission!;
  if (p.stage === 'feedback') {
    if (key.escape) return ctl.store.setPermission({ ...p, stage: 'choose', feedback: '' });
    if (key.return) return ctl.store.answerPermission({ decision: 'deny', feedback: p.feedback.trim() || undefined });
    if (key.backspace || key.delete) return ctl.store.setPermission({ ...p, feedback: [...p.feedback].slice(0, -1).join('') });
    if (key.ctrl || key.meta || input === '') return;
    return ctl.store.setPermission({ ...p, feedback: p.feedback + input.replace(/[\r\n]+/g, ' ') });
  }
  if (input === '1') return ctl.store.answerPermission({ decision: 'allow' });
  if (input === '2' && p.request.suggestedRule) return ctl.store.answerPermission({ decision: 'allow', remember: true });
  if (input === '3') return ctl.store.setPermission({ ...p, stage: 'feedback' });
  if (key.escape) return ctl.store.answerPermission({ decision: 'deny' });
}

/** ↑/↓ move · Enter or a digit chooses · Esc cancels. */
function pickerKey(input: string, key: Key, ctl: TuiController): void {
  const p = ctl.store.current.picker!;
  const move = (to: number) => ctl.store.setPicker({ ...p, selected: Math.max(0, Math.min(p.items.length - 1, to)) });
  if (key.escape) return p.cancel();
  if (key.upArrow) return move(p.selected - 1);
  if (key.downArrow) return move(p.selected + 1);
  if (key.return) return p.choose(p.selected);
  // Keys typed fast arrive in one piece: the first chooses, the rest is typed where that leads.
  const first = input.charAt(0);
  const row = /^[1-9]$/.test(first) && Number(first) <= p.items.length ? Number(first) - 1 : p.letters?.[first];
  if (row === undefined) return;
  p.choose(row);
  if (input.length > 1 && !ctl.store.current.picker) handleKey(input.slice(1), key, ctl);
}
