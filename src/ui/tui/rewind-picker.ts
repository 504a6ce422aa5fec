/**
 * `/rewind` (and Esc Esc on an empty prompt): first the user turns of the conversation (the
 * latest selected), then what to restore to just before the chosen one.
 */
import type { RewindWhat } from '../../session/rewind.js';
import type { TurnInfo } from '../../session/turns.js';
import type { Picker } from './picker.js';

export function turnsPicker(turns: TurnInfo[], o: { choose(turn: TurnInfo): void; cancel(): void }): Picker {
  return {
    title: 'Rewind to just before which of your messages?',
    items: turns.map((t) => ({ label: firstLine(t.text), detail: age(t.timestamp) })),
    selected: turns.length - 1,
    choose: (i) => o.choose(turns[i]!),
    cancel: o.cancel,
  };
}

export const REWIND_CHOICES: Array<{ what: RewindWhat | 'cancel'; label: string }> = [
  { what: 'both', label: 'Restore code and conversation' },
  { what: 'conversation', label: 'Restore conversation only' },
  { what: 'code', label: 'Restore code only' },
  { what: 'cancel', label: 'Cancel' },
];

export function whatPicker(turn: TurnInfo, o: { choose(what: RewindWhat): void; cancel(): void }): Picker {
  return {
    title: `Rewind to before: ${firstLine(turn.text)}`,
    items: REWIND_CHOICES.map((c) => ({ label: c.label })),
    selected: 0,
    footer: 'code: files as they were · conversation: the model forgets what came after · Esc cancel',
    choose: (i) => {
      const c = REWIND_CHOICES[i]!;
      if (c.what === 'cancel') o.cancel();
      else o.choose(c.what);
    },
    cancel: o.cancel,
  };
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '(empty)';
}

function age(iso: string): string | undefined {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
