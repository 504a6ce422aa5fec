import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'shell-quote';
import { TEST_CREDENTIALS } from '../../src/emulator/types.js';

/** An agent CLI under test: bcode itself, or a peer given with --peer. */
export interface Agent {
  label: 'bcode' | 'peer';
  command: string;
  args: string[];
}

export const MAIN_MODEL = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
export const SMALL_MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

export function bcodeAgent(root: string): Agent {
  return { label: 'bcode', command: process.execPath, args: [path.join(root, 'dist', 'cli.js')] };
}

export function peerAgent(commandLine: string): Agent {
  const words = parse(commandLine).filter((w): w is string => typeof w === 'string');
  if (words.length === 0) throw new Error(`--peer: cannot read a command from '${commandLine}'`);
  return { label: 'peer', command: words[0], args: words.slice(1) };
}

/**
 * The environment an agent runs with: a private HOME (no user settings leak in, nothing of the
 * developer's is touched), the emulator as the Bedrock endpoint, the emulator's test keys, and
 * the same models for every agent. The peer-only switches keep a peer from phoning anywhere.
 */
export function agentEnv(endpoint: string, home: string): Record<string, string> {
  mkdirSync(home, { recursive: true });
  const cred = TEST_CREDENTIALS[0];
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    // The bench's own temp dir when it has one (the smoke test's), so what an agent leaves is seen there.
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    CLAUDE_CODE_USE_BEDROCK: '1',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: cred.accessKeyId,
    AWS_SECRET_ACCESS_KEY: cred.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    ANTHROPIC_BEDROCK_BASE_URL: endpoint,
    ANTHROPIC_MODEL: MAIN_MODEL,
    ANTHROPIC_SMALL_FAST_MODEL: SMALL_MODEL,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: SMALL_MODEL,
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
}

/** Replaces {{root}} and {{smallModel}} in every string of a scenario. */
export function fillTemplate<T>(value: T, vars: Record<string, string>): T {
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m);
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(value) as T;
}
