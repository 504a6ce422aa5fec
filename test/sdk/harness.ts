import { chmodSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { query, type Options, type SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { startEmulator, TEST_CREDENTIALS, type EmulatorHandle, type Scenario } from '../../src/emulator/index.js';
import { CLI_PATH } from '../helpers/run-cli.js';

export const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

export interface SdkSandbox {
  home: string;
  project: string;
  emulator: EmulatorHandle;
  /** Options every query needs: bcode as the executable, the emulator as Bedrock, nothing from the developer's environment. */
  options(extra?: Options): Options;
  stderr: string[];
  close(): Promise<void>;
}

/**
 * A temp HOME and project, an emulator playing `scenario`, and a wrapper script the SDK spawns
 * as its "Claude Code executable": it runs the built bcode (node dist/cli.js "$@"). The SDK's
 * own bundled CLI is never used, and nothing leaves loopback.
 */
export async function sdkSandbox(scenario: Scenario, env: Record<string, string> = {}): Promise<SdkSandbox> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bcode-sdk-'));
  const home = path.join(root, 'home');
  const project = path.join(root, 'project');
  mkdirSync(home);
  mkdirSync(project);
  const wrapper = path.join(root, 'bcode-wrapper.sh');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI_PATH)} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const emulator = await startEmulator({ scenario });
  const cred = TEST_CREDENTIALS[0];
  const stderr: string[] = [];
  return {
    home,
    project,
    emulator,
    stderr,
    options: (extra = {}) => ({
      pathToClaudeCodeExecutable: wrapper,
      cwd: project,
      // The SDK passes exactly this environment to the process (nothing of the test runner's).
      env: {
        PATH: process.env.PATH,
        HOME: home,
        LANG: 'C.UTF-8',
        CLAUDE_CODE_USE_BEDROCK: '1',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: cred.accessKeyId,
        AWS_SECRET_ACCESS_KEY: cred.secretAccessKey,
        ANTHROPIC_BEDROCK_BASE_URL: emulator.url,
        ANTHROPIC_MODEL: MODEL,
        ...env,
      },
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
