import { mkdtempSync, readFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTranscript, sanitizeCwd, TranscriptWriter, transcriptPath } from '../../src/session/transcript.js';
import { addSecret } from '../../src/util/redact.js';

describe('session transcript', () => {
  it('lives under ~/.claude/projects/<sanitized cwd>, or $CLAUDE_CONFIG_DIR/projects', () => {
    expect(sanitizeCwd('/home/u/my.proj')).toBe('-home-u-my-proj');
    expect(transcriptPath({ HOME: '/h' }, '/w/p', 'abc')).toBe('/h/.claude/projects/-w-p/abc.jsonl');
    expect(transcriptPath({ HOME: '/h', CLAUDE_CONFIG_DIR: '/cfg' }, '/w/p', 'abc')).toBe('/cfg/projects/-w-p/abc.jsonl');
  });

  it('appends one redacted, linked line per message and survives a torn last line', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bcode-tr-'));
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
  });
});
