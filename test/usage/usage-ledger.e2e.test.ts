/**
 * B25 and B29 through the built CLI against the emulator: the usage ledger, `bcode usage`, the
 * X-Amzn-Bedrock-Request-Metadata header and the service tier — each on the real request path.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modelRequests, sandbox, type Sandbox } from '../e2e/harness.js';
import { TEST_CREDENTIALS, type Scenario } from '../../src/emulator/index.js';
import type { LedgerEntry } from '../../src/usage/ledger.js';

const TWO_TURNS: Scenario = {
  turns: [
    { reply: { content: [{ type: 'tool_use', name: 'LS', input: { path: '.' } }] } },
    { reply: { content: [{ type: 'text', text: 'the folder is empty' }] } },
  ],
};

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

function ledger(home: string): LedgerEntry[] {
  const file = path.join(home, '.claude', 'bcode', 'usage.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LedgerEntry);
}

describe('usage ledger and bcode usage (B25)', () => {
  it('books every request with the emulator\'s token counts; bcode usage totals equal the json result', async () => {
    sb = await sandbox(TWO_TURNS);
    const r = await sb.run(['-p', 'list the folder', '--output-format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { total_cost_usd: number; session_id: string; usage: { input_tokens: number } };
    const recorded = modelRequests(sb.emulator).map((q) => q.usage!);
    const entries = ledger(sb.home);
    expect(entries).toHaveLength(recorded.length);
    entries.forEach((e, i) => {
      expect({ input: e.input, output: e.output, cacheRead: e.cacheRead, cacheWrite: e.cacheWrite }).toEqual({
        input: recorded[i].input_tokens,
        output: recorded[i].output_tokens,
        cacheRead: recorded[i].cache_read_input_tokens,
        cacheWrite: recorded[i].cache_creation_input_tokens,
      });
      expect(e.session).toBe(result.session_id);
      expect(e.project).toBe('project');
      expect(e.scope).toBe('regional');
      expect(e.priced).toBe(true);
      expect(e.cost.total).toBeCloseTo(e.cost.input + e.cost.output + e.cost.cacheRead + e.cost.cacheWrite, 12);
    });
    // No prompt or answer text in the ledger.
    const raw = readFileSync(path.join(sb.home, '.claude', 'bcode', 'usage.jsonl'), 'utf8');
    expect(raw).not.toContain('list the folder');
    expect(raw).not.toContain('the folder is empty');

    const u = await sb.run(['usage', '--json', '--by', 'session']);
    expect(u.code).toBe(0);
    const summary = JSON.parse(u.stdout) as { total: { requests: number; cost: { total: number }; input: number }; rows: Array<{ key: string }> };
    expect(summary.total.requests).toBe(recorded.length);
    expect(summary.total.cost.total).toBeCloseTo(result.total_cost_usd, 10);
    expect(summary.total.input).toBe(result.usage.input_tokens);
    expect(summary.rows.map((row) => row.key)).toEqual([result.session_id]);

    const table = await sb.run(['usage', '--by', 'model']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/cache read \$/);
    expect(table.stdout).toContain('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(table.stdout).toContain(`$${result.total_cost_usd.toFixed(2)}`);
  });

  it('the pricing setting replaces the table\'s rates for the session and the ledger alike', async () => {
    sb = await sandbox({ turns: [{ reply: { content: [{ type: 'text', text: 'ok' }], output_tokens: 1000 } }] });
    const settings = JSON.stringify({ pricing: { 'claude-sonnet-4-5': { input: 0, output: 1000 } } });
    const r = await sb.run(['-p', 'hi', '--output-format', 'json', '--settings', settings]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { total_cost_usd: number; usage: { output_tokens: number } };
    expect(result.total_cost_usd).toBeCloseTo((result.usage.output_tokens * 1000) / 1e6, 10);
    expect(ledger(sb.home)[0].cost.total).toBeCloseTo(result.total_cost_usd, 10);
  });

  it('bad --since / --by and a bad pricing setting are usage errors (exit 2, hint)', async () => {
    sb = await sandbox({ turns: [] });
    const since = await sb.run(['usage', '--since', 'yesterday']);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/^bcode: --since must be .*\n\s*hint: /);
    const by = await sb.run(['usage', '--by', 'team']);
    expect(by.code).toBe(2);
    const pricing = await sb.run(['-p', 'hi', '--settings', JSON.stringify({ pricing: { x: { input: -1, output: 2 } } })]);
    expect(pricing.code).toBe(2);
    expect(pricing.stderr).toMatch(/pricing/);
    expect(modelRequests(sb.emulator)).toHaveLength(0);
  });
});

describe('request metadata for cost attribution (B25)', () => {
  it('is on every model call when enabled, with the STS caller, the project and the session; absent otherwise', async () => {
    sb = await sandbox(TWO_TURNS, { emulator: { credentials: [{ ...TEST_CREDENTIALS[0], arn: 'arn:aws:sts::444455556666:assumed-role/Dev/alice@example.com' }] } });
    const settings = JSON.stringify({ bedrockRequestMetadata: { user: '${user}', project: '${project}', session: '${session}', team: 'payments' } });
    const r = await sb.run(['-p', 'list', '--output-format', 'json', '--settings', settings], { env: { AWS_ENDPOINT_URL_STS: sb.emulator.url } });
    expect(r.code).toBe(0);
    const sessionId = (JSON.parse(r.stdout) as { session_id: string }).session_id;
    const calls = modelRequests(sb.emulator);
    expect(calls.length).toBe(2);
    for (const c of calls) {
      const header = c.headers['x-amzn-bedrock-request-metadata'];
      expect(header).toBeDefined();
      expect(JSON.parse(header)).toEqual({ user: 'alice@example.com', project: 'project', session: sessionId, team: 'payments' });
      // Signed with the rest: the emulator checked the signature.
      expect(c.auth.ok).toBe(true);
      expect(c.headers.authorization).toMatch(/SignedHeaders=[^,]*x-amzn-bedrock-request-metadata/);
    }
    const sts = sb.emulator.requests.filter((q) => q.operation === 'GetCallerIdentity');
    expect(sts).toHaveLength(1);
    expect(sts[0].auth.ok).toBe(true);
    expect(ledger(sb.home).every((e) => e.user === 'alice@example.com' && e.account === '444455556666')).toBe(true);
    // No secret in what went out.
    expect(JSON.stringify(calls.map((c) => c.headers))).not.toContain(TEST_CREDENTIALS[0].secretAccessKey);
  });

  it('is absent when not configured, and no STS call is made', async () => {
    sb = await sandbox(TWO_TURNS);
    const r = await sb.run(['-p', 'list'], { env: { AWS_ENDPOINT_URL_STS: sb.emulator.url } });
    expect(r.code).toBe(0);
    for (const c of modelRequests(sb.emulator)) expect(c.headers['x-amzn-bedrock-request-metadata']).toBeUndefined();
    expect(sb.emulator.requests.some((q) => q.operation === 'GetCallerIdentity')).toBe(false);
  });

  it('refuses metadata Bedrock would refuse (bad key characters, unknown placeholder) before any request', async () => {
    sb = await sandbox({ turns: [] });
    for (const metadata of [{ 'bad key!': 'x' }, { user: '${nobody}' }]) {
      const r = await sb.run(['-p', 'hi', '--settings', JSON.stringify({ bedrockRequestMetadata: metadata })]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^bcode: settings key bedrockRequestMetadata.*\n\s*hint: /);
    }
    expect(modelRequests(sb.emulator)).toHaveLength(0);
  });
});

describe('service tier (B29)', () => {
  // capabilities.ts lists `default` (and `reserved`) for Claude models, priority and flex for none:
  // AWS's table of Priority/Flex models names no Claude model (SERVICE_TIER_SOURCE).
  const SUB_AGENT: Scenario = {
    turns: [
      { reply: { content: [{ type: 'tool_use', name: 'Task', input: { description: 'look around', prompt: 'list the files' } }] } },
      { reply: { content: [{ type: 'text', text: 'sub-agent: nothing here' }] } },
      { reply: { content: [{ type: 'text', text: 'done' }] } },
    ],
  };
  const notes = (stderr: string): string[] => stderr.split('\n').filter((l) => l.includes('service tier'));

  it('a tier the model offers is sent on every request and the tier Bedrock answered is in the json result and the ledger', async () => {
    sb = await sandbox(TWO_TURNS);
    const r = await sb.run(['-p', 'list', '--output-format', 'json'], { env: { ANTHROPIC_BEDROCK_SERVICE_TIER: 'default' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const calls = modelRequests(sb.emulator);
    expect(calls).toHaveLength(2);
    for (const c of calls) expect(c.headers['x-amzn-bedrock-service-tier']).toBe('default');
    expect((JSON.parse(r.stdout) as { usage: { service_tier?: string } }).usage.service_tier).toBe('default');
    expect(ledger(sb.home).map((e) => e.tier)).toEqual(['default', 'default']);
    const u = await sb.run(['usage']);
    expect(u.stdout).toContain('default×2');
  });

  it('a tier the model lacks is not sent; the user is told once, and stdout stays one json result', async () => {
    sb = await sandbox(TWO_TURNS);
    const r = await sb.run(['-p', 'list', '--output-format', 'json'], { env: { ANTHROPIC_BEDROCK_SERVICE_TIER: 'priority' } });
    expect(r.code).toBe(0);
    const calls = modelRequests(sb.emulator);
    expect(calls).toHaveLength(2);
    for (const c of calls) expect(c.headers['x-amzn-bedrock-service-tier']).toBeUndefined();
    expect(notes(r.stderr)).toEqual([
      'bcode: service tier priority is not offered for Claude Sonnet 4.5 (us.anthropic.claude-sonnet-4-5-20250929-v1:0) as far as AWS documents it; sent without it (BCODE_SERVICE_TIER_FORCE=1 sends it anyway)',
    ]);
    expect((JSON.parse(r.stdout) as { usage: { service_tier?: string } }).usage.service_tier).toBe('standard');
    expect(ledger(sb.home).map((e) => e.tier)).toEqual([undefined, undefined]);
  });

  it('backgroundServiceTier flex on a model without flex: the sub-agent goes without a tier, the interactive turns keep theirs, one note', async () => {
    sb = await sandbox(SUB_AGENT);
    const r = await sb.run(['-p', 'delegate', '--settings', JSON.stringify({ backgroundServiceTier: 'flex' })], { env: { ANTHROPIC_BEDROCK_SERVICE_TIER: 'default' } });
    expect(r.code).toBe(0);
    expect(modelRequests(sb.emulator).map((c) => c.headers['x-amzn-bedrock-service-tier'])).toEqual(['default', undefined, 'default']);
    expect(ledger(sb.home).map((e) => e.tier)).toEqual(['default', undefined, 'default']);
    expect(notes(r.stderr)).toHaveLength(1);
    expect(notes(r.stderr)[0]).toMatch(/^bcode: service tier flex is not offered for Claude Sonnet 4\.5 /);
  });

  it('BCODE_SERVICE_TIER_FORCE=1 sends it anyway, and Bedrock (the emulator) refuses a tier the model lacks with its ValidationException', async () => {
    sb = await sandbox(TWO_TURNS);
    const r = await sb.run(['-p', 'list'], { env: { ANTHROPIC_BEDROCK_SERVICE_TIER: 'flex', BCODE_SERVICE_TIER_FORCE: '1' } });
    expect(r.code).not.toBe(0);
    const calls = modelRequests(sb.emulator);
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(c.headers['x-amzn-bedrock-service-tier']).toBe('flex');
    expect(r.stderr).toMatch(/^bcode: .*service tier 'flex' is not supported for this model/m);
    expect(r.stderr).toMatch(/^\s*hint: /m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an invalid tier is refused before any request (exit 2, hint)', async () => {
    sb = await sandbox({ turns: [] });
    const r = await sb.run(['-p', 'hi'], { env: { ANTHROPIC_BEDROCK_SERVICE_TIER: 'fastest' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bcode: ANTHROPIC_BEDROCK_SERVICE_TIER must be one of default, priority, flex, got 'fastest'\n\s*hint: /);
    expect(modelRequests(sb.emulator)).toHaveLength(0);
  });
});
