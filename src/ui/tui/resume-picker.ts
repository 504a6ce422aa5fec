/**
 * `/resume` and `bcode -r` without an id: this folder's sessions, newest first, each with its
 * title (or first prompt), age, user turns and cost.
 */
import { formatAge, type SessionSummary } from '../../session/list.js';
import { formatUsd } from '../output.js';
import type { Picker } from './picker.js';

export function sessionsPicker(sessions: SessionSummary[], o: { current?: string; choose(session: SessionSummary): void; cancel(): void; now?: number }): Picker {
  return {
    title: 'Resume which session?',
    items: sessions.map((s) => ({
      label: `${s.title || '(untitled)'}${s.id === o.current ? ' (this session)' : ''}`,
      detail: `${formatAge(s.modifiedMs, o.now)} · ${s.turns} turn${s.turns === 1 ? '' : 's'} · ${formatUsd(s.costUsd)}`,
    })),
    selected: 0,
    choose: (i) => o.choose(sessions[i]!),
    cancel: o.cancel,
  };
}
