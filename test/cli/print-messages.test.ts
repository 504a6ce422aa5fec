import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/emulator/index.js';
import { sandbox, type Sandbox } from '../e2e/harness.js';

// Issue 17 through the built CLI in print mode against the emulator (`npm run build` first).

let box: Sandbox | undefined;
afterEach(async () => {
  await box?.close();
  box = undefined;
});

const tryThings: Scenario = {
  turns: [
    {
      reply: {
        content: [
          { type: 'text', text: 'Fixing it.' },
          { type: 'tool_use', id: 'toolu_w', name: 'Write', input: { file_path: 'src/fix.ts', content: 'export const x = 1;\n' } },
          { type: 'tool_use', id: 'toolu_b', name: 'Bash', input: { command: 'npm test' } },
        ],
        stop_reason: 'tool_use',
      },
    },
    { reply: { content: [{ type: 'text', text: 'I could not do it.' }] } },
  ],
};

describe('print mode: denials end with what would allow them', () => {
  it('text: the last stderr lines name the denied calls and the exact flags', async () => {
    box = await sandbox(tryThings);
    const r = await box.run(['-p', 'fix it']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('I could not do it.\n');
    expect(existsSync(path.join(box.project, 'src', 'fix.ts'))).toBe(false);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.slice(-4)).toEqual([
      'bcode: 2 tool calls were denied (print mode cannot ask for permission):',
      `  Write(src/fix.ts): Write of ${path.join(box.project, 'src', 'fix.ts')} needs approval`,
      expect.stringMatching(/^ {2}Bash\(npm test\): .*needs approval/),
      '  hint: to allow them, run again with --permission-mode acceptEdits --allowedTools "Bash(npm test)" (or add the rules to permissions.allow in .claude/settings.json)',
    ]);
  });

  it('json: the same lines on stderr, after the result on stdout', async () => {
    box = await sandbox(tryThings);
    const r = await box.run(['-p', 'fix it', '--output-format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).permission_denials).toHaveLength(2);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(/^ {2}hint: to allow them, run again with --permission-mode acceptEdits --allowedTools "Bash\(npm test\)"/);
  });

  it('stream-json: the same lines on stderr, stdout stays NDJSON', async () => {
    box = await sandbox(tryThings);
    const r = await box.run(['-p', 'fix it', '--output-format', 'stream-json', '--verbose']);
    expect(r.code).toBe(0);
    for (const line of r.stdout.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(/^ {2}hint: to allow them, run again with --permission-mode acceptEdits --allowedTools "Bash\(npm test\)"/);
  });

  it('the suggested flags do allow them', async () => {
    box = await sandbox(tryThings);
    const r = await box.run(['-p', 'fix it', '--permission-mode', 'acceptEdits', '--allowedTools', 'Bash(npm test:*)']);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(box.project, 'src', 'fix.ts'))).toBe(true);
    expect(r.stderr).not.toContain('denied');
  });

  it('a call a deny rule refused gets no allow flag', async () => {
    box = await sandbox(tryThings);
    const r = await box.run(['-p', 'fix it', '--permission-mode', 'acceptEdits', '--disallowedTools', 'Bash']);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.slice(-3)).toEqual([
      'bcode: 1 tool call was denied (print mode cannot ask for permission):',
      expect.stringMatching(/^ {2}Bash\(npm test\): .*denied by rule/),
      '  hint: a deny rule or the permission mode refused these calls; change that setting if they should run',
    ]);
  });
});

describe('print mode: warnings and start-up messages', () => {
  it('a settings warning has one prefix in print mode too', async () => {
    box = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'hi' }] } }] });
    const r = await box.run(['-p', 'hi', '--settings', '{"permisions":{}}']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("bcode: warning: unknown setting 'permisions' in --settings (kept, but it has no effect); did you mean 'permissions'?\n");
  });

  it('--continue with no earlier session says so, exit 2', async () => {
    box = await sandbox({ turns: [] });
    const r = await box.run(['-p', '--continue', 'go on']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`bcode: no earlier session in ${box.project} to continue\n  hint: run without --continue to start one\n`);
    expect(box.emulator.requests).toHaveLength(0);
  });
});

describe('B23 through the emulator: a Write longer than the default max_tokens', () => {
  it('is cut at 4096 tokens, asked again once with the model full limit (64000), and written whole', async () => {
    const content = `${'const line = "some generated code that makes a long file";\n'.repeat(400)}`;
    box = await sandbox({
      turns: [
        { reply: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: 'big.ts', content } }] }, times: 2 },
        { reply: { content: [{ type: 'text', text: 'Written.' }] } },
      ],
    });
    const r = await box.run(['-p', 'write it', '--permission-mode', 'acceptEdits']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Written.\n');
    expect(readFileSync(path.join(box.project, 'big.ts'), 'utf8')).toBe(content);
    const sent = box.emulator.requests.filter((q) => q.operation === 'InvokeModelWithResponseStream').map((q) => (q.body as { max_tokens: number }).max_tokens);
    expect(sent).toEqual([4096, 64000, 4096]);
    expect(r.stderr).toBe('bcode: the answer reached max_tokens (4096) inside a tool call; asking again with max_tokens 64000 for this turn\n');
  });
});

describe('bcode on the newer models through the emulator', () => {
  it.each(['opus', 'global.anthropic.claude-opus-4-6-v1', 'global.anthropic.claude-sonnet-4-6'])('--model %s', async (model) => {
    box = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'hi' }] } }] });
    const r = await box.run(['-p', 'hi', '--model', model, '--output-format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.result).toBe('hi');
    expect(out.total_cost_usd).toBeGreaterThan(0);
  });
});

describe('Node warnings never reach the terminal', () => {
  it('12 parallel read-only tool calls of each kind: no MaxListenersExceededWarning', async () => {
    const reads = Array.from({ length: 12 }, (_, i) => ({ type: 'tool_use' as const, id: `toolu_r${i}`, name: 'Read', input: { file_path: `f${i % 3}.txt` } }));
    const greps = Array.from({ length: 12 }, (_, i) => ({ type: 'tool_use' as const, id: `toolu_g${i}`, name: 'Grep', input: { pattern: `line${i}` } }));
    const globs = Array.from({ length: 12 }, (_, i) => ({ type: 'tool_use' as const, id: `toolu_l${i}`, name: 'Glob', input: { pattern: `*${i}*` } }));
    const fetches = Array.from({ length: 12 }, (_, i) => ({ type: 'tool_use' as const, id: `toolu_b${i}`, name: 'Bash', input: { command: `cat f${i % 3}.txt` } }));
    box = await sandbox({
      turns: [
        { reply: { content: [...reads, ...greps, ...globs, ...fetches], stop_reason: 'tool_use' } },
        { reply: { content: [{ type: 'text', text: 'Read them all.' }] } },
      ],
    });
    const { writeFileSync } = await import('node:fs');
    for (let i = 0; i < 3; i++) writeFileSync(path.join(box.project, `f${i}.txt`), `line${i}\n`);
    const r = await box.run(['-p', 'read everything']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Read them all.\n');
    expect(r.stderr).not.toMatch(/Warning|MaxListeners/);
  });
});

describe('hints that say what is actually wrong', () => {
  const lines = (s: string) => s.trimEnd().split('\n');

  it('a profile that does not exist: named, with how to list or create profiles, exit 2', async () => {
    box = await sandbox({ turns: [] }, { env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'nope' } });
    const r = await box.run(['-p', 'hi']);
    expect(lines(r.stderr)).toEqual([
      "bcode: AWS profile 'nope' does not exist in ~/.aws/config or ~/.aws/credentials",
      '  hint: check the name in AWS_PROFILE (`aws configure list-profiles` lists them), or create it: `aws configure --profile nope` or `aws configure sso --profile nope`',
    ]);
    expect(r.code).toBe(2);
  });

  it('a key id exported without its secret: says which half is missing, exit 2', async () => {
    box = await sandbox({ turns: [] }, { env: { AWS_SECRET_ACCESS_KEY: '' } });
    const r = await box.run(['-p', 'hi']);
    expect(lines(r.stderr)).toEqual([
      'bcode: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not',
      '  hint: export AWS_SECRET_ACCESS_KEY too (the key id and secret are issued together), or unset AWS_ACCESS_KEY_ID to use AWS_PROFILE or `aws configure`',
    ]);
    expect(r.code).toBe(2);
  });

  it('https:// to a plain-HTTP endpoint: a TLS line, not an OpenSSL one', async () => {
    box = await sandbox({ turns: [] });
    const url = box.emulator.url.replace('http:', 'https:');
    const r = await box.run(['-p', 'hi'], { env: { ANTHROPIC_BEDROCK_BASE_URL: url } });
    expect(lines(r.stderr)).toEqual([
      `bcode: TLS with ${url} failed: the server does not speak TLS (HTTPS) on that port`,
      `  hint: if the gateway serves plain HTTP, use http:// in ANTHROPIC_BEDROCK_BASE_URL (${box.emulator.url}); otherwise check its port`,
    ]);
    expect(r.code).toBe(1);
  });

  it('a gateway path prefix the endpoint does not serve is not an unknown model', async () => {
    box = await sandbox({ turns: [] });
    const url = `${box.emulator.url}/bedrock`;
    const r = await box.run(['-p', 'hi'], { env: { ANTHROPIC_BEDROCK_BASE_URL: url } });
    expect(lines(r.stderr)).toEqual([
      `bcode: ${url} does not serve Bedrock's model API: HTTP 404 (UnknownOperationException) for /model/…/invoke-with-response-stream`,
      '  hint: check the path prefix in ANTHROPIC_BEDROCK_BASE_URL: bcode appends /model/<id>/invoke-with-response-stream to it (e.g. https://gateway.example.com/bedrock, not …/bedrock/model)',
    ]);
    expect(r.code).toBe(1);
  });

  it('credentials still expired after awsCredentialExport ran: the hint does not suggest configuring it', async () => {
    box = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'hi' }] } }] });
    const stale = { accessKeyId: 'ASIASTALEEXPORTED001', secretAccessKey: 'stale/exported/secret/0000000000001', sessionToken: 'stale-exported-session-token-000001' };
    box.emulator.addCredential({ ...stale, expiresAt: Date.now() - 60_000 });
    const json = JSON.stringify({ Credentials: { AccessKeyId: stale.accessKeyId, SecretAccessKey: stale.secretAccessKey, SessionToken: stale.sessionToken } });
    const settings = JSON.stringify({ awsCredentialExport: `echo '${json}'` });
    const r = await box.run(['-p', 'hi', '--settings', settings]);
    const last = lines(r.stderr).slice(-2);
    expect(last[0]).toMatch(/^bcode: AWS credentials expired: .*\(still rejected after refreshing the credentials\)$/);
    expect(last[1]).toBe("  hint: awsCredentialExport ran, and its credentials are still rejected as expired: run the command in a terminal and check the Expiration it prints, and that this computer's clock is right");
    expect(r.stderr).not.toContain(stale.secretAccessKey);
    expect(r.code).toBe(1);
  });
});

describe('--debug', () => {
  const throttledOnce: Scenario = {
    turns: [
      { faults: [{ kind: 'http', errorType: 'ThrottlingException', status: 429, message: 'Too many tokens, please wait before trying again.' }] },
      { reply: { content: [{ type: 'text', text: 'hi' }] } },
    ],
  };
  const SESSION_TOKEN = 'debug-test-session-token-should-never-show-0001';

  it('prints redacted lines: configuration, credential source, endpoint, status, request id, retry decision, timings', async () => {
    box = await sandbox(throttledOnce);
    const cred = { accessKeyId: 'ASIADEBUGTESTKEY0001', secretAccessKey: 'debug/secret/key/never/shown/00000001', sessionToken: SESSION_TOKEN };
    box.emulator.addCredential(cred);
    const r = await box.run(['-p', 'hi', '--debug'], { env: { AWS_ACCESS_KEY_ID: cred.accessKeyId, AWS_SECRET_ACCESS_KEY: cred.secretAccessKey, AWS_SESSION_TOKEN: cred.sessionToken } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('hi\n');
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('bcode debug'));
    const has = (re: RegExp) => expect(lines.some((l) => re.test(l)), `${re}\n${lines.join('\n')}`).toBe(true);
    has(/ config: region us-east-1 \(env:AWS_REGION\); auth sigv4; main us\.anthropic\.claude-sonnet-4-5-20250929-v1:0 via http:\/\/127\.0\.0\.1:\d+; .*max_tokens 4096/);
    has(/ credentials: from environment \(AWS_ACCESS_KEY_ID\) in \d+ ms, key …0001, no expiry$/);
    has(/ http: POST http:\/\/127\.0\.0\.1:\d+\/model\/us\.anthropic\.claude-sonnet-4-5-20250929-v1%3A0\/invoke-with-response-stream \(\d+ bytes, SigV4 for us-east-1\)$/);
    has(/ http: invoke-with-response-stream answered 429 in \d+ ms, request id [0-9a-f-]{36}, ThrottlingException/);
    has(/ retry: .*ThrottledError \(ThrottlingException, HTTP 429, request id [0-9a-f-]{36}\)/);
    has(/ retry: retry 1\/8 in \d+ ms \(rate_limit\)$/);
    has(/ http: invoke-with-response-stream answered 200 in \d+ ms/);
    has(/ run: success: 1 turn, \d+ ms \(API \d+ ms\)/);
    for (const secret of [cred.secretAccessKey, cred.sessionToken, cred.accessKeyId]) expect(r.stderr).not.toContain(secret);
    expect(r.stderr).not.toMatch(/Signature=|Credential=/);
  });

  it('without --debug there is no debug line', async () => {
    box = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'hi' }] } }] });
    const r = await box.run(['-p', 'hi']);
    expect(r.stderr).toBe('');
  });

  it('--debug-file appends the lines to a file, user-only, and keeps stderr clean', async () => {
    box = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'hi' }] } }] });
    const file = path.join(box.home, 'debug.log');
    const r = await box.run(['-p', 'hi', '--debug-file', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const { readFileSync: read, statSync } = await import('node:fs');
    expect(read(file, 'utf8')).toMatch(/bcode debug +\d+ ms http: invoke-with-response-stream answered 200/);
    expect(statSync(file).mode & 0o077).toBe(0);
    const bad = await box.run(['-p', 'hi', '--debug-file', path.join(box.home, 'no', 'such', 'dir', 'x.log')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^bcode: --debug-file: cannot open .*x\.log \(ENOENT\)\n {2}hint: /);
  });
});
