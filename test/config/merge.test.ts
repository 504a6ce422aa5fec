import { describe, expect, it } from 'vitest';
import { mergeLayers, mergeValues } from '../../src/config/merge.js';
import type { SettingsLayer } from '../../src/config/settings-files.js';

const layer = (origin: string, data: Record<string, unknown>): SettingsLayer => ({ scope: 'project', origin, data });

describe('settings merge rules', () => {
  it('takes scalars from the higher scope', () => {
    expect(mergeValues({ model: 'low', keep: 1 }, { model: 'high' })).toEqual({ model: 'high', keep: 1 });
  });

  it('merges objects key by key, recursively', () => {
    expect(mergeValues({ env: { A: '1', B: '2' }, permissions: { defaultMode: 'plan' } }, { env: { B: '3', C: '4' } })).toEqual({
      env: { A: '1', B: '3', C: '4' },
      permissions: { defaultMode: 'plan' },
    });
  });

  it('concatenates arrays, higher scope first, without duplicates', () => {
    expect(mergeValues({ allow: ['Read', 'Bash(ls)'] }, { allow: ['Edit', 'Read'] })).toEqual({ allow: ['Edit', 'Read', 'Bash(ls)'] });
  });

  it('de-duplicates object entries of arrays by value', () => {
    expect(mergeValues([{ a: 1 }, { b: 2 }], [{ a: 1 }])).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('lets the higher scope replace a value of another type', () => {
    expect(mergeValues({ x: ['a'] }, { x: 'b' })).toEqual({ x: 'b' });
    expect(mergeValues({ x: 'a' }, { x: { y: 1 } })).toEqual({ x: { y: 1 } });
  });

  it('ignores __proto__ keys instead of changing the prototype', () => {
    const evil = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>;
    const out = mergeValues({}, evil) as Record<string, unknown>;
    expect(out.ok).toBe(1);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('merges a stack of layers given highest first', () => {
    const merged = mergeLayers([
      layer('managed', { model: 'm', permissions: { deny: ['Bash(rm:*)'] } }),
      layer('project', { model: 'p', permissions: { allow: ['Read'], deny: ['WebFetch'] } }),
      layer('user', { model: 'u', permissions: { allow: ['Read', 'Glob'] }, theme: 'dark' }),
    ]);
    expect(merged).toEqual({ model: 'm', theme: 'dark', permissions: { allow: ['Read', 'Glob'], deny: ['Bash(rm:*)', 'WebFetch'] } });
  });
});
