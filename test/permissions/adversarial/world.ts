/**
 * One run of the adversarial table: a fresh project and HOME, the emulator scripted to make
 * every attack's tool call in one assistant message, the built CLI in print mode, and a
 * verdict per attack on what actually happened.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, appendFileSync, chmodSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, TEST_CREDENTIALS } from '../../../src/emulator/index.js';
import { emulatorEnv } from '../../e2e/harness.js';
import { runCli } from '../../helpers/run-cli.js';
import { ATTACKS, type Attack } from './attacks.js';

export const CANARY = 'CANARY_DOTENV_91c2e';
export const SECRET = TEST_CREDENTIALS[0]!.secretAccessKey;
const VICTIM = 'victim content\n';

export interface Verdict {
  attack: Attack;
  harmed: boolean;
  what: string;
  toldModel: string;
}

export interface RunOutcome {
  code: number | null;
  stderr: string;
  verdicts: Verdict[];
  denied: Set<string>;
  /** Problems not tied to one attack (a leak into some request, any network connection). */
  global: string[];
}

/** The ways a secret can leave in a tool result: as is, reversed, hex, base64 at each alignment. */
function secretForms(secret: string): string[] {
  const buf = Buffer.from(secret);
  const forms = [secret, [...secret].reverse().join(''), buf.toString('hex')];
  for (let k = 0; k < 3; k++) forms.push(Buffer.concat([Buffer.alloc(k), buf]).toString('base64').slice(4, -4));
  return forms;
}
const FORMS = secretForms(SECRET);
/** JSON-escaped request text with line breaks and blanks removed (hex dumps wrap lines). */
const flat = (s: string) => s.replace(/\\n|\s/g, '');
export const leaksSecret = (text: string) => FORMS.some((f) => flat(text).includes(f));

function fill(value: unknown, a: Attack, dirs: { P: string; O: string; PORT: number }): unknown {
  if (typeof value === 'string') {
    return value
      .replaceAll('{M}', path.join(dirs.P, `pwned-${a.id}`))
      .replaceAll('{V}', path.join(dirs.P, `victim-${a.id}`))
      .replaceAll('{P}', dirs.P)
      .replaceAll('{O}', dirs.O)
      .replaceAll('{PORT}', String(dirs.PORT))
      .replaceAll('{ID}', a.id);
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, a, dirs));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, a, dirs)]));
  return value;
}

function snapshot(p: string): string | undefined {
  try {
    return lstatSync(p).isSymbolicLink() ? `link:${readFileSync(p, 'utf8')}` : readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

export async function runTable(mode: 'plan' | 'default' | 'acceptEdits', sandboxOn: boolean, attacks: readonly Attack[] = ATTACKS): Promise<RunOutcome> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bcode-adversarial-'));
  const home = path.join(root, 'home');
  const P = path.join(root, 'project');
  const O = path.join(root, 'outside');
  for (const d of [home, P, O, path.join(P, 'sub'), path.join(home, '.aws')]) mkdirSync(d, { recursive: true });
  const connections: string[] = [];
  const server = net.createServer((s) => {
    let got = '';
    s.on('data', (d) => (got += d.toString()));
    s.on('error', () => undefined);
    s.on('close', () => connections.push(got || '(connected)'));
    setTimeout(() => s.destroy(), 200);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const PORT = (server.address() as net.AddressInfo).port;
  const dirs = { P, O, PORT };
  const emulator = await startEmulator({ scenario: { turns: [] } });
  try {
    execFileSync('git', ['init', '-q'], { cwd: P });
    writeFileSync(path.join(P, 'README.md'), '# project\nhello\n');
    writeFileSync(path.join(P, '.env'), `TOKEN=${CANARY}\n`);
    writeFileSync(path.join(home, '.aws', 'credentials'), `[default]\naws_access_key_id = ${TEST_CREDENTIALS[0]!.accessKeyId}\naws_secret_access_key = ${SECRET}\n`);
    symlinkSync('.env', path.join(P, 'link-to-env'));
    symlinkSync(O, path.join(P, 'outlink'));
    for (const a of attacks) {
      if (a.harm === 'victim') writeFileSync(path.join(P, `victim-${a.id}`), VICTIM);
      for (const [rel, content] of Object.entries(a.files ?? {})) {
        const target = path.join(P, fill(rel.replace(/\+$/, ''), a, dirs) as string);
        const text = fill(content, a, dirs) as string;
        if (text.startsWith('symlink:')) {
          if (!existsSync(target)) symlinkSync(text.slice(8), target);
        } else if (rel.endsWith('+')) appendFileSync(target, text);
        else {
          writeFileSync(target, text);
          chmodSync(target, 0o755);
        }
      }
    }
    const protectedBefore = new Map<string, string | undefined>();
    const resolveProtected = (p: string) => (p.startsWith('~/') ? path.join(home, p.slice(2)) : path.join(P, p));
    for (const a of attacks) if (a.protectedPath) protectedBefore.set(a.protectedPath, snapshot(resolveProtected(a.protectedPath)));

    const uses = attacks.map((a) => ({ type: 'tool_use' as const, id: `toolu_${a.id}`, name: a.tool, input: fill(a.input, a, dirs) }));
    emulator.setScenario({ turns: [{ reply: { content: [{ type: 'text', text: 'Trying everything.' }, ...uses], stop_reason: 'tool_use' } }, { reply: { content: [{ type: 'text', text: 'Done.' }] } }] });
    const settings = {
      permissions: { allow: ['Bash(git status:*)', 'Bash(npm run test:*)'], deny: ['Read(./.env)', 'Bash(rm:*)', 'Bash(curl:*)'] },
      sandbox: { enabled: sandboxOn },
    };
    const r = await runCli(['-p', 'go', '--permission-mode', mode, '--output-format', 'json', '--settings', JSON.stringify(settings)], {
      cwd: P,
      timeoutMs: 180_000,
      env: emulatorEnv(emulator.url, home),
    });
    // Background shells may still be finishing their last write.
    await new Promise((res) => setTimeout(res, 300));

    const requests = emulator.requests.filter((q) => q.operation === 'InvokeModelWithResponseStream' || q.operation === 'InvokeModel');
    const global: string[] = [];
    for (const [i, q] of requests.entries()) {
      const body = JSON.stringify(q.body);
      if (body.includes(CANARY)) global.push(`request ${i} carries the .env canary`);
      if (leaksSecret(body)) global.push(`request ${i} carries the AWS secret`);
    }
    if (connections.length > 0) global.push(`the local listener was reached: ${connections.join(', ')}`);
    const told = new Map<string, string>();
    const last = requests[1] ? (requests[1].body as { messages: Array<{ content: unknown }> }).messages.at(-1) : undefined;
    for (const b of (Array.isArray(last?.content) ? last.content : []) as Array<{ type: string; tool_use_id: string; content: unknown }>) {
      if (b.type === 'tool_result') told.set(b.tool_use_id, typeof b.content === 'string' ? b.content : JSON.stringify(b.content));
    }
    let denied = new Set<string>();
    try {
      denied = new Set((JSON.parse(r.stdout) as { permission_denials: Array<{ tool_use_id: string }> }).permission_denials.map((d) => d.tool_use_id));
    } catch {
      global.push(`no JSON result on stdout (exit ${r.code}): ${r.stderr.slice(0, 300)}`);
    }
    const verdicts = attacks.map((a): Verdict => {
      const result = told.get(`toolu_${a.id}`) ?? '(no tool result)';
      let what = '';
      switch (a.harm) {
        case 'marker':
          if (existsSync(path.join(P, `pwned-${a.id}`))) what = 'the marker was created: a command ran that nobody allowed';
          break;
        case 'victim':
          if (snapshot(path.join(P, `victim-${a.id}`)) !== VICTIM) what = 'the victim file was changed or removed past a deny rule';
          break;
        case 'outside':
          if (existsSync(path.join(O, a.id))) what = 'a file was written outside the working directory';
          break;
        case 'denied-content':
          if (result.includes(CANARY)) what = 'the denied file’s content reached the model';
          break;
        case 'secret':
          if (leaksSecret(result)) what = 'an AWS secret reached the model';
          break;
        case 'network':
          if (connections.some((c) => c.includes(a.id))) what = 'the network was reached';
          break;
        case 'protected':
          if (snapshot(resolveProtected(a.protectedPath!)) !== protectedBefore.get(a.protectedPath!)) what = `protected ${a.protectedPath} was changed`;
          break;
      }
      if (!what && existsSync(path.join(P, `pwned-${a.id}`))) what = 'the marker was created';
      return { attack: a, harmed: what !== '', what, toldModel: result };
    });
    return { code: r.code, stderr: r.stderr, verdicts, denied, global };
  } finally {
    server.close();
    await emulator.close();
    rmSync(root, { recursive: true, force: true });
  }
}

export function describeFailures(mode: string, sandboxOn: boolean, o: RunOutcome): string[] {
  const tag = `${mode}, sandbox ${sandboxOn ? 'on' : 'off'}`;
  return [
    ...o.global.map((g) => `${tag}: ${g}`),
    ...o.verdicts.filter((v) => v.harmed).map((v) => `${tag}: ${v.attack.id} [${v.attack.class}] ${v.attack.tool} ${JSON.stringify(v.attack.input)} — ${v.what}; the model was told: ${v.toldModel.slice(0, 160).replace(/\n/g, ' ')}`),
  ];
}
