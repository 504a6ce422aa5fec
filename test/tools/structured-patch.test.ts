/** The Edit/Write report for SDK hosts (tool_use_result.structuredPatch) stays cheap on huge files. */
import { describe, expect, it } from 'vitest';
import { patchHunks } from '../../src/tools/structured-patch.js';

describe('patchHunks', () => {
  it('gives the changed lines with three lines of context', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', ''].join('\n');
    const after = before.replace('e', 'E');
    expect(patchHunks(before, after)).toEqual([{ oldStart: 2, oldLines: 7, newStart: 2, newLines: 7, lines: [' b', ' c', ' d', '-e', '+E', ' f', ' g', ' h'] }]);
  });

  it('skips the diff of a multi-megabyte change (the edit itself must not wait minutes for its report)', () => {
    const before = Array.from({ length: 200_000 }, (_, i) => `${String(i).padStart(6, '0')} old`).join('\n');
    const after = before.replaceAll(' old', ' new');
    const t0 = performance.now();
    expect(patchHunks(before, after)).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
