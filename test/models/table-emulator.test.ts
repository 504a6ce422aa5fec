import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp.js';
import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { createProvider } from '../../src/bedrock/provider.js';
import type { MessagesRequest, TextBlock, ToolSpec } from '../../src/bedrock/anthropic.js';
import { buildRequest } from '../../src/agent/loop.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { analysePrompt } from '../../src/emulator/accounting.js';
import { buildProfiles } from '../../src/emulator/catalog.js';
import { BETA, MODELS, type ModelCapabilities } from '../../src/models/capabilities.js';
import { collect, makeConfig, TestCredentials } from '../bedrock/helpers.js';
import { runtimeClient } from '../emulator/sdk.js';

let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

type Body = Record<string, unknown> & { anthropic_beta?: string[]; max_tokens: number; thinking?: unknown };

/** An id the emulator (like Bedrock) answers for the model: its foundation id when on demand, else its US profile. */
function callableId(m: ModelCapabilities): string {
  const profile = buildProfiles('us-east-1').find((p) => p.type === 'SYSTEM_DEFINED' && p.foundationModelId === m.foundationId && p.inferenceProfileId.startsWith('us.'));
  return profile?.inferenceProfileId ?? m.foundationId;
}

const ALL_BETAS = [...new Set(MODELS.flatMap((m) => m.betas))];

/** A request as the loop builds it: a system prompt of ~`systemTokens`, one tool, markers placed, thinking on. */
function loopRequest(systemTokens: number, extra: Partial<MessagesRequest> = {}): MessagesRequest {
  const system: TextBlock[] = [{ type: 'text', text: 'You are a careful coding agent. '.repeat(Math.ceil((systemTokens * 4) / 32)) }];
  const tools: ToolSpec[] = [{ name: 'Read', description: 'Reads a file', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } }];
  const request = buildRequest({ system, maxOutputTokens: 4096, thinkingBudget: 2048, promptCaching: true }, tools, [{ role: 'user', content: [{ type: 'text', text: 'fix the failing test' }] }]);
  return { ...request, ...extra };
}

/** Each marked block's prefix as the emulator measures it. */
function markedPrefixes(body: Body): number[] {
  return analysePrompt(body).filter((b) => b.breakpoint).map((b) => b.cumulative);
}

describe('B22: every model in the table, through the provider and the emulator', () => {
  it.each(MODELS.map((m) => [m.name, m] as const))('%s: the request passes strict validation and carries only what the model accepts', async (_name, caps) => {
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'ok' }] }, times: 2 }] } });
    const id = callableId(caps);
    // The user asked for the 1M window and for every beta any model has; thinking is on.
    const config = makeConfig(emu.url, { models: { main: { id, longContext: true } } });
    const provider = await createProvider(config, { credentials: new TestCredentials() });
    const notices: string[] = [];
    await collect(provider.stream(loopRequest(6000, { anthropic_beta: ALL_BETAS }), { role: 'main', onNotice: (t) => notices.push(t) }));

    const [r] = emu.requests;
    expect(r.status, JSON.stringify(r.body).slice(0, 200)).toBe(200);
    const body = r.body as Body;
    for (const b of body.anthropic_beta ?? []) expect(caps.betas).toContain(b);
    expect((body.anthropic_beta ?? []).includes(BETA.context1m)).toBe(caps.longContextBeta !== undefined);
    expect('thinking' in body).toBe(caps.thinking !== 'none');
    expect((body.anthropic_beta ?? []).includes(BETA.interleaved)).toBe(caps.thinking !== 'none' && caps.interleavedThinkingBeta !== undefined);
    expect(body.max_tokens).toBeLessThanOrEqual(caps.maxOutputTokens);
    const prefixes = markedPrefixes(body);
    if (caps.promptCaching) {
      expect(prefixes.length).toBeGreaterThan(0);
      for (const p of prefixes) expect(p).toBeGreaterThanOrEqual(caps.minCacheTokens);
    } else {
      expect(prefixes).toEqual([]);
    }
    // What could not be sent is said once, not per request.
    await collect(provider.stream(loopRequest(6000, { anthropic_beta: ALL_BETAS }), { role: 'main', onNotice: (t) => notices.push(t) }));
    expect(emu.requests[1].status).toBe(200);
    expect(new Set(notices).size).toBe(notices.length);
    if (!caps.longContextBeta) expect(notices).toContain(`bcode: ${caps.name} has no 1M-token context window on Bedrock; the context-1m beta is not sent`);
  });

  it('no cache marker below the model minimum: a ~2k-token prefix is marked for Sonnet 4.5 (1024) but not for Haiku 4.5 (4096)', async () => {
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'ok' }] }, times: 2 }] } });
    const provider = await createProvider(makeConfig(emu.url), { credentials: new TestCredentials() });
    await collect(provider.stream(loopRequest(2000), { role: 'main', modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' }));
    await collect(provider.stream(loopRequest(2000), { role: 'main', modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' }));
    const [sonnet, haiku] = emu.requests.map((q) => q.body as Body);
    expect(markedPrefixes(sonnet).length).toBeGreaterThan(0);
    for (const p of markedPrefixes(sonnet)) expect(p).toBeGreaterThanOrEqual(1024);
    expect(JSON.stringify(haiku)).not.toContain('cache_control');
  });

  it('an unknown model id gets the conservative shape and one note', async () => {
    emu = await startEmulator({ scenario: { turns: [] } });
    const id = 'us.anthropic.claude-opus-9-9-v1';
    const provider = await createProvider(makeConfig(emu.url, { models: { main: { id, longContext: true } } }), { credentials: new TestCredentials() });
    const notices: string[] = [];
    for (let i = 0; i < 2; i++) {
      await collect(provider.stream(loopRequest(3000, { anthropic_beta: [BETA.interleaved, BETA.context1m] }), { role: 'main', onNotice: (t) => notices.push(t) })).catch(() => undefined);
    }
    const note = notices.filter((n) => n.includes('is not in'));
    expect(note).toEqual([`bcode: model '${id}' is not in bcode's table; using a conservative request shape\n  hint: no betas, 5-minute cache markers only above 4096 tokens; run \`bcode models\` for the models bcode knows`]);
    const calls = emu.requests.filter((q) => q.operation === 'InvokeModelWithResponseStream');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const q of calls) {
      const body = q.body as Body;
      expect(body.anthropic_beta).toBeUndefined();
      // ~3k tokens is above Sonnet's minimum but below the conservative 4096: no marker.
      expect(JSON.stringify(body)).not.toContain('cache_control');
    }
  });

  it('the default body carries max_tokens 4096', async () => {
    emu = await startEmulator({ scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'ok' }] } }] } });
    const { loadConfig } = await import('../../src/config/load.js');
    const dir = makeTempDir('bcode-models-');
    const env = { HOME: dir, CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1', ANTHROPIC_BEDROCK_BASE_URL: emu.url };
    const { config } = await loadConfig({ cwd: dir, env, flags: {}, homeDir: dir, managedDir: path.join(dir, 'managed') }).finally(() => rmSync(dir, { recursive: true, force: true }));
    const provider = await createProvider(config, { credentials: new TestCredentials() });
    await collect(provider.stream(buildRequest({ system: [], maxOutputTokens: config.maxOutputTokens, promptCaching: true }, [], [{ role: 'user', content: 'hi' }]), { role: 'main' }));
    expect((emu.requests[0].body as Body).max_tokens).toBe(4096);
  });
});

describe('B22: the emulator rejects what Bedrock rejects, from the same table', () => {
  const send = (e: EmulatorHandle, modelId: string, body: Record<string, unknown>) =>
    runtimeClient(e)
      .send(new InvokeModelCommand({ modelId, body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], ...body }) }))
      .then(() => undefined, (x: unknown) => x as Error);

  it('a beta the model lacks: 400 invalid beta flag', async () => {
    emu = await startEmulator();
    const err = await send(emu, 'us.anthropic.claude-opus-4-5-20251101-v1:0', { anthropic_beta: [BETA.context1m] });
    expect(err?.name).toBe('ValidationException');
    expect(err?.message).toBe('invalid beta flag');
    expect(await send(emu, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', { anthropic_beta: [BETA.context1m] })).toBeUndefined();
  });

  it('a body field the model does not take: the extraneous-key message', async () => {
    emu = await startEmulator();
    const err = await send(emu, 'anthropic.claude-3-haiku-20240307-v1:0', { thinking: { type: 'enabled', budget_tokens: 1024 } });
    expect(err?.name).toBe('ValidationException');
    expect(err?.message).toContain('extraneous key [thinking] is not permitted');
  });
});
