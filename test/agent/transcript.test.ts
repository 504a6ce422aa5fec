import { readFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readTranscript, sanitizeCwd, TranscriptWriter, transcriptPath } from '../../src/session/transcript.js';
import { addSecret } from '../../src/util/redact.js';
import { makeTempDir } from '../helpers/temp.js';

/** The descriptors the transcript has open, and every fsync with whether its descriptor was open. */
const fds = vi.hoisted(() => ({ open: new Set<number>(), fsyncs: [] as { fd: number; open: boolean }[] }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    openSync: (...args: Parameters<typeof real.openSync>) => {
      const fd = real.openSync(...args);
      fds.open.add(fd);
      return fd;
    },
    closeSync: (fd: number) => {
      fds.open.delete(fd);
      real.closeSync(fd);
    },
    fsync: (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      fds.fsyncs.push({ fd, open: fds.open.has(fd) });
      real.fsync(fd, cb);
    },
  };
});
beforeEach(() => {
  fds.open.clear();
  fds.fsyncs.length = 0;
});

describe('session transcript', () => {
  it('lives under ~/.claude/projects/<sanitized cwd>, or $CLAUDE_CONFIG_DIR/projects', () => {
    expect(sanitizeCwd('/home/u/my.proj')).toBe('-home-u-my-proj');
    expect(transcriptPath({ HOME: '/h' }, '/w/p', 'abc')).toBe('/h/.claude/projects/-w-p/abc.jsonl');
    expect(transcriptPath({ HOME: '/h', CLAUDE_CONFIG_DIR: '/cfg' }, '/w/p', 'abc')).toBe('/cfg/projects/-w-p/abc.jsonl');
  });

  it('appends one redacted, linked line per message and survives a torn last line', async () => {
    const dir = makeTempDir('bcode-tr-');
    const file = path.join(dir, 'sub', 's1.jsonl');
    addSecret('AKIASECRETVALUE12345');
    const w = new TranscriptWriter(file, 's1', '/w');
    w.append({ role: 'user', content: 'my key is AKIASECRETVALUE12345' });
    w.append({ role: 'assistant', content: [{ type: 'text', text: 'noted' }] });
    expect(readFileSync(file, 'utf8')).not.toContain('AKIASECRETVALUE12345');
    appendFileSync(file, '{"type":"user","mess');
    const entries = readTranscript(file);
    expect(entries.map((e) => e.type)).toEqual(['user', 'assistant']);
    expect(entries[1].parentUuid).toBe(entries[0].uuid);
    expect(entries[0]).toMatchObject({ sessionId: 's1', cwd: '/w', parentUuid: null });
    await w.close();
  });

  it('close() fsyncs and closes the file; appending again reopens it and writes', async () => {
    const file = path.join(makeTempDir('bcode-tr-'), 's2.jsonl');
    const w = new TranscriptWriter(file, 's2', '/w');
    w.append({ role: 'user', content: 'one' });
    expect(fds.open.size).toBe(1);
    await w.close();
    expect(fds.open.size).toBe(0);
    expect(fds.fsyncs).toHaveLength(1);
    w.append({ role: 'assistant', content: [{ type: 'text', text: 'two' }] });
    expect(fds.open.size).toBe(1);
    await w.close();
    expect(fds.open.size).toBe(0);
    expect(readTranscript(file).map((e) => e.type)).toEqual(['user', 'assistant']);
    expect(fds.fsyncs).toHaveLength(2);
    expect(fds.fsyncs.every((f) => f.open)).toBe(true);
    await w.close(); // closing a closed transcript is a no-op
  });

  it('a line appended while close() waits for the fsync never reaches the closing descriptor', async () => {
    const file = path.join(makeTempDir('bcode-tr-'), 's3.jsonl');
    const w = new TranscriptWriter(file, 's3', '/w');
    w.append({ role: 'user', content: 'one' });
    const closing = w.close();
    w.append({ role: 'assistant', content: [{ type: 'text', text: 'two' }] });
    await closing;
    await w.close();
    expect(fds.fsyncs).toHaveLength(2);
    expect(fds.fsyncs.filter((f) => !f.open)).toEqual([]);
    expect(fds.open.size).toBe(0);
    const entries = readTranscript(file);
    expect(entries.map((e) => e.type)).toEqual(['user', 'assistant']);
    expect(entries[1].parentUuid).toBe(entries[0].uuid);
  });
});
