/**
 * The sessions of a working directory for the resume picker (`/resume`, `bcode -r` with no id):
 * title (or the first prompt when untitled), age, user turns and cost, newest first.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { replayTranscript } from './resume.js';
import { projectsDir, readTranscriptLines, sanitizeCwd } from './transcript.js';

export interface SessionSummary {
  id: string;
  file: string;
  /** The title line's, else the first prompt's first line. */
  title: string;
  titled: boolean;
  modifiedMs: number;
  turns: number;
  costUsd: number;
}

export function listSessions(env: Record<string, string | undefined>, cwd: string): SessionSummary[] {
  const dir = path.join(projectsDir(env), sanitizeCwd(cwd));
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const out: SessionSummary[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const lines = readTranscriptLines(file);
      const { turns, title } = replayTranscript(lines);
      let costUsd = 0;
      for (const l of lines) if (l.type === 'usage' && typeof l.costUsd === 'number') costUsd += l.costUsd;
      const first = turns[0]?.text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
      if (turns.length === 0 && !title) continue; // nothing to resume
      out.push({ id: name.slice(0, -'.jsonl'.length), file, title: title ?? first, titled: title !== undefined, modifiedMs: statSync(file).mtimeMs, turns: turns.length, costUsd });
    } catch {
      // unreadable: not offered
    }
  }
  return out.sort((a, b) => b.modifiedMs - a.modifiedMs);
}

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function formatAge(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  const d = Math.floor(s / 86_400);
  return `${d} day${d === 1 ? '' : 's'} ago`;
}
