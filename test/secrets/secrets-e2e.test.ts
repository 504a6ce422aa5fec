/**
 * R2, R3, R7 through the real path: the built CLI in print mode against the emulator, with a
 * scripted model that goes after bcode's credentials. Each case asserts on what the model was
 * sent (the emulator's recorded request bodies) and on everything bcode printed or recorded.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle, type Scenario } from '../../src/emulator/index.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';

// Values no shape pattern recognises: only their registration as literals can mask them.
const KEY_ID = 'ASIAE2ESECRETS000001';
const SECRET_KEY = 'e2e/secret/access/key/value/for/tests/001';
const SESSION_TOKEN = 'e2e-session-token-value-000000000000000001';
const CONTAINER_TOKEN = 'e2e-container-authorization-token-00001';
const POD_TOKEN = 'e2e-pod-identity-token-from-file-000001';
const WEB_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.e2e-web-identity-token.c2ln';
const ALL_SECRETS = [SECRET_KEY, SESSION_TOKEN, CONTAINER_TOKEN, POD_TOKEN, WEB_TOKEN];
const DOC_EXAMPLE = 'AKIAIOSFODNN7EXAMPLE';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
// Another engineer's sandbox would hide /proc and ~/.aws from tools: these cases test the
// redaction behind it, so they run without it.
const NO_SANDBOX = ['--settings', '{"sandbox":{"enabled":false}}'];

interface World {
  root: string;
  home: string;
  project: string;
  emulator: EmulatorHandle;
  env: Record<string, string>;
  run(args: string[]): Promise<CliResult>;
}

let world: World | undefined;
afterEach(async () => {
  await world?.emulator.close();
  if (world) rmSync(world.root, { recursive: true, force: true });
  world = undefined;
});

async function setup(scenario: Scenario, extraEnv: Record<string, string> = {}, options: { envKeys?: boolean } = {}): Promise<World> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bcode-secrets-e2e-'));
  const home = path.join(root, 'home');
  const project = path.join(root, 'project');
  mkdirSync(path.join(home, '.aws'), { recursive: true });
  mkdirSync(project);
  writeFileSync(
    path.join(home, '.aws', 'credentials'),
    `[default]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET_KEY}\naws_session_token = ${SESSION_TOKEN}\n# the AWS docs example, as in a test fixture: ${DOC_EXAMPLE}\n`,
  );
  const emulator = await startEmulator({ scenario, credentials: [{ accessKeyId: KEY_ID, secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN }] });
  const env: Record<string, string> = {
    HOME: home,
    CLAUDE_CODE_USE_BEDROCK: '1',
    AWS_REGION: 'us-east-1',
    ANTHROPIC_BEDROCK_BASE_URL: emulator.url,
    ANTHROPIC_MODEL: MODEL,
    ...(options.envKeys === false ? {} : { AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_KEY, AWS_SESSION_TOKEN: SESSION_TOKEN }),
    ...extraEnv,
  };
  world = { root, home, project, emulator, env, run: (args) => runCli(args, { cwd: project, env, timeoutMs: 30_000 }) };
  return world;
}

function bashThenDone(command: string): Scenario {
  return {
    turns: [
      { reply: { content: [{ type: 'tool_use', id: 'toolu_secret_1', name: 'Bash', input: { command, description: 'look around' } }] } },
      { reply: { content: [{ type: 'text', text: 'Done.' }] } },
    ],
  };
}

function modelCalls(w: World) {
  return w.emulator.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream' || r.operation === 'InvokeModel');
}

/** The text of the tool_result the CLI sent back for our call. */
function toldTheModel(w: World): string {
  const calls = modelCalls(w);
  expect(calls.length).toBe(2);
  const messages = (calls[1]!.body as { messages: Array<{ content: unknown }> }).messages;
  const blocks = messages.at(-1)!.content as Array<{ type: string; tool_use_id?: string; content?: unknown }>;
  const result = blocks.find((b) => b.type === 'tool_result' && b.tool_use_id === 'toolu_secret_1');
  expect(result).toBeDefined();
  return typeof result!.content === 'string' ? result!.content : JSON.stringify(result!.content);
}

function transcript(w: World): string {
  const dir = path.join(w.home, '.claude', 'projects');
  const sub = readdirSync(dir)[0]!;
  return readdirSync(path.join(dir, sub))
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => readFileSync(path.join(dir, sub, f), 'utf8'))
    .join('\n');
}

function expectNoSecret(where: string, text: string): void {
  for (const s of ALL_SECRETS) expect(text, `${where} contains ${s}`).not.toContain(s);
}

describe('secrets never reach the model, the terminal or the transcript', () => {
  it("bcode's own environment and ~/.aws/credentials, read by Bash, reach the model masked", async () => {
    const w = await setup(bashThenDone('cat /proc/$PPID/environ; echo; cat "$HOME/.aws/credentials"'));
    const r = await w.run(['-p', 'look around', '--output-format', 'json', '--allowedTools', 'Bash', ...NO_SANDBOX]);
    expect(r.code, r.stderr).toBe(0);
    const told = toldTheModel(w);
    // The command ran: bcode's environment and the credentials file are there, their values masked.
    expect(told).toContain('AWS_SECRET_ACCESS_KEY=[REDACTED]');
    expect(told).toContain('AWS_SESSION_TOKEN=[REDACTED]');
    expect(told).toContain('aws_secret_access_key = [REDACTED]');
    // Only bcode's values: a documentation example key in a fixture reaches the model as it is.
    expect(told).toContain(`example, as in a test fixture: ${DOC_EXAMPLE}`);
    expectNoSecret('the requests to the model', JSON.stringify(modelCalls(w).map((c) => c.body)));
    expectNoSecret('stdout', r.stdout);
    expectNoSecret('stderr', r.stderr);
    expectNoSecret('the transcript', transcript(w));
  });

  it('credentials bcode loaded from ~/.aws/credentials (the SDK chain) are masked the same way', async () => {
    const w = await setup(bashThenDone('cat "$HOME/.aws/credentials"'), {}, { envKeys: false });
    const r = await w.run(['-p', 'look around', '--output-format', 'json', '--allowedTools', 'Bash', ...NO_SANDBOX]);
    expect(r.code, r.stderr).toBe(0);
    const told = toldTheModel(w);
    expect(told).toContain('aws_secret_access_key = [REDACTED]');
    expect(told).toContain('aws_session_token = [REDACTED]');
    expectNoSecret('the requests to the model', JSON.stringify(modelCalls(w).map((c) => c.body)));
  });

  it('a secret the model streams in tiny pieces is masked in stream-json partial messages', async () => {
    const text = `Found it: ${SECRET_KEY} and ${SESSION_TOKEN}; header Authorization: Bearer abcdefgh.ijklmnop-1234\nThat is all.`;
    const command = `printf '%s' '${SECRET_KEY}' > leaked.txt`;
    const w = await setup({
      turns: [
        { reply: { content: [{ type: 'text', text }, { type: 'tool_use', id: 'toolu_secret_1', name: 'Bash', input: { command, description: 'save it' } }], chunkChars: 3 } },
        { reply: { content: [{ type: 'text', text: 'Done.' }] } },
      ],
    });
    const r = await w.run(['-p', 'tell me', '--output-format', 'stream-json', '--verbose', '--include-partial-messages', ...NO_SANDBOX]);
    expect(r.code, r.stderr).toBe(0);
    expectNoSecret('stdout', r.stdout);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    type Delta = { index: number; delta: { type: string; text?: string; partial_json?: string } };
    // The first message's events (the second one is the closing "Done.").
    const events = lines.filter((l) => l.type === 'stream_event').map((l) => l.event as { type: string });
    const firstMessage = events.slice(0, events.findIndex((e) => e.type === 'message_stop'));
    const deltas = firstMessage.filter((e) => e.type === 'content_block_delta') as unknown as Delta[];
    // Many pieces went out (the stream was not held back to the end)...
    expect(deltas.filter((d) => d.index === 0).length).toBeGreaterThan(5);
    // ...and joined they read exactly as the whole text redacted.
    const joined = (i: number) => deltas.filter((d) => d.index === i).map((d) => d.delta.text ?? d.delta.partial_json ?? '').join('');
    expect(joined(0)).toBe('Found it: [REDACTED] and [REDACTED]; header Authorization: [REDACTED]\nThat is all.');
    expect(JSON.parse(joined(1))).toEqual({ command: "printf '%s' '[REDACTED]' > leaked.txt", description: 'save it' });
    // The write was refused (nobody to ask in print mode); the denial lists the input, masked.
    const result = lines.at(-1) as { type: string; permission_denials: Array<{ tool_input: { command: string } }> };
    expect(result.type).toBe('result');
    expect(result.permission_denials[0]!.tool_input.command).toBe("printf '%s' '[REDACTED]' > leaked.txt");
    expectNoSecret('the transcript', transcript(w));
  });

  it('the container authorization token and web-identity token files do not reach Bash, and their contents are masked', async () => {
    const podTokenFile = path.join(os.tmpdir(), `bcode-e2e-pod-token-${process.pid}`);
    const webTokenFile = path.join(os.tmpdir(), `bcode-e2e-web-token-${process.pid}`);
    writeFileSync(podTokenFile, `${POD_TOKEN}\n`);
    writeFileSync(webTokenFile, WEB_TOKEN);
    try {
      const w = await setup(bashThenDone(`env; echo "token=[$AWS_CONTAINER_AUTHORIZATION_TOKEN]"; cat ${podTokenFile}; echo; cat ${webTokenFile}`), {
        AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_TOKEN,
        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: podTokenFile,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
        AWS_WEB_IDENTITY_TOKEN_FILE: webTokenFile,
        AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/e2e',
      });
      const r = await w.run(['-p', 'look around', '--output-format', 'stream-json', '--verbose', '--allowedTools', 'Bash', ...NO_SANDBOX]);
      expect(r.code, r.stderr).toBe(0);
      const told = toldTheModel(w);
      expect(told).toContain('AWS_REGION=us-east-1');
      expect(told).toContain('token=[]');
      for (const name of ['AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_SECRET_ACCESS_KEY']) expect(told).not.toContain(`${name}=`);
      // The files were readable (bcode cannot stop that without the sandbox): their contents are masked.
      expect(told).toMatch(/token=\[\]\n\[REDACTED\]\n+\[REDACTED\]$/);
      expectNoSecret('the requests to the model', JSON.stringify(modelCalls(w).map((c) => c.body)));
      expectNoSecret('stdout', r.stdout);
      expectNoSecret('the transcript', transcript(w));
    } finally {
      rmSync(podTokenFile, { force: true });
      rmSync(webTokenFile, { force: true });
    }
  });

  it('an error that quotes a secret is masked on stderr and in the json result', async () => {
    const w = await setup({ turns: [{ faults: [{ kind: 'http', errorType: 'ValidationException', message: `malformed request: key ${SECRET_KEY} session ${SESSION_TOKEN}` }] }] });
    const r = await w.run(['-p', 'x', '--output-format', 'json', ...NO_SANDBOX]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('malformed request: key [REDACTED] session [REDACTED]');
    // A failed model call: the error text is the result (as the SDK reads it), masked.
    const result = JSON.parse(r.stdout) as { result: string; is_error: boolean; api_error_status: number };
    expect(result).toMatchObject({ is_error: true, api_error_status: 400 });
    expect(result.result).toContain('key [REDACTED] session [REDACTED]');
    expectNoSecret('stdout', r.stdout);
    expectNoSecret('stderr', r.stderr);
  });

  it('with passAwsCredentialsToTools, Bash sees the keys but no output path shows them', async () => {
    const w = await setup(bashThenDone('echo "key=$AWS_SECRET_ACCESS_KEY token=$AWS_SESSION_TOKEN container=$AWS_CONTAINER_AUTHORIZATION_TOKEN"; env | sort'), {
      AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_TOKEN,
    });
    const settings = ['--settings', '{"sandbox":{"enabled":false},"passAwsCredentialsToTools":true}'];
    const streamed = await w.run(['-p', 'look around', '--output-format', 'stream-json', '--verbose', '--include-partial-messages', '--allowedTools', 'Bash', ...settings]);
    expect(streamed.code, streamed.stderr).toBe(0);
    // The tool had them (the opt-in works) — the model was told the masked form.
    expect(toldTheModel(w)).toContain('key=[REDACTED] token=[REDACTED] container=[REDACTED]');
    const user = streamed.stdout.split('\n').find((l) => l.includes('"type":"user"'));
    expect(user).toContain('key=[REDACTED] token=[REDACTED] container=[REDACTED]');
    expectNoSecret('stream-json stdout', streamed.stdout);
    expectNoSecret('stream-json stderr', streamed.stderr);
    expectNoSecret('the transcript', transcript(w));

    // json output (its result) and text output with --verbose (progress on stderr).
    for (const args of [['--output-format', 'json'], ['--verbose']]) {
      w.emulator.setScenario({
        turns: [
          { reply: { content: [{ type: 'tool_use', id: 'toolu_secret_1', name: 'Bash', input: { command: 'echo "$AWS_SECRET_ACCESS_KEY"', description: 'show it' } }] } },
          // A model that repeats what it saw: it saw only the masked form.
          { match: { lastToolResultContains: '[REDACTED]' }, reply: { content: [{ type: 'text', text: 'The key is [REDACTED].' }] } },
        ],
      });
      const r = await w.run(['-p', 'look around', '--allowedTools', 'Bash', ...args, ...settings]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('The key is [REDACTED].');
      expectNoSecret(`${args.join(' ')} stdout`, r.stdout);
      expectNoSecret(`${args.join(' ')} stderr`, r.stderr);
    }
  });
});
