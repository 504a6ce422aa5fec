/**
 * The folder-trust question (the project's own settings want to run commands): a dialog in the
 * already-drawn UI, asked while the session is being made, only when the folder has hooks and is
 * not trusted yet. The answer decides what the session is made with.
 */
import type { TrustQuestion } from '../../extensions/hooks/index.js';
import type { Picker } from './picker.js';
import type { TuiStore } from './store.js';

/** The lines that say what would run, written to the scrollback above the dialog. */
export function trustLines(q: TrustQuestion): string[] {
  return [
    `This folder's settings want to run commands on your machine (hooks):`,
    `  ${q.folder}`,
    ...q.hooks.slice(0, 10).map((h) => `    ${h}`),
    ...(q.hooks.length > 10 ? [`    … and ${q.hooks.length - 10} more`] : []),
    'Only trust a folder whose files you (or your team) wrote. bcode remembers the answer yes.',
  ];
}

export function trustPicker(answer: (yes: boolean) => void): Picker {
  return {
    title: 'Trust this folder and run its hooks? [y/N]',
    items: [{ label: 'Yes, trust this folder', detail: 'its hooks run, now and next time' }, { label: 'No', detail: 'its hooks are skipped this session' }],
    selected: 1,
    footer: 'y yes · n or Esc no',
    letters: { y: 0, Y: 0, n: 1, N: 1 },
    choose: (i) => answer(i === 0),
    cancel: () => answer(false),
  };
}

/** Asks in the UI; resolves once answered (Esc and Ctrl-D count as no). */
export function askTrustInUi(store: TuiStore, q: TrustQuestion): Promise<boolean> {
  return new Promise((resolve) => {
    store.info(trustLines(q).join('\n'), 'yellow');
    store.setPicker(
      trustPicker((yes) => {
        store.setPicker(undefined);
        store.info(`Trust this folder: ${yes ? 'yes' : 'no'}`);
        resolve(yes);
      }),
    );
  });
}
