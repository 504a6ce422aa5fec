/**
 * Structured output (`--json-schema`, the Agent SDK's outputFormat json_schema): the model's
 * answer arrives through the StructuredOutput tool, validated against the caller's schema; a
 * plain-text answer gets a reminder, an invalid call an error result, and the result carries
 * `structured_output`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SDKResultMessage } from '@anthropic-ai/claude-agent-sdk';
import type { Scenario } from '../../src/emulator/index.js';
import { lastUserText } from '../../src/emulator/scenario.js';
import { collect, modelRequests, query, sdkSandbox, type SdkSandbox } from '../sdk/harness.js';
import { sandbox, type Sandbox } from './harness.js';

const schema = { type: 'object', properties: { verdict: { type: 'string', enum: ['pass', 'fail'] }, count: { type: 'integer' } }, required: ['verdict', 'count'], additionalProperties: false };
const call = (input: unknown) => ({ reply: { content: [{ type: 'tool_use' as const, name: 'StructuredOutput', input }], stop_reason: 'tool_use' as const } });
const text = (t: string) => ({ reply: { content: [{ type: 'text' as const, text: t }] } });

let sb: Sandbox | undefined;
let sdk: SdkSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  await sdk?.close();
  sb = undefined;
  sdk = undefined;
});

const bodies = (s: { emulator: Sandbox['emulator'] }) => s.emulator.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream').map((r) => r.body as Record<string, unknown>);

describe('--json-schema', () => {
  it('reminds after a text answer, returns an invalid call as an error, ends at the first valid call', async () => {
    const scenario: Scenario = {
      turns: [text('It passed, 3 tests.'), { match: { lastUserTextContains: 'StructuredOutput' }, ...call({ verdict: 'maybe', count: 3 }) }, { match: { lastToolResultContains: 'verdict' }, ...call({ verdict: 'pass', count: 3 }) }],
    };
    sb = await sandbox(scenario);
    const r = await sb.run(['-p', 'did the tests pass?', '--output-format', 'json', '--json-schema', JSON.stringify(schema)]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ subtype: 'success', is_error: false, structured_output: { verdict: 'pass', count: 3 } });
    const sent = bodies(sb);
    expect(sent).toHaveLength(3);
    const tool = (sent[0].tools as Array<{ name: string; input_schema: unknown }>).find((t) => t.name === 'StructuredOutput');
    expect(tool?.input_schema).toEqual(schema);
    expect(JSON.stringify(sent[0].system)).toContain('StructuredOutput');
    expect(lastUserText(sent[1])).toMatch(/must be given by calling the StructuredOutput tool/);
    // The invalid call came back as an error naming the field, and did not end the turn.
    expect(JSON.stringify(sent[2].messages)).toMatch(/Invalid input for StructuredOutput: verdict/);
  }, 60_000);

  it('text mode prints the data; a model that never calls the tool ends with error_max_structured_output_retries', async () => {
    sb = await sandbox({ turns: [call({ verdict: 'fail', count: 0 }), text('one'), text('two'), text('three')] });
    const ok = await sb.run(['-p', 'check', '--json-schema', JSON.stringify(schema)]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ verdict: 'fail', count: 0 });

    const bad = await sb.run(['-p', 'check', '--output-format', 'json', '--json-schema', JSON.stringify(schema)]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ subtype: 'error_max_structured_output_retries', is_error: true });
    expect(bodies(sb)).toHaveLength(1 + 3);
  }, 60_000);

  it('refuses a schema that is not JSON or not an object, before any request', async () => {
    sb = await sandbox({ turns: [] });
    const notJson = await sb.run(['-p', 'x', '--json-schema', '{type:']);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/bcode: --json-schema is not valid JSON/);
    const notObject = await sb.run(['-p', 'x', '--json-schema', '{"type":"string"}']);
    expect(notObject.code).toBe(2);
    expect(notObject.stderr).toMatch(/must describe an object[\s\S]*hint: wrap the value in an object/);
    expect(bodies(sb)).toHaveLength(0);
  }, 60_000);

  it("gives an Agent SDK app's outputFormat answer as structured_output", async () => {
    sdk = await sdkSandbox({ turns: [call({ verdict: 'pass', count: 7 })] });
    const msgs = await collect(query({ prompt: 'check', options: sdk.options({ outputFormat: { type: 'json_schema', schema } }) }));
    const result = msgs.find((m): m is SDKResultMessage => m.type === 'result');
    expect(result).toMatchObject({ subtype: 'success', structured_output: { verdict: 'pass', count: 7 } });
    expect(modelRequests(sdk.emulator)).toHaveLength(1);
  }, 60_000);
});
