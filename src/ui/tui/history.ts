/**
 * Prompt history per project, for ↑/↓: one JSON string per line in
 * `<config dir>/bcode/history/<project>.jsonl` (the config dir is `$CLAUDE_CONFIG_DIR` or
 * `~/.claude`). Kept apart from `projects/`, whose `.jsonl` files are transcripts. Best effort:
 * a history that cannot be read or written never stops the UI.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redact } from '../../util/redact.js';

const KEEP = 500;

export function historyFile(env: Record<string, string | undefined>, projectDir: string): string {
  const base = env.CLAUDE_CONFIG_DIR ? env.CLAUDE_CONFIG_DIR : path.join(env.HOME || os.homedir(), '.claude');
  return path.join(base, 'bcode', 'history', `${path.resolve(projectDir).replace(/[^A-Za-z0-9]/g, '-')}.jsonl`);
}

export class PromptHistory {
  readonly entries: string[];

  constructor(private readonly file: string) {
    this.entries = load(file);
  }

  add(prompt: string): void {
    if (prompt.trim() === '' || this.entries[this.entries.length - 1] === prompt) return;
    this.entries.push(prompt);
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP);
    try {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      // A prompt may quote a secret: the file holds what the redaction layer lets through.
      appendFileSync(this.file, `${JSON.stringify(redact(prompt))}\n`, { mode: 0o600 });
    } catch {
      // history is a convenience
    }
  }
}

function load(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const line of text.split('\n').slice(-KEEP - 1)) {
    try {
      const v: unknown = JSON.parse(line);
      if (typeof v === 'string') out.push(v);
    } catch {
      // a torn line
    }
  }
  return out;
}
