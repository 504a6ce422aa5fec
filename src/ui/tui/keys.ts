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

  const e = state.input;
  const history = ctl.history.entries;
  const set = (next: ed.EditorState) => ctl.store.setInput(next);

  if (key.escape) return state.busy ? ctl.interrupt() : state.hint ? ctl.store.setHint('') : undefined;
  if (key.tab && key.shift) return ctl.cycleMode();
  if (key.tab) return ctl.complete();
  if (key.ctrl && input === 'd') return e.text === '' ? ctl.quit() : set(ed.deleteForward(e));
  if (key.return) {
    if (ed.continuesLine(e)) return set(ed.backslashNewline(e));
    return ctl.submit(e.text);
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
  set(ed.insert(e, input));
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
