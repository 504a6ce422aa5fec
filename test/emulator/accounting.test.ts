import { describe, expect, it } from 'vitest';
import { analysePrompt, inputTokenEstimate, PromptCache } from '../../src/emulator/accounting.js';

const cc = { type: 'ephemeral' };
const long = (word: string) => `${word} `.repeat(1200);
function prompt(tools: string, system: string, question: string) {
  return {
    tools: [{ name: 'Read', description: tools, input_schema: { type: 'object' }, cache_control: cc }],
    system: [{ type: 'text', text: system, cache_control: cc }],
    messages: [{ role: 'user', content: [{ type: 'text', text: question, cache_control: cc }] }],
  };
}

describe('prompt-cache accounting rules', () => {
  it('caches along tools → system → messages; a change early in the prefix invalidates everything after it', () => {
    const cache = new PromptCache();
    const scope = 'us-east-1|sonnet';
    const a = prompt(long('tools'), long('system'), 'q1');
    const first = cache.account(scope, analysePrompt(a), 1024, 0);
    expect(first.cache_read_input_tokens).toBe(0);
    expect(first.cache_creation_input_tokens + first.input_tokens).toBe(inputTokenEstimate(a));

    // Same tools and system, new question: tools+system are read, the new last block written.
    const b = prompt(long('tools'), long('system'), 'q2');
    const blocks = analysePrompt(b);
    const second = cache.account(scope, blocks, 1024, 1000);
    expect(second.cache_read_input_tokens).toBe(blocks[1].cumulative);
    expect(second.cache_creation_input_tokens).toBe(blocks[2].tokens);
    expect(second.input_tokens).toBe(0);

    // Changing the system keeps the tools prefix only.
    const c = prompt(long('tools'), long('other'), 'q2');
    const cBlocks = analysePrompt(c);
    const third = cache.account(scope, cBlocks, 1024, 2000);
    expect(third.cache_read_input_tokens).toBe(cBlocks[0].cumulative);

    // Changing the tools leaves nothing to read.
    const d = prompt(long('tool2'), long('system'), 'q2');
    expect(cache.account(scope, analysePrompt(d), 1024, 3000).cache_read_input_tokens).toBe(0);
  });

  it('keeps caches apart per scope (model and region)', () => {
    const cache = new PromptCache();
    const p = prompt(long('tools'), long('system'), 'q');
    cache.account('us-east-1|a', analysePrompt(p), 1024, 0);
    expect(cache.account('us-east-1|b', analysePrompt(p), 1024, 1).cache_read_input_tokens).toBe(0);
    expect(cache.account('us-east-1|a', analysePrompt(p), 1024, 2).cache_read_input_tokens).toBeGreaterThan(0);
  });

  it('estimates ~4 characters per token, stably', () => {
    const body = { messages: [{ role: 'user', content: 'x'.repeat(400) }] };
    expect(inputTokenEstimate(body)).toBe(inputTokenEstimate(structuredClone(body)));
    expect(inputTokenEstimate(body)).toBeGreaterThanOrEqual(100);
    expect(inputTokenEstimate(body)).toBeLessThan(120);
  });
});
