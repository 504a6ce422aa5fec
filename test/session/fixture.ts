import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { TEST_CREDENTIALS } from '../../src/emulator/index.js';

export const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

/** A session's configuration for `<root>/project` against the emulator at `emulatorUrl` (HOME is `root`). */
export async function sessionConfig(root: string, emulatorUrl: string, env: Record<string, string> = {}): Promise<Config> {
  const cred = TEST_CREDENTIALS[0]!;
  const { config } = await loadConfig({
    cwd: path.join(root, 'project'),
    env: {
      HOME: root,
      PATH: process.env.PATH ?? '',
      BCODE_MANAGED_SETTINGS_DIR: path.join(root, 'managed'),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: cred.accessKeyId,
      AWS_SECRET_ACCESS_KEY: cred.secretAccessKey,
      ANTHROPIC_BEDROCK_BASE_URL: emulatorUrl,
      ANTHROPIC_MODEL: MODEL,
      ...env,
    },
    flags: {},
  });
  return config;
}
