import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { query, type Options, type SDKMessage, type SDKUserMessage } from '@anthropic-ai/claude-agent-sdk';
import { startEmulator, type EmulatorHandle, type Scenario } from '../../src/emulator/index.js';
import { CLI_PATH } from '../helpers/run-cli.js';
import { emulatorEnv } from '../e2e/harness.js';
import { makeTempDir } from '../helpers/temp.js';

export const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

export interface SdkSandbox {
  home: string;
  project: string;
  emulator: EmulatorHandle;
  /** Options every query needs: bcode as the executable, the emulator as Bedrock, nothing from the developer's environment. */
  options(extra?: Options): Options;
  stderr: string[];
  /** How many times the SDK started bcode. */
  spawns(): number;
  close(): Promise<void>;
}

/**
 * A temp HOME and project, an emulator playing `scenario`, and a wrapper script the SDK spawns
 * as its "Claude Code executable": it runs the built bcode (node dist/cli.js "$@"). The SDK's
 * own bundled CLI is never used, and nothing leaves loopback.
 */
export async function sdkSandbox(scenario: Scenario | ((project: string) => Scenario), env: Record<string, string> = {}): Promise<SdkSandbox> {
  const root = makeTempDir('bcode-sdk-');
  const home = path.join(root, 'home');
  const project = path.join(root, 'project');
  mkdirSync(home);
  mkdirSync(project);
  // Its own temp dir: an app that ends kills the process it started, which may be too late to remove its scratch dir.
  const tmp = path.join(root, 'tmp');
  mkdirSync(tmp);
  const wrapper = path.join(root, 'bcode-wrapper.sh');
  const spawns = path.join(root, 'spawns.log');
  // Each start of bcode leaves a line, so tests can tell one process from several.
  writeFileSync(wrapper, `#!/bin/sh\necho "$$" >> ${JSON.stringify(spawns)}\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI_PATH)} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const emulator = await startEmulator({ scenario: typeof scenario === 'function' ? scenario(project) : scenario });
  const stderr: string[] = [];
  return {
    home,
    project,
    emulator,
    stderr,
    spawns: () => (existsSync(spawns) ? readFileSync(spawns, 'utf8').split('\n').filter(Boolean).length : 0),
    options: (extra = {}) => ({
      pathToClaudeCodeExecutable: wrapper,
      cwd: project,
      // The SDK passes exactly this environment to the process (nothing of the test runner's).
      env: { PATH: process.env.PATH, TMPDIR: tmp, LANG: 'C.UTF-8', ...emulatorEnv(emulator.url, home), ...env },
      stderr: (d: string) => void stderr.push(d),
      ...extra,
    }),
    close: () => emulator.close(),
  };
}

export async function collect(q: AsyncIterable<SDKMessage>): Promise<SDKMessage[]> {
  const out: SDKMessage[] = [];
  for await (const m of q) out.push(m);
  return out;
}

export { query };

export function modelRequests(emulator: EmulatorHandle) {
  return emulator.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream' || r.operation === 'InvokeModel');
}

/** Streaming input for query(): user messages pushed one at a time, ended explicitly. */
export function inputChannel() {
  const queue: SDKUserMessage[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  return {
    push(text: string) {
      queue.push({ type: 'user', message: { role: 'user', content: [{ type: 'text', text }] }, parent_tool_use_id: null, session_id: '' });
      poke();
    },
    end() {
      ended = true;
      poke();
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<SDKUserMessage> {
      for (;;) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (ended) return;
        await new Promise<void>((r) => (wake = r));
      }
    },
  };
}
