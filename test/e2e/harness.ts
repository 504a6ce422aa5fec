import { cpSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, TEST_CREDENTIALS, type EmulatorHandle, type EmulatorOptions, type Scenario } from '../../src/emulator/index.js';
import { runCli, type CliResult, type RunCliOptions } from '../helpers/run-cli.js';
import type { TranscriptEntry } from '../../src/session/transcript.js';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

export interface Sandbox {
  home: string;
  project: string;
  emulator: EmulatorHandle;
  run(args: string[], options?: RunCliOptions): Promise<CliResult>;
  transcript(): TranscriptEntry[];
  close(): Promise<void>;
}

/** The environment of a CLI run against `emulatorUrl` with the emulator's first test key pair. */
export function emulatorEnv(emulatorUrl: string, home: string): Record<string, string> {
  const cred = TEST_CREDENTIALS[0]!;
  return {
    HOME: home,
    CLAUDE_CODE_USE_BEDROCK: '1',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: cred.accessKeyId,
    AWS_SECRET_ACCESS_KEY: cred.secretAccessKey,
    ANTHROPIC_BEDROCK_BASE_URL: emulatorUrl,
    ANTHROPIC_MODEL: MODEL,
  };
}

/** A temp HOME, a project dir (optionally a copy of a fixture) and an emulator playing `scenario`. */
export async function sandbox(scenario: Scenario, options: { fixture?: string; env?: Record<string, string>; emulator?: Omit<EmulatorOptions, 'scenario'> } = {}): Promise<Sandbox> {
  // In the run's own temp dir (test/global-setup.ts), removed by close(). The name is short on
  // purpose: the project's absolute path reaches the model in tool results, and cache.test.ts's
  // shares sit just above its 98% bound — /tmp/bcXXXXXX/eXXXXXX/project is as long as the
  // /tmp/bcode-e2e-XXXXXX/project it measured against.
  const root = mkdtempSync(path.join(os.tmpdir(), 'e'));
  const home = path.join(root, 'home');
  const project = path.join(root, 'project');
  mkdirSync(home);
  // The CLI's own temp dir: a scratch dir left by a killed run goes with the sandbox.
  const tmp = path.join(root, 'tmp');
  mkdirSync(tmp);
  if (options.fixture) cpSync(options.fixture, project, { recursive: true });
  else mkdirSync(project);
  const emulator = await startEmulator({ ...options.emulator, scenario });
  const env = { ...emulatorEnv(emulator.url, home), TMPDIR: tmp, ...options.env };
  return {
    home,
    project,
    emulator,
    run: (args, o = {}) => runCli(args, { cwd: project, timeoutMs: 30_000, ...o, env: { ...env, ...o.env } }),
    transcript() {
      const dir = path.join(home, '.claude', 'projects');
      const sub = readdirSync(dir);
      // The transcript; a session's checkpoints sit beside it in `<id>.checkpoints/`.
      const files = readdirSync(path.join(dir, sub[0])).filter((f) => f.endsWith('.jsonl'));
      return readFileSync(path.join(dir, sub[0], files[0]), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as TranscriptEntry)
        // The message lines and the markers that change the conversation (compaction, a guardrail's
        // exclusion); meta lines (format version, title, usage, rewind markers) are not messages.
        .filter((e) => e.type === 'user' || e.type === 'assistant' || e.type === 'compaction' || e.type === 'excluded');
    },
    async close() {
      await emulator.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Every tool_use in the transcript has exactly one tool_result in the message right after it. */
export function assertConsistent(entries: TranscriptEntry[]): void {
  entries.forEach((e, i) => {
    const content = Array.isArray(e.message.content) ? e.message.content : [];
    const uses = content.filter((b) => b.type === 'tool_use').map((b) => (b as { id: string }).id);
    if (uses.length === 0) return;
    const next = entries[i + 1];
    if (!next) throw new Error(`tool_use ${uses.join(',')} at entry ${i} has no following message`);
    const results = (Array.isArray(next.message.content) ? next.message.content : []).filter((b) => b.type === 'tool_result').map((b) => (b as { tool_use_id: string }).tool_use_id);
    if (JSON.stringify(results) !== JSON.stringify(uses)) throw new Error(`entry ${i}: tool_use ids ${uses.join(',')} answered by ${results.join(',')}`);
  });
}

export function modelRequests(emulator: EmulatorHandle) {
  return emulator.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream' || r.operation === 'InvokeModel');
}
