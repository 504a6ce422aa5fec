import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTool } from '../../src/tools/read.js';
import { call, makeCtx, tempDir, text } from './helpers.js';

// A 1x1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('Read', () => {
  it('numbers lines like cat -n and records the read', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'a.txt');
    writeFileSync(f, 'one\ntwo\nthree\n');
    const ctx = makeCtx(dir);
    const r = await call(readTool, { file_path: f }, ctx);
    expect(r.isError).toBeUndefined();
    expect(text(r)).toBe('1\tone\n2\ttwo\n3\tthree');
    expect(ctx.readFiles.has(f)).toBe(true);
  });

  it('pages with offset and limit and says where to continue', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'a.txt');
    writeFileSync(f, Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n'));
    const r = text(await call(readTool, { file_path: f, offset: 4, limit: 2 }, makeCtx(dir)));
    expect(r).toContain('4\tline 4\n5\tline 5');
    expect(r).not.toContain('line 6');
    expect(r).toContain('Showing lines 4-5 of 10; read on with offset 6');
  });

  it('reads a page from the end of a 10 MB file', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'big.log');
    const lines = Array.from({ length: 250_000 }, (_, i) => `row ${i + 1} ${'x'.repeat(30)}`);
    writeFileSync(f, lines.join('\n') + '\n');
    expect(statSync(f).size).toBeGreaterThan(10_000_000);
    const ctx = makeCtx(dir);
    const r = text(await call(readTool, { file_path: f, offset: 249_999, limit: 5 }, ctx));
    expect(r).toBe(`249999\trow 249999 ${'x'.repeat(30)}\n250000\trow 250000 ${'x'.repeat(30)}`);
    const head = text(await call(readTool, { file_path: f }, ctx));
    expect(head.split('\n').filter((l) => /^\s*\d+\t/.test(l))).toHaveLength(2000);
    expect(head).toContain('Showing lines 1-2000 of 250000; read on with offset 2001');
  });

  it('stops a page at the output budget and says where to go on', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'wide.txt');
    writeFileSync(f, Array.from({ length: 300 }, () => 'y'.repeat(1000)).join('\n'));
    const r = text(await call(readTool, { file_path: f }, makeCtx(dir)));
    expect(r.length).toBeLessThanOrEqual(101_000);
    const shown = r.split('\n').filter((l) => /^\s*\d+\t/.test(l)).length;
    expect(shown).toBeLessThan(300);
    expect(r).toContain(`Showing lines 1-${shown} of 300; read on with offset ${shown + 1}`);
  });

  it('cuts very long lines, also in a one-line minified file', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'min.js');
    writeFileSync(f, 'a'.repeat(5_000_000));
    const r = text(await call(readTool, { file_path: f }, makeCtx(dir)));
    expect(r.startsWith(`1\t${'a'.repeat(2000)}…`)).toBe(true);
    expect(r).toContain('1 line longer than 2000 chars cut');
    expect(r.length).toBeLessThan(2200);
  });

  it('strips a UTF-8 BOM and CR from the shown lines', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'bom.txt');
    writeFileSync(f, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('héllo\r\nwörld\r\n')]));
    expect(text(await call(readTool, { file_path: f }, makeCtx(dir)))).toBe('1\théllo\n2\twörld');
  });

  it('reads Latin-1 files and says so', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'legacy.txt');
    writeFileSync(f, Buffer.from('caf\xe9\n', 'latin1'));
    const r = text(await call(readTool, { file_path: f }, makeCtx(dir)));
    expect(r).toContain('1\tcafé');
    expect(r).toContain('Decoded as Latin-1');
  });

  it('reads UTF-16LE with a BOM', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'u16.txt');
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi\nthere\n', 'utf16le')]));
    expect(text(await call(readTool, { file_path: f }, makeCtx(dir)))).toContain('2\tthere');
  });

  it('returns images as image blocks', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'dot.png');
    writeFileSync(f, PNG);
    const r = await call(readTool, { file_path: f }, makeCtx(dir));
    expect(Array.isArray(r.forModel)).toBe(true);
    expect(r.forModel).toEqual([{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG.toString('base64') } }]);
  });

  it('refuses binary files clearly', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'prog.bin');
    writeFileSync(f, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]));
    const r = await call(readTool, { file_path: f }, makeCtx(dir));
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/is a binary file \(9 B\)/);
  });

  it('explains a missing file and suggests a near name', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'config.json'), '{}');
    const r = await call(readTool, { file_path: path.join(dir, 'config.yaml') }, makeCtx(dir));
    expect(r.isError).toBe(true);
    expect(text(r)).toContain(`File does not exist: ${path.join(dir, 'config.yaml')}`);
    expect(text(r)).toContain(`Did you mean: ${path.join(dir, 'config.json')}`);
  });

  it('points directories to LS', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'src'));
    const r = await call(readTool, { file_path: path.join(dir, 'src') }, makeCtx(dir));
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('is a directory');
  });

  it('handles empty files and offsets past the end', async () => {
    const dir = tempDir();
    const empty = path.join(dir, 'empty.txt');
    writeFileSync(empty, '');
    expect(text(await call(readTool, { file_path: empty }, makeCtx(dir)))).toContain('is empty');
    const f = path.join(dir, 'short.txt');
    writeFileSync(f, 'a\nb');
    expect(text(await call(readTool, { file_path: f, offset: 10 }, makeCtx(dir)))).toBe('The file has 2 lines; offset 10 is past its end.');
  });

  it('resolves a relative path against the session directory', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'rel.txt'), 'x\n');
    const ctx = makeCtx(dir);
    expect(text(await call(readTool, { file_path: 'rel.txt' }, ctx))).toBe('1\tx');
    expect(ctx.readFiles.has(path.join(dir, 'rel.txt'))).toBe(true);
  });
});
