import { realpathSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { EmulatorAuthMode, Scenario } from '../emulator/types.js';

export interface EmulatorCommandOptions {
  port?: string;
  host?: string;
  region?: string;
  scenario?: string;
  record?: string;
  auth?: string;
  demo?: boolean;
}

/** The reply `--demo` streams when no scenario file is given. */
const DEMO_SCENARIO: Scenario = {
  name: 'demo',
  turns: [{ reply: { content: [{ type: 'text', text: 'Hello! This answer was streamed by the bcode Bedrock emulator, signed with SigV4 and decoded by the official AWS SDK.' }] } }],
  whenExhausted: 'echo',
};

function parsePort(value: string | undefined): number {
  const n = Number(value ?? '0');
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got '${value}'`, { hint: 'use --port 0 to pick any free port' });
  return n;
}

function parseRegion(value: string | undefined): string {
  const region = value ?? 'us-east-1';
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d+$/.test(region)) throw new UsageError(`--region '${region}' does not look like an AWS region`, { hint: 'e.g. --region us-east-1' });
  return region;
}

/** The directory bcode is installed in (dist/cli.js is the running script, symlinks resolved). */
function packageRoot(): string {
  const script = process.argv[1] ?? '';
  let real = script;
  try {
    real = realpathSync(script);
  } catch {
    // Not a file (an embedded run): the working directory is the best guess.
    return process.cwd();
  }
  return path.resolve(path.dirname(real), '..');
}

/** `bcode emulator`: runs the local Bedrock emulator until SIGINT/SIGTERM, or `--demo` once. */
export async function runEmulatorCommand(opts: EmulatorCommandOptions): Promise<number> {
  const port = parsePort(opts.port);
  const region = parseRegion(opts.region);
  const authMode = (opts.auth ?? 'strict') as EmulatorAuthMode;
  const { startEmulator, TEST_API_KEY, TEST_CREDENTIALS } = await import('../emulator/index.js');
  const { loadScenarioFile } = await import('../emulator/scenario-file.js');
  const scenario = opts.scenario ? loadScenarioFile(opts.scenario) : opts.demo ? DEMO_SCENARIO : undefined;
  const out = (s: string) => process.stdout.write(s);

  if (opts.demo) {
    const emu = await startEmulator({ host: opts.host, port: 0, region, scenario, recordFile: opts.record, authMode });
    try {
      const { runDemoRequest } = await import('../emulator/demo.js');
      await runDemoRequest(emu, out);
    } finally {
      await emu.close();
    }
    return 0;
  }

  let emu;
  try {
    emu = await startEmulator({
      host: opts.host,
      port,
      region,
      scenario,
      recordFile: opts.record,
      authMode,
      onRequest: (r) => out(`${r.method} ${r.rawPath} -> ${r.status || 'dropped'} (${r.auth.ok ? r.auth.kind : `auth failed: ${r.auth.error ?? r.auth.kind}`})\n`),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is already in use`, { hint: 'pick another --port, or --port 0 for any free one' });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on host '${opts.host}'`, { hint: 'use --host 127.0.0.1' });
    throw err;
  }
  const { accessKeyId, secretAccessKey } = TEST_CREDENTIALS[0];
  out(
    [
      `bcode emulator listening on ${emu.url} (region ${region}, auth ${authMode})`,
      scenario ? `scenario: ${scenario.name ?? opts.scenario} (${scenario.turns.length} turn${scenario.turns.length === 1 ? '' : 's'})` : 'no scenario: every request gets a short echo reply',
      '# test-only credentials; export them in another shell to point bcode or an AWS SDK here:',
      `export ANTHROPIC_BEDROCK_BASE_URL=${emu.url}`,
      'export CLAUDE_CODE_USE_BEDROCK=1',
      `export AWS_REGION=${region}`,
      `export AWS_ACCESS_KEY_ID=${accessKeyId}`,
      `export AWS_SECRET_ACCESS_KEY=${secretAccessKey}`,
      '# or, instead of the two keys, a Bedrock API key:',
      `export AWS_BEARER_TOKEN_BEDROCK=${TEST_API_KEY}`,
      "# where bcode is installed (the README's AWS SDK example loads the SDK from there):",
      `export BCODE_DIR=${packageRoot()}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emu.close();
  return 0;
}
