/**
 * The input box's keys without a terminal: a real store and controller over a fake session,
 * keys fed as ink reports them. Paste folding, Ctrl-R search, Tab completion, the queue.
 */
import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import type { Config } from '../../src/config/types.js';
import type { Session } from '../../src/session/create.js';
import { commonPrefix, fuzzyMatch } from '../../src/ui/tui/complete.js';
import { TuiController } from '../../src/ui/tui/controller.js';
import * as ed from '../../src/ui/tui/editor.js';
import type { PromptHistory } from '../../src/ui/tui/history.js';
import { handleKey } from '../../src/ui/tui/keys.js';
import { TuiStore } from '../../src/ui/tui/store.js';
import { makeStyle } from '../../src/ui/tui/style.js';

const usage = { totalCostUsd: 0, total: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }, byModel: {} };
const noKey: Key = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false } as Key;

function rig(entries: string[] = []) {
  const store = new TuiStore(makeStyle(false), '/p', () => usage, { model: 'm', region: 'r', mode: 'default' }, { width: 80, rows: 24 }, entries.length);
  const submitted: string[] = [];
  let finish: (() => void) | undefined;
  const session = {
    id: 's',
    usage,
    modelId: 'm',
    policy: { mode: 'default' },
    submit: (prompt: string) => {
      submitted.push(prompt);
      return new Promise((resolve) => {
        finish = () => {
          store.emit({ type: 'done', result: { subtype: 'success' } as never });
          resolve({});
        };
      });
    },
    interrupt: () => finish?.(),
    // No skills, sub-agents or custom commands (src/extensions).
    extensions: { skills: [], agents: [], commands: [] },
  } as unknown as Session;
  const list = [...entries];
  const history = { entries: list, add: (p: string) => list.push(p) } as unknown as PromptHistory;
  const ctl = new TuiController(session, store, history, { cwd: '/p', env: {}, models: { aliases: {} } } as unknown as Config, '0', () => undefined);
  const key = (input: string, k: Partial<Key> = {}) => handleKey(input, { ...noKey, ...k }, ctl);
  return { store, ctl, key, submitted, finish: () => finish?.() };
}

describe('input keys', () => {
  it('folds a large paste into a placeholder that Backspace removes whole and Enter expands', () => {
    const { store, key, submitted } = rig();
    const paste = Array.from({ length: 12 }, (_, i) => `row ${i}`).join('\r');
    key('see ');
    key(paste);
    expect(store.current.input.text).toBe('see [pasted #1: 12 lines]');
    key('', { return: true });
    expect(submitted).toEqual([`see ${paste.replace(/\r/g, '\n')}`]);

    const s = ed.insertPaste(ed.insert(ed.emptyEditor(0), 'x '), 'a\nb');
    expect(ed.backspace(s).text).toBe('x ');
    // A short paste is plain text.
    expect(ed.isLargePaste('one line')).toBe(false);
  });

  it('Ctrl-R searches newest first, again for older, Enter takes it, Esc gives up', () => {
    const { store, key } = rig(['make alpha', 'beta', 'alpha two']);
    key('r', { ctrl: true });
    key('alp');
    expect(store.current.search?.match).toBe('alpha two');
    key('r', { ctrl: true });
    expect(store.current.search?.match).toBe('make alpha');
    key('\r', { return: true });
    expect(store.current.search).toBeUndefined();
    expect(store.current.input.text).toBe('make alpha');

    key('r', { ctrl: true });
    key('zzz');
    expect(store.current.search?.match).toBeUndefined();
    key('', { escape: true });
    expect(store.current.search).toBeUndefined();
    expect(store.current.input.text).toBe('make alpha');
  });

  it('queues prompts while a turn runs and sends them in order; Esc brings them back', () => {
    const r = rig();
    r.key('first');
    r.key('\r', { return: true });
    r.key('second');
    r.key('\r', { return: true });
    expect(r.store.current.queued).toEqual(['second']);
    expect(r.submitted).toEqual(['first']);
    r.finish();
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      expect(r.submitted).toEqual(['first', 'second']);
      r.key('third');
      r.key('\r', { return: true });
      r.key('', { escape: true });
      expect(r.store.current.queued).toEqual([]);
      expect(r.store.current.input.text).toBe('third');
    });
  });

  it('Tab completes slash commands', async () => {
    const { store, key } = rig();
    key('/perm');
    key('', { tab: true });
    await new Promise((r) => setImmediate(r));
    expect(store.current.input.text).toBe('/permissions ');
  });

  it('ranks fuzzy path matches: prefix, then file name, then scattered letters', () => {
    const paths = ['src/', 'src/ui/', 'src/ui/tui/editor.ts', 'docs/release-notes.md', 'README.md', 'src/release.ts'];
    expect(fuzzyMatch('relnot', paths)).toEqual(['docs/release-notes.md']);
    expect(fuzzyMatch('src/ui', paths)[0]).toBe('src/ui/');
    expect(fuzzyMatch('release', paths)).toEqual(['src/release.ts', 'docs/release-notes.md']);
    expect(fuzzyMatch('', paths)).toEqual(['src/', 'README.md']);
    expect(commonPrefix(['src/a', 'src/b'])).toBe('src/');
  });
});
