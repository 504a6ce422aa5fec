/**
 * `--max-budget-usd`: no request goes out once the session's estimated cost reached the budget;
 * print mode says so with a hint and exits 1, json/stream-json carry `error_max_budget_usd`,
 * and an Agent SDK app's `maxBudgetUsd` ends its query the same way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SDKResultMessage } from '@anthropic-ai/claude-agent-sdk';
import type { Scenario } from '../../src/emulator/index.js';
import { collect, modelRequests, query, sdkSandbox, type SdkSandbox } from '../sdk/harness.js';
import { sandbox, type Sandbox } from './harness.js';

const toolTurn = (n: number) => ({ reply: { content: [{ type: 'tool_use' as const, name: 'LS', input: { path: '.' } }], stop_reason: 'tool_use' as const, output_tokens: 2000 + n } });
const scenario: Scenario = { turns: [toolTurn(1), toolTurn(2), toolTurn(3), { reply: { content: [{ type: 'text', text: 'all done' }] } }] };

let sb: Sandbox | undefined;
let sdk: SdkSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  await sdk?.close();
  sb = undefined;
  sdk = undefined;
});

const calls = (s: { emulator: Sandbox['emulator'] }) => s.emulator.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream').length;

describe('--max-budget-usd', () => {
  it('stops before the request that would go over, with a one-line reason, a hint and exit 1', async () => {
    sb = await sandbox(scenario);
    // One request of 2,000 output tokens on Sonnet 4.5 costs about $0.03: the budget ends the run after the first.
    const r = await sb.run(['-p', 'list things', '--max-budget-usd', '0.01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bcode: stopped: the session cost \$0\.0\d+ reached --max-budget-usd/);
    expect(r.stderr).toMatch(/hint: raise --max-budget-usd/);
    expect(calls(sb)).toBe(1);

    const json = await sb.run(['-p', 'list things', '--output-format', 'json', '--max-budget-usd', '0.05']);
    const result = JSON.parse(json.stdout) as { subtype: string; is_error: boolean; total_cost_usd: number };
    expect(result).toMatchObject({ subtype: 'error_max_budget_usd', is_error: true });
    expect(result.total_cost_usd).toBeGreaterThanOrEqual(0.05);
    expect(calls(sb)).toBe(1 + 2);

    // A budget that is not reached changes nothing.
    const ok = await sb.run(['-p', 'list things', '--max-budget-usd', '5']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('all done');
  }, 60_000);

  it('refuses a value that is not an amount', async () => {
    sb = await sandbox({ turns: [] });
    for (const bad of ['0', '-1', 'ten', '1e3']) {
      const r = await sb.run(['-p', 'x', '--max-budget-usd', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--max-budget-usd must be an amount of dollars above 0/);
      expect(r.stderr).toMatch(/hint: e\.g\. --max-budget-usd 0\.50/);
    }
    expect(calls(sb)).toBe(0);
  }, 60_000);

  it("ends an Agent SDK app's query with error_max_budget_usd (maxBudgetUsd)", async () => {
    sdk = await sdkSandbox(scenario);
    const msgs = await collect(query({ prompt: 'list things', options: sdk.options({ maxBudgetUsd: 0.01 }) }));
    const result = msgs.find((m): m is SDKResultMessage => m.type === 'result');
    expect(result).toMatchObject({ subtype: 'error_max_budget_usd', is_error: true });
    expect(modelRequests(sdk.emulator)).toHaveLength(1);
  }, 60_000);
});
