/** The unchanged-Read note's invalidation rules, on the tool itself (the e2e test covers the CLI path). */
import { statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { readTool } from '../../src/tools/read.js';
import { forgetReadResults } from '../../src/tools/read-state.js';
import { call, makeCtx, tempDir, text } from './helpers.js';

const NOTE = /unchanged since you last read it/;

it('the note needs the same page, the same bytes and a read still on record', async () => {
  const dir = tempDir();
  const f = path.join(dir, 'a.txt');
  const filler = 'x'.repeat(300);
  writeFileSync(f, `alpha\nbeta\n${filler}\n`);
  const ctx = makeCtx(dir, { readResults: new Map() });
  expect(text(await call(readTool, { file_path: f }, ctx))).toContain('alpha');
  expect(text(await call(readTool, { file_path: f }, ctx))).toMatch(NOTE);
  // Another page is not the page seen.
  expect(text(await call(readTool, { file_path: f, offset: 2 }, ctx))).toContain('beta');

  // Same size and the same mtime put back: the content hash still tells the change.
  const { mtime } = statSync(f);
  writeFileSync(f, `ALPHA\nbeta\n${filler}\n`);
  utimesSync(f, mtime, mtime);
  expect(text(await call(readTool, { file_path: f }, ctx))).toContain('ALPHA');
  expect(text(await call(readTool, { file_path: f }, ctx))).toMatch(NOTE);

  // Rewind and /clear forget the reads; compaction forgets the results.
  ctx.readFiles.clear();
  expect(text(await call(readTool, { file_path: f }, ctx))).toContain('ALPHA');
  forgetReadResults(ctx);
  expect(text(await call(readTool, { file_path: f }, ctx))).toContain('ALPHA');
  expect(text(await call(readTool, { file_path: f }, ctx))).toMatch(NOTE);
});

it('a context without its own record (a sub-agent) always gets the full text', async () => {
  const dir = tempDir();
  const f = path.join(dir, 'a.txt');
  writeFileSync(f, `alpha\n${'x'.repeat(300)}\n`);
  const ctx = makeCtx(dir);
  expect(text(await call(readTool, { file_path: f }, ctx))).toContain('alpha');
  expect(text(await call(readTool, { file_path: f }, ctx))).toContain('alpha');
});

it('a page shorter than the note is sent again as it is', async () => {
  const dir = tempDir();
  const f = path.join(dir, 'a.txt');
  writeFileSync(f, 'hi\n');
  const ctx = makeCtx(dir, { readResults: new Map() });
  expect(text(await call(readTool, { file_path: f }, ctx))).toContain('hi');
  expect(text(await call(readTool, { file_path: f }, ctx))).toContain('hi');
});
