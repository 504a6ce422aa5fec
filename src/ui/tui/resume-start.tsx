/**
 * `bcode -r` without an id, in a terminal: the resume picker on its own, before the session
 * (and its UI) starts. Resolves with the chosen session's id, or undefined when Esc or Ctrl-C
 * closed it.
 */
import { render, Text, useInput } from 'ink';
import { useState } from 'react';
import type { SessionSummary } from '../../session/list.js';
import { pickerLines, type Picker } from './picker.js';
import { sessionsPicker } from './resume-picker.js';
import { colorEnabled, makeStyle, type Style } from './style.js';

export async function pickSessionToResume(sessions: SessionSummary[]): Promise<string | undefined> {
  const style = makeStyle(colorEnabled(process.env, process.stdout.isTTY === true));
  let done!: (id: string | undefined) => void;
  const chosen = new Promise<string | undefined>((resolve) => (done = resolve));
  const base = sessionsPicker(sessions, { choose: (s) => done(s.id), cancel: () => done(undefined) });
  const ink = render(<StartPicker picker={base} style={style} onCtrlC={() => done(undefined)} />, { exitOnCtrlC: false, patchConsole: false });
  try {
    const id = await chosen;
    // The list goes; one line says what happens next (ink leaves its last frame on the screen).
    const picked = sessions.find((x) => x.id === id);
    ink.rerender(<Text>{style.dim(picked ? `Resuming: ${picked.title || picked.id}` : 'No session resumed.')}</Text>);
    return id;
  } finally {
    ink.unmount();
    await ink.waitUntilExit();
  }
}

function StartPicker({ picker, style, onCtrlC }: { picker: Picker; style: Style; onCtrlC: () => void }) {
  const [selected, setSelected] = useState(picker.selected);
  const n = picker.items.length;
  useInput((input, key) => {
    if (key.ctrl && input === 'c') return onCtrlC();
    if (key.escape) return picker.cancel();
    if (key.upArrow) return setSelected((i) => Math.max(0, i - 1));
    if (key.downArrow) return setSelected((i) => Math.min(n - 1, i + 1));
    if (key.return) return picker.choose(selected);
    if (/^[1-9]$/.test(input) && Number(input) <= n) return picker.choose(Number(input) - 1);
  });
  const width = Math.max(20, (process.stdout.columns || 80) - 1);
  const rows = Math.max(4, (process.stdout.rows || 24) - 2);
  return <Text>{pickerLines({ ...picker, selected }, width, style, rows).join('\n')}</Text>;
}
