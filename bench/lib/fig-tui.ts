/**
 * Figure 9: the terminal UI, in a pseudo-terminal (node-pty, screen decoded by xterm headless),
 * for bcode and, with --peer, the peer in the same terminal size against the same emulator.
 * - 9a time from spawn to an input box that takes keys: a key sent at spawn (the terminal keeps
 *   it) shows after the UI's prompt sign once the UI reads input (bcode's early box, drawn by the
 *   launcher before the UI's bundle loads, counts: what it takes reaches the UI); noted beside it,
 *   bcode's full UI (its status line drawn) and the floor, a bare Node process in the same
 *   terminal drawing a prompt and echoing a key;
 * - 9b/9c keystroke-to-echo latency p50 and p99, on an empty session and on a resumed session of
 *   1,000 messages (bcode only: the peer's transcript format is its own);
 * - 9d bytes written to the terminal per streamed output token (the emulator's token count);
 * - 9e RSS after the 1,000-message session has answered one more prompt;
 * - 9f idle CPU over two seconds with nothing streaming and nobody typing.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawn, type IPty } from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { TranscriptWriter, transcriptPath } from '../../src/session/transcript.js';
import { agentEnv, type Agent } from './agents.js';
import type { AgentContext } from './context.js';
import { na, ratioOf, type Row } from './results.js';
import { median, nowMs } from './stats.js';

const COLS = 100;
const ROWS = 30;
const KEYS = 40;

class Pty {
  readonly pty: IPty;
  readonly term = new xterm.Terminal({ cols: COLS, rows: ROWS, scrollback: 10_000, allowProposedApi: true });
  bytes = 0;
  /** ESC[2J / ESC[3J written (full-screen or scrollback erases). */
  clears = 0;
  /** Synchronized-output frames begun (ESC[?2026h). */
  frames = 0;
  exited = false;
  private pending = Promise.resolve();

  constructor(agent: Agent, args: string[], cwd: string, env: Record<string, string>) {
    this.pty = spawn(agent.command, [...agent.args, ...args], { name: 'xterm-256color', cols: COLS, rows: ROWS, cwd, env: { ...env, TERM: 'xterm-256color' } });
    this.pty.onData((d) => {
      this.bytes += Buffer.byteLength(d);
      // eslint-disable-next-line no-control-regex -- the escape character is what is counted
      this.clears += (d.match(/\x1b\[[23]J/g) ?? []).length;
      // eslint-disable-next-line no-control-regex -- the escape character is what is counted
      this.frames += (d.match(/\x1b\[\?2026h/g) ?? []).length;
      this.pending = this.pending.then(() => new Promise<void>((resolve) => this.term.write(d, resolve)));
    });
    this.pty.onExit(() => (this.exited = true));
  }

  screen(): string {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < this.term.rows; i++) out.push(b.getLine(b.viewportY + i)?.translateToString(true) ?? '');
    return out.join('\n');
  }

  /** Polls the decoded screen every millisecond (latency is measured on it). */
  async until(test: (screen: string) => boolean, timeoutMs = 30_000): Promise<number> {
    const deadline = nowMs() + timeoutMs;
    for (;;) {
      await this.pending;
      if (test(this.screen())) return nowMs();
      if (this.exited) throw new Error(`exited; screen:\n${this.screen()}`);
      if (nowMs() > deadline) throw new Error(`timed out; screen:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  rssMb(): number | null {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pty.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : null;
    } catch {
      return null;
    }
  }

  cpuTicks(): number | null {
    try {
      const fields = readFileSync(`/proc/${this.pty.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return null;
    }
  }

  kill(): void {
    if (!this.exited) this.pty.kill('SIGKILL');
  }
}

/** Types `KEYS` letters one at a time, each after the previous one showed; ms per echo. */
async function keystrokes(p: Pty): Promise<number[]> {
  const out: number[] = [];
  let typed = '';
  for (let i = 0; i < KEYS; i++) {
    const ch = String.fromCharCode(97 + (i % 26));
    typed += ch;
    const sent = nowMs();
    p.pty.write(ch);
    const want = typed.slice(-12);
    out.push((await p.until((s) => s.includes(want))) - sent);
  }
  // Leave an empty input for what comes next (best effort: what follows does not depend on it).
  // One key at a time: keys written together arrive as one chunk, which a UI reads as a paste.
  for (let i = 0; i < KEYS; i++) {
    p.pty.write('\x7f');
    await new Promise((r) => setTimeout(r, 3));
  }
  await p.until((s) => !s.includes(typed.slice(-12)), 5_000).catch(() => undefined);
  return out;
}

function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** A transcript of `n` alternating messages for `cwd`, as a long session leaves behind. */
function longSession(env: Record<string, string>, cwd: string, n: number): void {
  const id = '00000000-0000-4000-8000-000000001000';
  const w = new TranscriptWriter(transcriptPath(env, cwd, id), id, cwd);
  for (let i = 0; i < n; i++) {
    const text = i % 2 === 0 ? `question ${i}: what does module ${i} do?` : `Module ${i} parses the input, checks it and hands it on.\n\n- it keeps state in one map\n- errors carry a hint`;
    w.append({ role: i % 2 === 0 ? 'user' : 'assistant', content: [{ type: 'text', text }] });
  }
  void w.close();
}

interface AgentFigures {
  ready?: number;
  /** bcode: spawn to the full UI (the status line drawn, the session engine loading behind it). */
  fullUi?: number;
  keysEmpty?: number[];
  keysLong?: number[];
  bytesPerToken?: number;
  /** Synchronized frames written while the 9d answer streamed. */
  streamFrames?: number;
  rssLong?: number | null;
  idleCpu?: number | null;
  /** Full-screen clears while typing and streaming (9a–9d). */
  clears?: number;
  error?: string;
}

async function measure(ctx: AgentContext, agent: Agent, withLong: boolean): Promise<AgentFigures> {
  const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
  const answer = `## Plan\n\nThe change touches **three** files:\n\n${words}\n\n\`\`\`ts\nconst x = 1;\n\`\`\`\n\nDONE-MARK`;
  const outputTokens = 1000;
  const em = await ctx.startEmulator({
    scenario: {
      // The peer sends side requests of its own (e.g. a small-model call) before the answer: it
      // gets the scripted answer to every request (it does no long-session part).
      turns:
        agent.label === 'peer'
          ? Array.from({ length: 6 }, () => ({ reply: { content: [{ type: 'text' as const, text: answer }], output_tokens: outputTokens, chunkChars: 12 }, faults: [{ kind: 'delay' as const, betweenChunksMs: 2 }] }))
          : [
              { reply: { content: [{ type: 'text', text: answer }], output_tokens: outputTokens, chunkChars: 12 }, faults: [{ kind: 'delay', betweenChunksMs: 2 }] },
              { reply: { content: [{ type: 'text', text: 'LONG-DONE' }] } },
            ],
    },
  });
  const home = path.join(ctx.homeOf(agent), 'tui');
  const cwd = path.join(home, 'project');
  mkdirSync(path.join(cwd, '.git'), { recursive: true });
  // No background title request: the scenario scripts exactly the calls it answers.
  // Its own TMPDIR: the scratch dirs of the killed UIs go with the bench's home.
  mkdirSync(path.join(home, 'tmp'), { recursive: true });
  const env = { ...agentEnv(em.url, home), DISABLE_NON_ESSENTIAL_MODEL_CALLS: '1', TMPDIR: path.join(home, 'tmp') };
  if (agent.label === 'peer') configuredPeerHome(home, cwd);
  const out: AgentFigures = {};
  let p: Pty | undefined;
  try {
    // 9a: a key typed at once appears when the input box reads it.
    const start = nowMs();
    p = new Pty(agent, [], cwd, env);
    p.pty.write('Q');
    // The terminal itself echoes the key until the UI switches it to raw mode: only the UI's own
    // drawing of it after its prompt sign counts.
    out.ready = (await p.until((s) => /[>❯]\s*Q/.test(s))) - start;
    if (agent.label === 'bcode') out.fullUi = (await p.until((s) => /[>❯]\s*Q/.test(s) && s.includes('us-east-1'))) - start;
    p.pty.write('\x7f');
    await p.until((s) => !/[>❯]\s*Q/.test(s));
    out.keysEmpty = await keystrokes(p);

    // 9d: one streamed answer; every byte written while it streams, per output token.
    const before = p.bytes;
    const framesBefore = p.frames;
    p.pty.write('explain the plan');
    await p.until((s) => s.includes('explain the plan'));
    p.pty.write('\r');
    await p.until((s) => s.includes('DONE-MARK'));
    // Let the last frame land.
    await new Promise((r) => setTimeout(r, 300));
    out.bytesPerToken = (p.bytes - before) / outputTokens;
    out.streamFrames = p.frames - framesBefore;
    out.clears = p.clears;

    // 9f: idle.
    const t0 = p.cpuTicks();
    await new Promise((r) => setTimeout(r, 2000));
    const t1 = p.cpuTicks();
    out.idleCpu = t0 !== null && t1 !== null ? ((t1 - t0) / 100 / 2) * 100 : null;
    p.kill();

    if (withLong) {
      // 9c/9e: the same on a resumed 1,000-message session.
      longSession(env, cwd, 1000);
      p = new Pty(agent, ['-c'], cwd, env);
      p.pty.write('Q');
      await p.until((s) => /[>❯]\s*Q/.test(s));
      // bcode's early box echoes keys before the session is loaded: 9c is typing into the loaded
      // 1,000 messages, so wait for the last of them and the full UI's status line (as 9b waits for the latter).
      if (agent.label === 'bcode') await p.until((s) => s.includes('Module 999') && s.includes('us-east-1'));
      p.pty.write('\x7f');
      await p.until((s) => !/[>❯]\s*Q/.test(s));
      out.keysLong = await keystrokes(p);
      p.pty.write('one more');
      await p.until((s) => s.includes('one more'));
      p.pty.write('\r');
      await p.until((s) => s.includes('LONG-DONE'));
      out.rssLong = p.rssMb();
    }
  } catch (err) {
    out.error = err instanceof Error ? err.message : String(err);
  } finally {
    p?.kill();
    await em.close();
  }
  return out;
}

/**
 * The peer as a user who has used it before finds it: its documented ~/.claude.json keys say the
 * first-run onboarding (theme choice) is done and this folder's trust dialog was accepted, so it
 * opens straight on its input box, as bcode does.
 */
function configuredPeerHome(home: string, cwd: string): void {
  const state = { hasCompletedOnboarding: true, theme: 'dark', projects: { [cwd]: { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true } } };
  writeFileSync(path.join(home, '.claude.json'), JSON.stringify(state, null, 2));
}

/** A row with one more note (after any it has). */
function withNote(r: Row, note: string): Row {
  return { ...r, note: r.note ? `${r.note}; ${note}` : note };
}

/**
 * The floor of 9a on this machine now: a bare Node process in the same terminal that switches to
 * raw mode, draws a prompt and echoes a key (no agent can draw its box sooner).
 */
async function nodeFloor(cwd: string, env: Record<string, string>): Promise<number> {
  const script = "process.stdin.setRawMode(true);process.stdout.write('> ');process.stdin.on('data',(d)=>process.stdout.write(d.toString()));setTimeout(()=>process.exit(0),5000);";
  const start = nowMs();
  const p = new Pty({ label: 'bcode', command: process.execPath, args: ['-e', script] }, [], cwd, env);
  p.pty.write('Q');
  try {
    return (await p.until((s) => /[>❯]\s*Q/.test(s), 10_000)) - start;
  } finally {
    p.kill();
  }
}

export async function figureTui(ctx: AgentContext): Promise<Row[]> {
  const runs = Math.max(1, Math.min(ctx.options.runs, 3));
  const b: AgentFigures[] = [];
  const q: AgentFigures[] = [];
  const floors: number[] = [];
  for (let i = 0; i < runs; i++) {
    const floorDir = path.join(ctx.homeOf(ctx.bcode), 'tui-floor');
    mkdirSync(floorDir, { recursive: true });
    floors.push(await nodeFloor(floorDir, { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: floorDir, LANG: 'C.UTF-8' }));
    b.push(await measure(ctx, ctx.bcode, true));
    if (ctx.peer) q.push(await measure(ctx, ctx.peer, false));
  }
  const failed = b.find((f) => f.error);
  if (failed) return [na('9', 'terminal UI', '', `bcode's UI run failed: ${failed.error}`)];
  const peerFailed = q.find((f) => f.error)?.error;
  const pick = (xs: AgentFigures[], f: (x: AgentFigures) => number | null | undefined) => {
    const v = xs.map(f).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    return v.length ? median(v) : null;
  };
  const row = (figure: string, what: string, unit: string, f: (x: AgentFigures) => number | null | undefined, target: string, ok: (v: number, peer: number | null) => boolean | null, peerToo = true): Row => {
    const v = pick(b, f);
    const peer = ctx.peer && peerToo ? (peerFailed ? null : pick(q, f)) : undefined;
    return {
      figure,
      what,
      unit,
      bcode: v,
      ...(peer !== undefined ? { baselineLabel: 'peer', baseline: peer, ratio: ratioOf(v, peer) } : {}),
      target,
      met: v === null ? null : ok(v, peer ?? null),
      ...(peerFailed && peerToo ? { note: `peer: ${peerFailed}` } : {}),
    };
  };
  const all = (k: 'keysEmpty' | 'keysLong') => b.flatMap((x) => x[k] ?? []);
  const p50e = percentile(all('keysEmpty'), 0.5);
  const p99e = percentile(all('keysEmpty'), 0.99);
  const p50l = percentile(all('keysLong'), 0.5);
  const p99l = percentile(all('keysLong'), 0.99);
  return [
    {
      ...row('9a', 'UI: spawn to an input box that takes keys', 'ms', (x) => x.ready, '≤ 200 ms', (v) => v <= 200),
      note: [`full UI (status line) ${pick(b, (x) => x.fullUi)?.toFixed(0) ?? '–'} ms`, `bare Node prompt here ${median(floors).toFixed(0)} ms`, ...(peerFailed ? [`peer: ${peerFailed}`] : [])].join('; '),
    },
    { figure: '9b', what: 'UI: keystroke echo p50 / p99, empty session', unit: 'ms', bcode: p50e, note: `p99 ${p99e.toFixed(1)} ms over ${all('keysEmpty').length} keys`, target: 'p50 ≤ 8, p99 ≤ 25', met: p50e <= 8 && p99e <= 25 },
    { figure: '9c', what: 'UI: keystroke echo p50 / p99, 1,000-message session', unit: 'ms', bcode: p50l, note: `p99 ${p99l.toFixed(1)} ms over ${all('keysLong').length} keys`, target: 'same as empty', met: p50l <= Math.max(8, p50e * 1.25) && p99l <= 25 },
    withNote(
      row('9d', 'UI: bytes to the terminal per streamed token', 'B', (x) => x.bytesPerToken, '≤ 0.5× peer', (v, peer) => (peer === null ? null : v <= 0.5 * peer)),
      // Frames cost bytes of their own (synchronized output, cursor moves): their count explains much of the figure.
      `synchronized frames while it streamed: bcode ${pick(b, (x) => x.streamFrames) ?? 'n/a'}${ctx.peer ? `, peer ${pick(q, (x) => x.streamFrames) ?? 'n/a'}` : ''}`,
    ),
    row('9e', 'UI: RSS after a 1,000-message session', 'MB', (x) => x.rssLong, '≤ 150 MB', (v) => v <= 150, false),
    row('9f', 'UI: idle CPU', '%', (x) => x.idleCpu, '≈ 0', (v) => v < 1),
    row('9g', 'UI: full-screen clears while typing and streaming', 'count', (x) => x.clears, '0', (v) => v === 0),
  ];
}
