/**
 * Figure 10 (issue 18): what a loopback HTTP proxy costs a request. `-p "say hi"` against the
 * emulator serving TLS (a CA made here with the openssl CLI, trusted through
 * NODE_EXTRA_CA_CERTS), once direct and once through a real CONNECT proxy (the `proxy`
 * package) on 127.0.0.1. Both sides pay for TLS; the difference is the proxy path: loading the
 * proxy agent, the CONNECT round trip, the tunnel.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agentEnv } from './agents.js';
import { firstLine, loadScenario, type AgentContext } from './context.js';
import { na, ratioOf, type Row } from './results.js';
import { runTimed } from './spawn-timed.js';
import { median, nowMs } from './stats.js';

function makeCerts(dir: string): { ca: string; key: string; cert: string } {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=bench CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'ext.cnf']);
  return { ca: path.join(dir, 'ca.pem'), key: readFileSync(path.join(dir, 'server.key'), 'utf8'), cert: readFileSync(path.join(dir, 'server.pem'), 'utf8') };
}

export async function figureProxy(ctx: AgentContext): Promise<Row[]> {
  const o = ctx.options;
  const dir = path.join(tmpdir(), `bcode-bench-proxy-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const closers: Array<() => Promise<void>> = [];
  try {
    let certs: ReturnType<typeof makeCerts>;
    try {
      certs = makeCerts(dir);
    } catch (err) {
      return [na('10', 'first request via loopback proxy', 'ms', `openssl CLI not usable: ${firstLine(String(err))}`)];
    }
    let createProxy: (s: ReturnType<typeof createServer>) => ReturnType<typeof createServer>;
    try {
      ({ createProxy } = (await import('proxy')) as unknown as { createProxy: typeof createProxy });
    } catch {
      return [na('10', 'first request via loopback proxy', 'ms', 'the `proxy` dev dependency is not installed')];
    }
    const handle = await ctx.startEmulator({ authMode: 'lenient', now: nowMs, tls: { key: certs.key, cert: certs.cert } });
    closers.push(() => handle.close());
    const proxy = createProxy(createServer());
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    let connects = 0;
    proxy.on('connect', () => connects++);
    const scenario = loadScenario(ctx.root, 'say-hi-scenario.json', {}, o.latency);
    const samples = { direct: { ttfr: [] as number[], wall: [] as number[] }, proxied: { ttfr: [] as number[], wall: [] as number[] } };
    const once = async (via: 'direct' | 'proxied', measured: boolean): Promise<string | undefined> => {
      handle.setScenario(scenario);
      const mark = handle.requests.length;
      const env = { ...agentEnv(handle.url, ctx.homeOf(ctx.bcode)), NODE_EXTRA_CA_CERTS: certs.ca, ...(via === 'proxied' ? { HTTPS_PROXY: proxyUrl } : {}) };
      const run = await runTimed(ctx.bcode.command, [...ctx.bcode.args, '-p', 'say hi', '--output-format', 'json'], { env, cwd: dir, rss: false, timeoutMs: 60_000 });
      const first = handle.requests[mark];
      if (run.code !== 0 || !first) return `${via}: exit ${run.code ?? run.signal}: ${firstLine(run.stderr || run.stdout)}`;
      if (measured) {
        samples[via].ttfr.push(first.receivedAt - run.startedAt);
        samples[via].wall.push(run.wallMs);
      }
      return undefined;
    };
    for (let i = 0; i < o.warmup + o.runs; i++) {
      // Alternated, so that machine load drifts over both sides alike.
      for (const via of ['direct', 'proxied'] as const) {
        const failure = await once(via, i >= o.warmup);
        if (failure) return [na('10', 'first request via loopback proxy', 'ms', failure)];
      }
    }
    if (connects < o.runs) return [na('10', 'first request via loopback proxy', 'ms', `the proxy saw ${connects} CONNECTs for ${o.runs + o.warmup} proxied runs`)];
    const d = median(samples.direct.ttfr);
    const p = median(samples.proxied.ttfr);
    const dw = median(samples.direct.wall);
    const pw = median(samples.proxied.wall);
    return [
      { figure: '10a', what: 'first request via loopback proxy', unit: 'ms', bcode: p, baselineLabel: 'direct (TLS)', baseline: d, ratio: ratioOf(p, d), samples: { bcode: samples.proxied.ttfr, baseline: samples.direct.ttfr }, note: `spawn → emulator receivedAt over TLS; +${(p - d).toFixed(1)} ms through the proxy (agent load, CONNECT)` },
      { figure: '10b', what: '-p "say hi" wall via loopback proxy', unit: 'ms', bcode: pw, baselineLabel: 'direct (TLS)', baseline: dw, ratio: ratioOf(pw, dw), samples: { bcode: samples.proxied.wall, baseline: samples.direct.wall }, note: `+${(pw - dw).toFixed(1)} ms per run through the proxy` },
    ];
  } finally {
    for (const close of closers.reverse()) await close();
    rmSync(dir, { recursive: true, force: true });
  }
}
