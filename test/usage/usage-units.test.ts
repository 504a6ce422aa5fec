import { afterEach, describe, expect, it } from 'vitest';
import { costOf, priceFor, setPriceOverrides } from '../../src/bedrock/prices.js';
import { principalName } from '../../src/bedrock/caller-identity.js';
import { resolveEnterprise, sanitizeMetadataValue } from '../../src/config/enterprise.js';
import { linesChanged } from '../../src/telemetry/monitor.js';
import { parseKeyValues } from '../../src/telemetry/otel.js';
import type { LedgerEntry } from '../../src/usage/ledger.js';
import { remoteName } from '../../src/usage/project.js';
import { parseSince, summarize } from '../../src/usage/report.js';

afterEach(() => setPriceOverrides(undefined));

describe('project names from git remotes', () => {
  it.each([
    ['https://github.com/acme/shop.git', 'acme/shop'],
    ['https://alice:ghp_secret123@github.com/acme/shop.git', 'acme/shop'],
    ['git@github.com:acme/shop.git', 'acme/shop'],
    ['ssh://git@git.example.com:2222/team/acme/shop', 'acme/shop'],
    ['/srv/git/shop.git', 'git/shop'],
  ])('%s → %s', (url, name) => {
    expect(remoteName(url)).toBe(name);
    expect(remoteName(url)).not.toContain('secret');
  });
});

describe('STS principal names', () => {
  it('takes the role session name or the IAM user name', () => {
    expect(principalName('arn:aws:sts::111122223333:assumed-role/Dev/alice@example.com')).toBe('alice@example.com');
    expect(principalName('arn:aws:iam::111122223333:user/bob')).toBe('bob');
    expect(principalName('arn:aws:iam::111122223333:root')).toBe('root');
  });
});

describe('enterprise settings', () => {
  it('service tiers: valid values pass, others are configuration errors', () => {
    expect(resolveEnterprise({ ANTHROPIC_BEDROCK_SERVICE_TIER: 'Flex' }, {}).serviceTier).toBe('flex');
    expect(() => resolveEnterprise({ ANTHROPIC_BEDROCK_SERVICE_TIER: 'reserved' }, {})).toThrow(/must be one of default, priority, flex/);
  });

  it('request metadata: true means user, project, session; limits are enforced', () => {
    expect(resolveEnterprise({}, { bedrockRequestMetadata: true }).requestMetadata).toEqual({ user: '${user}', project: '${project}', session: '${session}' });
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    expect(() => resolveEnterprise({}, { bedrockRequestMetadata: many })).toThrow(/at most 16/);
    expect(() => resolveEnterprise({}, { bedrockRequestMetadata: { ['k'.repeat(257)]: 'v' } })).toThrow(/1–256/);
    expect(() => resolveEnterprise({}, { bedrockRequestMetadata: { team: 'a;b' } })).toThrow(/characters Bedrock refuses/);
    expect(resolveEnterprise({}, { bedrockRequestMetadata: { 'cost center': 'cc-42 ${project}' } }).requestMetadata).toEqual({ 'cost center': 'cc-42 ${project}' });
    expect(sanitizeMetadataValue('ümlaut;"x"'.padEnd(300, 'y'))).toMatch(/^_mlaut__x_y+$/);
    expect(sanitizeMetadataValue('x'.repeat(300))).toHaveLength(256);
  });

  it('OTEL names are checked only when telemetry is on', () => {
    expect(() => resolveEnterprise({ OTEL_LOGS_EXPORTER: 'prometheus' }, {})).not.toThrow();
    expect(() => resolveEnterprise({ CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_LOGS_EXPORTER: 'prometheus' }, {})).toThrow(/OTEL_LOGS_EXPORTER/);
    expect(() => resolveEnterprise({ CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_METRIC_EXPORT_INTERVAL: '10s' }, {})).toThrow(/whole number/);
  });
});

describe('pricing overrides', () => {
  it('replace the table by key or exact id, with explicit cache rates', () => {
    const id = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
    const before = costOf(id, { input_tokens: 1e6, output_tokens: 0 });
    expect(before).toBeCloseTo(3, 10);
    setPriceOverrides({ 'claude-sonnet-4-5': { input: 2, output: 10, cacheRead: 0.5 } });
    expect(priceFor(id)?.override).toBe(true);
    expect(costOf(id, { input_tokens: 1e6, output_tokens: 1e6, cache_read_input_tokens: 1e6, cache_creation_input_tokens: 1e6 })).toBeCloseTo(2 + 10 + 0.5 + 2 * 1.25, 10);
    // Other models keep the table's rates.
    expect(costOf('us.anthropic.claude-haiku-4-5-20251001-v1:0', { input_tokens: 1e6, output_tokens: 0 })).toBeCloseTo(1.1, 10);
    setPriceOverrides({ [id]: { input: 1, output: 1 } });
    expect(costOf(id, { input_tokens: 1e6, output_tokens: 0 })).toBeCloseTo(1, 10);
  });
});

describe('usage summaries', () => {
  const entry = (over: Partial<LedgerEntry>): LedgerEntry => ({
    v: 1,
    ts: '2026-12-01T10:00:00.000Z',
    session: 's1',
    project: 'acme/shop',
    model: 'm',
    scope: 'regional',
    input: 10,
    output: 5,
    cacheRead: 80,
    cacheWrite: 10,
    cost: { input: 1, output: 2, cacheRead: 0.5, cacheWrite: 0.25, total: 3.75 },
    priced: true,
    ...over,
  });

  it('groups, filters by date, splits global and regional and computes the cache share', () => {
    const entries = [entry({}), entry({ ts: '2026-12-02T10:00:00.000Z', scope: 'global', tier: 'flex', session: 's2' }), entry({ ts: '2026-11-01T00:00:00.000Z' })];
    const all = summarize(entries, 'day');
    expect(all.rows.map((r) => r.key)).toEqual(['2026-11-01', '2026-12-01', '2026-12-02']);
    expect(all.total.cost.total).toBeCloseTo(3 * 3.75, 10);
    expect(all.total.cacheShare).toBeCloseTo(80 / 100, 10);
    const recent = summarize(entries, 'session', Date.parse('2026-11-15'));
    expect(recent.total.requests).toBe(2);
    expect(recent.total.globalCost).toBeCloseTo(3.75, 10);
    expect(recent.total.regionalCost).toBeCloseTo(3.75, 10);
    expect(recent.total.tiers).toEqual({ flex: 1 });
  });

  it('--since takes dates and spans', () => {
    const now = Date.parse('2026-12-08T00:00:00Z');
    expect(parseSince('7d', now)).toBe(Date.parse('2026-12-01T00:00:00Z'));
    expect(parseSince('2026-12-01', now)).toBe(Date.parse('2026-12-01'));
    expect(() => parseSince('last week', now)).toThrow(/--since/);
  });
});

describe('telemetry helpers', () => {
  it('counts lines changed by edit tools', () => {
    expect(linesChanged('Edit', { old_string: 'a\nb', new_string: 'a\nb\nc' })).toEqual({ added: 3, removed: 2 });
    expect(linesChanged('MultiEdit', { edits: [{ old_string: 'x', new_string: 'y\nz' }, { old_string: 'p', new_string: '' }] })).toEqual({ added: 2, removed: 2 });
    expect(linesChanged('Write', { content: 'one\ntwo' })).toEqual({ added: 2, removed: 0 });
    expect(linesChanged('Read', {})).toBeUndefined();
  });

  it('parses OTEL key=value lists', () => {
    expect(parseKeyValues('a=1, b=x%20y,bad,=z,c=p=q')).toEqual({ a: '1', b: 'x y', c: 'p=q' });
  });
});
