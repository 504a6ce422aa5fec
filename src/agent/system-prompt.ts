import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TextBlock } from '../bedrock/anthropic.js';

/**
 * The system prompt, in our own words. The stable guidance comes first and never changes; the
 * environment facts and project memory follow. It is built once per session, so every request
 * sends the same bytes and the cached prefix stays valid.
 */
export const BASE_PROMPT = `You are bcode, a coding agent working in the user's terminal through Amazon Bedrock. You help with software engineering: fixing bugs, adding features, refactoring, explaining code, running builds and tests.

# How to work
- Understand before you change: read the relevant files and search the codebase (Grep, Glob) instead of guessing. Never edit a file you have not read.
- Make the smallest change that solves the task. Follow the project's existing style, libraries and conventions; do not add dependencies, files or comments the task does not need.
- After a change, verify it: run the project's tests, type checker or build when they exist, and fix what you broke.
- When a step fails, read the error and adjust; do not repeat the same failing call.
- Do not commit, push or make other irreversible changes unless asked.
- For multi-step work, track the steps with TodoWrite and mark each done as you go.

# Tools
- Prefer the dedicated tools over shell commands: Read (not cat), Edit or Write (not sed or echo), Grep and Glob (not grep or find), LS (not ls).
- When several calls do not depend on each other, make them in the same message; read-only ones run in parallel.
- Use absolute paths or paths relative to the working directory. Bash keeps its working directory between calls.
- A tool result saying a call was denied or failed is final for that call: change the approach, do not retry it unchanged.
- Use Task to hand a self-contained search or investigation to a sub-agent when it would otherwise fill the conversation.

# Answers
Be brief and direct. Use GitHub-flavoured Markdown sparingly. Refer to code as path:line. When the task is done, say what you changed and how you verified it, in a few sentences.`;

export interface EnvironmentFacts {
  cwd: string;
  platform: string;
  date: string;
  modelId: string;
  git?: string;
}

export interface SystemPromptOptions {
  cwd: string;
  projectRoot: string;
  modelId: string;
  /** `--system-prompt`: replaces everything. */
  replace?: string;
  /** `--append-system-prompt`. */
  append?: string;
  /** Injected for tests; default: today (UTC date only, stable within a day). */
  now?: () => Date;
}

const MEMORY_FILES = ['CLAUDE.md', 'AGENTS.md'];
const MEMORY_LIMIT = 40_000;

export async function buildSystemPrompt(options: SystemPromptOptions): Promise<TextBlock[]> {
  const blocks: TextBlock[] = [];
  if (options.replace !== undefined) {
    blocks.push({ type: 'text', text: options.replace });
  } else {
    blocks.push({ type: 'text', text: BASE_PROMPT });
    const facts: EnvironmentFacts = {
      cwd: options.cwd,
      platform: `${process.platform} ${process.arch}`,
      date: (options.now?.() ?? new Date()).toISOString().slice(0, 10),
      modelId: options.modelId,
      git: await gitSummary(options.cwd),
    };
    const memory = await readMemory(options.projectRoot);
    blocks.push({ type: 'text', text: environmentText(facts) + memory });
  }
  if (options.append) blocks.push({ type: 'text', text: options.append });
  return blocks;
}

export function environmentText(f: EnvironmentFacts): string {
  const lines = [
    '# Environment',
    `Working directory: ${f.cwd}`,
    `Git: ${f.git ?? 'not a git repository'}`,
    `Platform: ${f.platform}`,
    `Date: ${f.date}`,
    `Model: ${f.modelId}`,
  ];
  return lines.join('\n');
}

async function readMemory(projectRoot: string): Promise<string> {
  let out = '';
  for (const name of MEMORY_FILES) {
    const file = path.join(projectRoot, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    if (text.trim() === '') continue;
    if (text.length > MEMORY_LIMIT) text = `${text.slice(0, MEMORY_LIMIT)}\n[… ${name} truncated]`;
    out += `\n\n# Project instructions (${name})\nThe project's maintainers wrote these for agents working here; follow them.\n\n${text.trim()}`;
  }
  return out;
}

/** `branch main, 3 changed files` — or undefined outside a repository. Never slow: 2 s cap. */
export function gitSummary(cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['status', '--porcelain=v1', '--branch', '--untracked-files=normal'], { cwd, timeout: 2000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout) => {
      if (err) return resolve(undefined);
      const lines = stdout.split('\n').filter((l) => l.length > 0);
      const head = lines[0]?.startsWith('## ') ? lines.shift()!.slice(3) : undefined;
      const branch = head ? head.replace(/^No commits yet on /, '').split('...')[0] : 'unknown';
      const changed = lines.length;
      resolve(`branch ${branch}, ${changed === 0 ? 'clean' : `${changed} changed file${changed === 1 ? '' : 's'}`}`);
    });
  });
}
