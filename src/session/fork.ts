/**
 * `--fork-session` (A8, A14): a resumed session continues under a new id. The new transcript gets
 * its own version line and a copy of every line of the original (so the conversation, its rewind
 * points and the next request's cached prefix are the same), and the checkpoints are copied
 * (objects hard-linked where the filesystem allows). The original files are only read.
 */
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkpointDir } from './checkpoints.js';
import { TRANSCRIPT_FORMAT, TRANSCRIPT_VERSION, type TranscriptMeta } from './transcript.js';

export function forkTranscript(original: string, target: string, newSessionId: string, forkedFrom: string, cwd: string, now = new Date()): void {
  const lines = readFileSync(original, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  // The copy's own version line; the original's (if it has one) is not copied.
  const body = lines.filter((l, i) => !(i === 0 && isVersionLine(l)));
  const version: TranscriptMeta & { forkedFrom: string } = { type: 'version', format: TRANSCRIPT_FORMAT, version: TRANSCRIPT_VERSION, sessionId: newSessionId, cwd, timestamp: now.toISOString(), forkedFrom };
  mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  // A torn last line of the original (a crash mid-write) is not copied: it would end the copy torn.
  const whole = body.filter((l) => parses(l));
  writeFileSync(target, [JSON.stringify(version), ...whole].join('\n') + '\n', { mode: 0o600, flag: 'wx' });

  const from = checkpointDir(original);
  if (!existsSync(from)) return;
  const to = checkpointDir(target);
  mkdirSync(path.join(to, 'objects'), { recursive: true, mode: 0o700 });
  if (existsSync(path.join(from, 'index.jsonl'))) copyFileSync(path.join(from, 'index.jsonl'), path.join(to, 'index.jsonl'));
  const objects = path.join(from, 'objects');
  if (!existsSync(objects)) return;
  for (const name of readdirSync(objects)) {
    if (name.startsWith('.')) continue;
    try {
      // Objects never change once written: both sessions can share them.
      linkSync(path.join(objects, name), path.join(to, 'objects', name));
    } catch {
      cpSync(path.join(objects, name), path.join(to, 'objects', name));
    }
  }
}

function isVersionLine(line: string): boolean {
  try {
    return (JSON.parse(line) as { type?: unknown }).type === 'version';
  } catch {
    return false;
  }
}

function parses(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
