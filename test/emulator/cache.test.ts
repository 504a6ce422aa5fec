import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { findEvent, runtimeClient, SONNET, streamEvents, type Ev } from './sdk.js';

const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const bigSystem = 'You are a careful coding agent. '.repeat(200); // ~6400 chars ≈ 1600 tokens
function body(system: string, question: string, ttl?: '1h'): string {
  return JSON.stringify({
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: 512,
    system: [{ type: 'text', text: system, cache_control: ttl ? { type: 'ephemeral', ttl } : { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  });
}

function usageOf(events: Ev[]) {
  const start = events[0].message.usage;
  const delta = findEvent(events, (e) => e.type === 'message_delta').usage;
  const metrics = events[events.length - 1]['amazon-bedrock-invocationMetrics'];
  return { start, delta, metrics };
}

describe('prompt-cache accounting', () => {
  it('writes the prefix on first sight and reads it on the next identical-prefix request', async () => {
    emu = await startEmulator();
    const c = runtimeClient(emu);
    const first = usageOf(await streamEvents(c, SONNET, body(bigSystem, 'first question')));
    expect(first.start.cache_creation_input_tokens).toBeGreaterThan(1024);
    expect(first.start.cache_read_input_tokens).toBe(0);
    expect(first.metrics.cacheWriteInputTokenCount).toBe(first.start.cache_creation_input_tokens);
    expect(first.metrics.cacheReadInputTokenCount).toBe(0);
    expect(first.delta.cache_creation_input_tokens).toBe(first.start.cache_creation_input_tokens);

    const second = usageOf(await streamEvents(c, SONNET, body(bigSystem, 'a different question')));
    expect(second.start.cache_read_input_tokens).toBe(first.start.cache_creation_input_tokens);
    expect(second.start.cache_creation_input_tokens).toBe(0);
    expect(second.metrics.cacheReadInputTokenCount).toBe(second.start.cache_read_input_tokens);
    expect(second.metrics.inputTokenCount).toBe(second.start.input_tokens);
    expect(emu.requests[1].usage).toMatchObject({ cache_read_input_tokens: second.start.cache_read_input_tokens, cache_creation_input_tokens: 0 });
    // Caches are per model: the same prefix on another model is a new write.
    const other = usageOf(await streamEvents(c, 'us.anthropic.claude-opus-4-1-20250805-v1:0', body(bigSystem, 'q')));
    expect(other.start.cache_creation_input_tokens).toBeGreaterThan(0);
  });

  it('expires after 5 minutes on the emulator clock (refreshed by reads) and then writes again', async () => {
    emu = await startEmulator();
    const c = runtimeClient(emu);
    await streamEvents(c, SONNET, body(bigSystem, 'q1'));
    emu.advanceClock(4 * 60_000);
    expect(usageOf(await streamEvents(c, SONNET, body(bigSystem, 'q2'))).start.cache_read_input_tokens).toBeGreaterThan(0);
    emu.advanceClock(4 * 60_000); // 8 minutes after the write, 4 after the refreshing read
    expect(usageOf(await streamEvents(c, SONNET, body(bigSystem, 'q3'))).start.cache_read_input_tokens).toBeGreaterThan(0);
    emu.advanceClock(5 * 60_000 + 1);
    const after = usageOf(await streamEvents(c, SONNET, body(bigSystem, 'q4')));
    expect(after.start.cache_read_input_tokens).toBe(0);
    expect(after.start.cache_creation_input_tokens).toBeGreaterThan(0);
  });

  it('a 1h breakpoint outlives 5 minutes', async () => {
    emu = await startEmulator();
    const c = runtimeClient(emu);
    await streamEvents(c, SONNET, body(bigSystem, 'q1', '1h'));
    emu.advanceClock(30 * 60_000);
    expect(usageOf(await streamEvents(c, SONNET, body(bigSystem, 'q2', '1h'))).start.cache_read_input_tokens).toBeGreaterThan(0);
  });

  it('does not cache a prefix below the model minimum (Haiku 4.5: 4096 tokens)', async () => {
    emu = await startEmulator();
    const c = runtimeClient(emu);
    const u1 = usageOf(await streamEvents(c, HAIKU, body(bigSystem, 'q1')));
    const u2 = usageOf(await streamEvents(c, HAIKU, body(bigSystem, 'q2')));
    expect(u1.start.cache_creation_input_tokens).toBe(0);
    expect(u2.start.cache_read_input_tokens).toBe(0);
    expect(u2.start.input_tokens).toBeGreaterThan(1024);
  });

  it('finds an earlier prefix within 20 blocks before a moved breakpoint', async () => {
    emu = await startEmulator();
    const c = runtimeClient(emu);
    const turns = (n: number) => Array.from({ length: n }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: [{ type: 'text', text: `turn ${i}` }] }));
    const conv = (n: number) => {
      const messages = turns(n);
      (messages[n - 1].content[0] as Record<string, unknown>).cache_control = { type: 'ephemeral' };
      return JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, system: bigSystem, messages });
    };
    const w = usageOf(await streamEvents(c, SONNET, conv(3)));
    const r = usageOf(await streamEvents(c, SONNET, conv(5)));
    expect(r.start.cache_read_input_tokens).toBe(w.start.cache_creation_input_tokens);
    expect(r.start.cache_creation_input_tokens).toBeGreaterThan(0);
    // 25 blocks later the old breakpoint is out of the lookback window.
    const far = usageOf(await streamEvents(c, SONNET, conv(31)));
    expect(far.start.cache_read_input_tokens).toBe(0);
  });
});
