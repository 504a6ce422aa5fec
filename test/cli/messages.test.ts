import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';

// Issue 17's table: each bad input through the built CLI (`npm run build` first) gets one
// `bcode: <what is wrong>` line, one `  hint: <how to fix it>` line and the right exit code —
// never a stack trace, never a Node warning, never a doubled prefix.

let root: string;
let home: string;
let project: string;
let aFile: string;
let deepSettings: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bcode-messages-'));
  home = join(root, 'home');
  project = join(root, 'project');
  mkdirSync(home);
  mkdirSync(join(project, '.git'), { recursive: true });
  aFile = join(root, 'a-file');
  writeFileSync(aFile, '{}');
  deepSettings = join(root, 'deep.json');
  writeFileSync(deepSettings, `${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}`);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string | undefined> = {}) {
  return runCli(args, { cwd: project, env: { HOME: home, BCODE_MANAGED_SETTINGS_DIR: join(root, 'no-managed'), AWS_REGION: 'us-east-1', ...env } });
}

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string | undefined>;
  /** The whole of stderr: the message line, then the hint line. */
  message: string | RegExp;
  hint: string | RegExp;
  code: number;
}

const CASES: Case[] = [
  { name: 'unknown option', args: ['--bogus'], message: "bcode: unknown option '--bogus'", hint: 'bcode --help lists every option and subcommand', code: 2 },
  { name: 'mistyped option', args: ['--permision-mode', 'plan', '-p', 'x'], message: "bcode: unknown option '--permision-mode'", hint: 'did you mean --permission-mode? (bcode --help lists every option)', code: 2 },
  { name: '--max-turns 1e3', args: ['-p', 'x', '--max-turns', '1e3'], message: "bcode: --max-turns must be a whole number ≥ 1, got '1e3'", hint: 'e.g. --max-turns 10', code: 2 },
  { name: '--max-turns 0x10', args: ['-p', 'x', '--max-turns', '0x10'], message: "bcode: --max-turns must be a whole number ≥ 1, got '0x10'", hint: 'e.g. --max-turns 10', code: 2 },
  { name: 'model alias typo', args: ['--print-config', '--model', 'sonet'], message: "bcode: --model: 'sonet' is not a model alias; did you mean 'sonnet'?", hint: 'use sonnet (the aliases are haiku, sonnet, opus)', code: 2 },
  { name: 'region typo', args: ['--print-config'], env: { AWS_REGION: 'us-east-11' }, message: "bcode: AWS_REGION 'us-east-11' is not an AWS region; did you mean us-east-1?", hint: 'export AWS_REGION=us-east-1', code: 2 },
  {
    name: 'multi-line region is shown on one line',
    args: ['--print-config'],
    env: { AWS_REGION: 'us-east-1\nfoo' },
    message: "bcode: AWS_REGION must be an AWS region such as us-east-1, got 'us-east-1\\nfoo'",
    hint: 'e.g. export AWS_REGION=us-east-1',
    code: 2,
  },
  {
    name: 'a 10,000-character region is cut',
    args: ['--print-config'],
    env: { AWS_REGION: 'x'.repeat(10_000) },
    message: /^bcode: AWS_REGION must be an AWS region such as us-east-1, got 'x{59}… \(10000 characters\)'$/,
    hint: 'e.g. export AWS_REGION=us-east-1',
    code: 2,
  },
  { name: 'chain timeout abc', args: ['--print-config'], env: { CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS: 'abc' }, message: "bcode: CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS must be a whole number from 1 to 2147483647, got 'abc'", hint: 'e.g. export CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS=60000', code: 2 },
  { name: 'chain timeout -1', args: ['--print-config'], env: { CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS: '-1' }, message: /got '-1'$/, hint: 'e.g. export CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS=60000', code: 2 },
  { name: 'chain timeout 0', args: ['--print-config'], env: { CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS: '0' }, message: /got '0'$/, hint: 'e.g. export CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS=60000', code: 2 },
  { name: 'skip cred cache maybe', args: ['--print-config'], env: { CLAUDE_CODE_SKIP_AWS_CRED_CACHE: 'maybe' }, message: "bcode: CLAUDE_CODE_SKIP_AWS_CRED_CACHE must be 1 or 0 (or true/false, yes/no), got 'maybe'", hint: 'e.g. export CLAUDE_CODE_SKIP_AWS_CRED_CACHE=1', code: 2 },
  { name: 'API_TIMEOUT_MS beyond a timer', args: ['--print-config'], env: { API_TIMEOUT_MS: '99999999999' }, message: "bcode: API_TIMEOUT_MS must be a whole number from 1 to 2147483647, got '99999999999'", hint: 'e.g. export API_TIMEOUT_MS=600000', code: 2 },
  {
    name: 'a settings timeout beyond what a timer holds',
    args: ['--print-config', '--settings', '{"awsCredentialExportTimeoutMs": 99999999999}'],
    message: 'bcode: --settings: awsCredentialExportTimeoutMs must be a positive whole number of milliseconds, at most 2147483647 (about 24.8 days), found 99999999999',
    hint: 'fix awsCredentialExportTimeoutMs in the --settings JSON (e.g. "awsCredentialExportTimeoutMs": 300000)',
    code: 2,
  },
  {
    name: 'settings type error has a hint',
    args: ['--print-config', '--settings', '{"permissions":{"allow":"Read"}}'],
    message: 'bcode: --settings: permissions.allow must be an array of strings, found a string',
    hint: 'fix permissions.allow in the --settings JSON (e.g. "allow": ["Bash(npm test:*)"])',
    code: 2,
  },
  {
    name: 'defaultMode has a hint',
    args: ['--print-config', '--settings', '{"permissions":{"defaultMode":"auto"}}'],
    message: "bcode: --settings: permissions.defaultMode must be one of default, acceptEdits, plan, bypassPermissions, found 'auto'",
    hint: 'fix permissions.defaultMode in the --settings JSON (e.g. "defaultMode": "default")',
    code: 2,
  },
  {
    name: 'control characters in custom headers have a hint',
    args: ['--print-config'],
    env: { ANTHROPIC_CUSTOM_HEADERS: 'X-Amzn-Bedrock-GuardrailVersion: 1\u0001' },
    message: 'bcode: ANTHROPIC_CUSTOM_HEADERS line 1: the value of X-Amzn-Bedrock-GuardrailVersion contains control characters',
    hint: /^remove the control characters/,
    code: 2,
  },
  {
    name: 'CLAUDE_CONFIG_DIR is a file',
    args: ['-p', 'hi'],
    env: { CLAUDE_CONFIG_DIR: '$FILE' },
    message: /^bcode: CLAUDE_CONFIG_DIR \(.*a-file\) is a file, not a directory$/,
    hint: 'point CLAUDE_CONFIG_DIR at a directory (it is created if missing), or unset it to use ~/.claude',
    code: 2,
  },
  {
    name: 'CLAUDE_CONFIG_DIR under a file (ENOTDIR)',
    args: ['-p', 'hi'],
    env: { CLAUDE_CONFIG_DIR: '$FILE/sub' },
    message: /^bcode: CLAUDE_CONFIG_DIR \(.*a-file\/sub\) is not a directory: part of its path is a file$/,
    hint: /^point CLAUDE_CONFIG_DIR at a directory/,
    code: 2,
  },
  {
    name: 'settings nested 200,000 levels',
    args: ['--print-config', '--settings', '$DEEP'],
    message: /^bcode: .*deep\.json: is nested more than 100 levels deep$/,
    hint: 'settings are only a few levels deep; check that this is the settings file you meant',
    code: 2,
  },
];

describe('issue 17: one message line, one hint line, the right exit code', () => {
  it.each(CASES)('$name', async (c) => {
    const fill = (s: string) => s.replace('$FILE', aFile).replace('$DEEP', deepSettings);
    const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, v === undefined ? v : fill(v)]));
    const r = await run(c.args.map(fill), env);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(2);
    if (typeof c.message === 'string') expect(lines[0]).toBe(c.message);
    else expect(lines[0]).toMatch(c.message);
    expect(lines[1].startsWith('  hint: '), lines[1]).toBe(true);
    const hint = lines[1].slice('  hint: '.length);
    if (typeof c.hint === 'string') expect(hint).toBe(c.hint);
    else expect(hint).toMatch(c.hint);
    expect(r.code).toBe(c.code);
    expect(r.stdout).toBe('');
  });
});

describe('issue 17: warnings', () => {
  it('a settings warning has one prefix and suggests the key meant', async () => {
    const r = await run(['--print-config', '--settings', '{"permisions":{"allow":[]},"permissions":{"alow":[]}}']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      "bcode: warning: unknown setting 'permisions' in --settings (kept, but it has no effect); did you mean 'permissions'?\n" +
        "bcode: warning: unknown setting 'permissions.alow' in --settings (kept, but it has no effect); did you mean 'permissions.allow'?\n",
    );
  });
});

describe('issue 17: bcode -p with no prompt in a terminal', () => {
  const hasScript = existsSync('/usr/bin/script');
  it.skipIf(!hasScript)('says what to do instead, before asking for any configuration, exit 2', async () => {
    // `script` gives the CLI a terminal as stdin; no AWS_REGION either: that is not the problem to report.
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('/usr/bin/script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI_PATH)} -p`, '/dev/null'], { cwd: project, env: { PATH: process.env.PATH, HOME: home, TERM: 'dumb' } });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.on('close', (code) => resolve({ code, out }));
      child.stdin.end();
    });
    expect(r.out.replace(/\r/g, '').trimEnd().split('\n')).toEqual([
      'bcode: no prompt given',
      '  hint: give the task as an argument (bcode -p "fix the failing test") or pipe it in (echo "fix the failing test" | bcode -p)',
    ]);
    expect(r.code).toBe(2);
  });
});
