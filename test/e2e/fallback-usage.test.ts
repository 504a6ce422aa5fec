/**
 * B24 + A10 + B25: usage on a fallback model is counted, and priced, under the id that answered —
 * in the json result's `modelUsage`, in the usage ledger (`bcode usage`) — through the built CLI.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { costOf } from '../../src/bedrock/prices.js';
import { MODEL, modelRequests, REPO, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const fastSleep = { NODE_OPTIONS: `--import=${path.join(REPO, 'test', 'helpers', 'fast-retry-sleep.mjs')}` };
// Another model with another price: a count under the wrong id cannot give the right dollars.
const FALLBACK = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

describe('usage on a fallback model', () => {
  it('json modelUsage, its price and the ledger name the fallback that answered, not the main model', async () => {
    sb = await sandbox({ unavailable: [{ modelId: MODEL }], turns: [{ match: { modelId: FALLBACK }, reply: { content: [{ type: 'text', text: 'answered by the fallback' }], output_tokens: 321 } }] });
    const r = await sb.run(['-p', 'hi', '--fallback-model', FALLBACK, '--output-format', 'json'], { env: fastSleep });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { result: string; total_cost_usd: number; modelUsage: Record<string, { inputTokens: number; outputTokens: number; cacheReadInputTokens: number; cacheCreationInputTokens: number; costUSD: number }> };
    expect(result.result).toBe('answered by the fallback');

    const answered = modelRequests(sb.emulator).filter((q) => q.status === 200);
    expect(answered.map((q) => q.modelId)).toEqual([FALLBACK]);
    const u = answered[0].usage!;
    expect(Object.keys(result.modelUsage)).toEqual([FALLBACK]);
    const m = result.modelUsage[FALLBACK];
    expect(m).toMatchObject({ inputTokens: u.input_tokens, outputTokens: 321, cacheReadInputTokens: u.cache_read_input_tokens, cacheCreationInputTokens: u.cache_creation_input_tokens });
    const expected = costOf(FALLBACK, u);
    expect(expected).toBeGreaterThan(0);
    expect(costOf(MODEL, u)).not.toBeCloseTo(expected, 8);
    expect(m.costUSD).toBeCloseTo(expected, 10);
    expect(result.total_cost_usd).toBeCloseTo(expected, 10);

    // The ledger, read back by `bcode usage`, has the one request under the fallback's id.
    const usage = await sb.run(['usage', '--by', 'model', '--json']);
    expect(usage.code).toBe(0);
    const rows = (JSON.parse(usage.stdout) as { rows: Array<{ key: string; requests: number; input: number; output: number; cost: number }> }).rows;
    expect(rows.map((row) => row.key)).toEqual([FALLBACK]);
    expect(rows[0]).toMatchObject({ requests: 1, output: 321 });
  });
});
