/**
 * The transcript writer and reader in-process (issue 20): every kind of line it writes, exactly;
 * where the file lives; how a resumed writer chains on; what the reader keeps and skips.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectsDir, readTranscript, readTranscriptLines, sanitizeCwd, TRANSCRIPT_FORMAT, TRANSCRIPT_VERSION, TranscriptWriter, transcriptPath, transcriptVersion, type TranscriptLine } from '../../src/session/transcript.js';
import { addSecret } from '../../src/util/redact.js';
import { makeTempDir } from '../helpers/temp.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A clock that moves one second per call, from 2030-01-01T00:00:00Z. */
function clock(): () => Date {
  let t = Date.parse('2030-01-01T00:00:00Z');
  return () => new Date((t += 1000) - 1000);
}

function lines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('where transcripts live', () => {
  it('$CLAUDE_CONFIG_DIR/projects when it is set and not empty, else $HOME/.claude/projects, else the OS home', () => {
    expect(projectsDir({ CLAUDE_CONFIG_DIR: '/cfg', HOME: '/h' })).toBe('/cfg/projects');
    expect(projectsDir({ CLAUDE_CONFIG_DIR: '', HOME: '/h' })).toBe('/h/.claude/projects');
    expect(projectsDir({ HOME: '/h' })).toBe('/h/.claude/projects');
    expect(projectsDir({ HOME: '' })).toBe(path.join(os.homedir(), '.claude', 'projects'));
    expect(projectsDir({})).toBe(path.join(os.homedir(), '.claude', 'projects'));
  });

  it('the directory name keeps letters and digits of the absolute path and turns every other character into -', () => {
    expect(sanitizeCwd('/Work/Proj_2.x y')).toBe('-Work-Proj-2-x-y');
    expect(sanitizeCwd('rel/dir')).toBe(path.resolve('rel/dir').replace(/[^A-Za-z0-9]/g, '-'));
    expect(sanitizeCwd('/a/../b')).toBe('-b');
    expect(transcriptPath({ HOME: '/h' }, '/w/p', 'abc')).toBe('/h/.claude/projects/-w-p/abc.jsonl');
  });
});

describe('TranscriptWriter: the lines it writes', () => {
  it('a new file starts with the version line, then one linked entry per message, each stamped by the clock', async () => {
    const dir = makeTempDir('bcode-trm-');
    const file = path.join(dir, 'deep', 'er', 's.jsonl');
    const w = new TranscriptWriter(file, 'sess-1', '/w/p', clock());
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(w.lastUuid).toBeNull();
    const u1 = w.append({ role: 'user', content: 'hello' });
    expect(w.lastUuid).toBe(u1);
    const u2 = w.append({ role: 'assistant', content: [{ type: 'text', text: 'hi' }] });
    expect(u1).toMatch(UUID);
    expect(u2).toMatch(UUID);
    expect(u2).not.toBe(u1);
    expect(w.lastUuid).toBe(u2);
    await w.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(lines(file)).toEqual([
      { type: 'version', format: 'bcode-transcript', version: 2, sessionId: 'sess-1', cwd: '/w/p', timestamp: '2030-01-01T00:00:01.000Z' },
      { type: 'user', uuid: u1, parentUuid: null, sessionId: 'sess-1', timestamp: '2030-01-01T00:00:00.000Z', cwd: '/w/p', message: { role: 'user', content: 'hello' } },
      { type: 'assistant', uuid: u2, parentUuid: u1, sessionId: 'sess-1', timestamp: '2030-01-01T00:00:02.000Z', cwd: '/w/p', message: { role: 'assistant', content: [{ type: 'text', text: 'hi' }] } },
    ]);
    expect(TRANSCRIPT_FORMAT).toBe('bcode-transcript');
    expect(TRANSCRIPT_VERSION).toBe(2);
  });

  it('title, usage, compaction, exclusion and rewind lines, exactly; a rewind moves the chain', async () => {
    const file = path.join(makeTempDir('bcode-trm-'), 's.jsonl');
    const w = new TranscriptWriter(file, 's2', '/w', () => new Date(0));
    const u1 = w.append({ role: 'user', content: 'one' });
    w.appendTitle('A title');
    w.appendUsage(0.25);
    const c = w.appendCompaction({ role: 'user', content: 'summary' }, 3, 7) as unknown;
    expect(c).toBeUndefined();
    const afterCompaction = w.lastUuid;
    w.appendExclusion(2, 'blocked by a guardrail');
    const afterExclusion = w.lastUuid;
    w.appendRewind(u1, 'kept-uuid');
    expect(w.lastUuid).toBe('kept-uuid');
    const u2 = w.append({ role: 'user', content: 'again' });
    await w.close();
    const ts = '1970-01-01T00:00:00.000Z';
    const got = lines(file).slice(1);
    expect(got).toEqual([
      expect.objectContaining({ type: 'user', uuid: u1 }),
      { type: 'title', title: 'A title', sessionId: 's2', timestamp: ts },
      { type: 'usage', costUsd: 0.25, sessionId: 's2', timestamp: ts },
      { type: 'compaction', uuid: afterCompaction, parentUuid: u1, sessionId: 's2', timestamp: ts, cwd: '/w', message: { role: 'user', content: 'summary' }, keptMessages: 3, compactedMessages: 7 },
      { type: 'excluded', uuid: afterExclusion, parentUuid: afterCompaction, sessionId: 's2', timestamp: ts, cwd: '/w', message: { role: 'assistant', content: [{ type: 'text', text: 'blocked by a guardrail' }] }, excludedMessages: 2 },
      { type: 'rewind', toUuid: u1, sessionId: 's2', timestamp: ts },
      { type: 'user', uuid: u2, parentUuid: 'kept-uuid', sessionId: 's2', timestamp: ts, cwd: '/w', message: { role: 'user', content: 'again' } },
    ]);
    // Title, usage and rewind lines are not messages: they do not move the chain.
    expect(got[3].parentUuid).toBe(u1);
  });

  it('usage that cost nothing (or is not a number) is not written', async () => {
    const file = path.join(makeTempDir('bcode-trm-'), 's.jsonl');
    const w = new TranscriptWriter(file, 's3', '/w');
    w.appendUsage(0);
    w.appendUsage(-1);
    w.appendUsage(Number.NaN);
    w.appendUsage(1e-9);
    await w.close();
    expect(lines(file).map((l) => [l.type, l.costUsd])).toEqual([
      ['version', undefined],
      ['usage', 1e-9],
    ]);
  });

  it('a resumed writer chains on from the last entry and adds no second version line; an empty existing file gets one', async () => {
    const file = path.join(makeTempDir('bcode-trm-'), 's.jsonl');
    const first = new TranscriptWriter(file, 's4', '/w');
    const u1 = first.append({ role: 'user', content: 'one' });
    await first.close();
    const resumed = new TranscriptWriter(file, 's4', '/w', undefined, u1);
    expect(resumed.lastUuid).toBe(u1);
    resumed.append({ role: 'assistant', content: [{ type: 'text', text: 'two' }] });
    await resumed.close();
    const all = lines(file);
    expect(all.map((l) => l.type)).toEqual(['version', 'user', 'assistant']);
    expect(all[2].parentUuid).toBe(u1);

    const empty = path.join(makeTempDir('bcode-trm-'), 'empty.jsonl');
    writeFileSync(empty, '');
    const w = new TranscriptWriter(empty, 's5', '/w');
    w.appendTitle('t');
    await w.close();
    expect(lines(empty).map((l) => l.type)).toEqual(['version', 'title']);
  });

  it.skipIf(!existsSync('/proc/self/fd'))('one descriptor per open transcript, however many lines: none is left open after close()', async () => {
    const open = () => readdirSync('/proc/self/fd').length;
    const file = path.join(makeTempDir('bcode-trm-'), 's.jsonl');
    const before = open();
    const w = new TranscriptWriter(file, 's7', '/w');
    for (let i = 0; i < 5; i++) w.append({ role: 'user', content: `line ${i}` });
    w.appendTitle('t');
    expect(open()).toBe(before + 1);
    await w.close();
    expect(open()).toBe(before);
    expect(lines(file)).toHaveLength(7);
  });

  it('every line but the version line passes the redaction layer', async () => {
    addSecret('transcript-secret-0042');
    const file = path.join(makeTempDir('bcode-trm-'), 's.jsonl');
    const w = new TranscriptWriter(file, 's6', '/w');
    w.appendTitle('title transcript-secret-0042');
    w.appendExclusion(1, 'reason transcript-secret-0042');
    w.append({ role: 'user', content: 'AKIAIOSFODNN7EXAMPLE' });
    await w.close();
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('transcript-secret-0042');
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text.match(/\[REDACTED\]/g)).toHaveLength(3);
  });
});

describe('reading transcripts back', () => {
  it('readTranscriptLines skips blank lines, torn lines and JSON that is not a typed object', () => {
    const file = path.join(makeTempDir('bcode-trm-'), 's.jsonl');
    writeFileSync(
      file,
      [
        '{"type":"version","format":"bcode-transcript","version":2,"sessionId":"s","cwd":"/w","timestamp":"t"}',
        '',
        '   ',
        '3',
        'null',
        '"user"',
        '[1]',
        '{"type":5}',
        '{"notype":true}',
        '{"type":"title","title":"x","sessionId":"s","timestamp":"t"}',
        '{"type":"user","mess',
      ].join('\n'),
    );
    expect(readTranscriptLines(file).map((l) => l.type)).toEqual(['version', 'title']);
  });

  it('readTranscript keeps user, assistant and compaction lines that carry a message', () => {
    const file = path.join(makeTempDir('bcode-trm-'), 's.jsonl');
    const m = { role: 'user', content: 'x' };
    appendFileSync(file, `${JSON.stringify({ type: 'version', version: 2 })}\n`);
    for (const type of ['user', 'assistant', 'compaction', 'excluded', 'title', 'rewind', 'usage']) appendFileSync(file, `${JSON.stringify({ type, message: m })}\n`);
    appendFileSync(file, `${JSON.stringify({ type: 'user' })}\n`);
    appendFileSync(file, `${JSON.stringify({ type: 'assistant' })}\n`);
    appendFileSync(file, `${JSON.stringify({ type: 'compaction' })}\n`);
    expect(readTranscript(file).map((e) => e.type)).toEqual(['user', 'assistant', 'compaction']);
  });

  it('transcriptVersion: the number on a version first line, else 1', () => {
    const v = (...ls: object[]) => transcriptVersion(ls as TranscriptLine[]);
    expect(v()).toBe(1);
    expect(v({ type: 'version', version: 2 })).toBe(2);
    expect(v({ type: 'version', version: 3 }, { type: 'version', version: 2 })).toBe(3);
    expect(v({ type: 'version', version: '2' })).toBe(1);
    expect(v({ type: 'version' })).toBe(1);
    expect(v({ type: 'user', version: 2 })).toBe(1);
    expect(v({ type: 'user' }, { type: 'version', version: 2 })).toBe(1);
  });
});
