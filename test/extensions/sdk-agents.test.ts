/**
 * The Agent SDK's `agents` option, through the real SDK package spawning the built bcode: the
 * custom agent runs on its own model with its own tools, and a field bcode cannot honour is
 * refused rather than ignored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { collect, modelRequests, query, sdkSandbox, type SdkSandbox } from '../sdk/harness.js';

const OPUS = 'us.anthropic.claude-opus-4-1-20250805-v1:0';
let sb: SdkSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const answer = (text: string) => ({ reply: { content: [{ type: 'text' as const, text }] } });

describe('the Agent SDK agents option', () => {
  it('defines a sub-agent the Task tool runs on its model and tools; system/init lists it', async () => {
    sb = await sdkSandbox(
      {
        turns: [
          { reply: { content: [{ type: 'tool_use', name: 'Task', input: { description: 'count', prompt: 'Count the files', subagent_type: 'counter' } }] } },
          { match: { modelId: OPUS }, ...answer('There are 0 files.') },
          answer('The counter says 0.'),
        ],
      },
      { ANTHROPIC_DEFAULT_OPUS_MODEL: OPUS },
    );
    const msgs: SDKMessage[] = await collect(query({ prompt: 'count', options: sb.options({ agents: { counter: { description: 'Counts files', prompt: 'You count files.', tools: ['Glob'], model: 'opus' } } }) }));
    expect(msgs[0]).toMatchObject({ type: 'system', subtype: 'init', agents: ['general-purpose', 'counter'] });
    expect(msgs.at(-1)).toMatchObject({ type: 'result', subtype: 'success', result: 'The counter says 0.' });
    const reqs = modelRequests(sb.emulator);
    expect(reqs[1]!.modelId).toBe(OPUS);
    expect(((reqs[1]!.body as { tools: Array<{ name: string }> }).tools ?? []).map((t) => t.name)).toEqual(['Glob']);
  });

  it('refuses an agent field bcode does not support, naming it', async () => {
    sb = await sdkSandbox({ turns: [answer('never')] });
    const msgs = await collect(query({ prompt: 'x', options: sb.options({ agents: { a: { description: 'd', prompt: 'p', maxTurns: 3 } } }) }));
    expect(msgs.at(-1)).toMatchObject({ type: 'result', is_error: true });
    expect(JSON.stringify(msgs.at(-1))).toContain("the agents option: 'a' has the field 'maxTurns', which bcode does not support");
    expect(modelRequests(sb.emulator)).toHaveLength(0);
  });

  it('expands a custom command sent as the prompt, as the terminal UI does', async () => {
    sb = await sdkSandbox({ turns: [{ match: { lastUserTextContains: 'Explain src/a.ts briefly' }, ...answer('Explained.') }] });
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(`${sb.project}/.claude/commands`, { recursive: true });
    writeFileSync(`${sb.project}/.claude/commands/explain.md`, 'Explain $1 briefly.\n');
    const msgs = await collect(query({ prompt: '/explain src/a.ts', options: sb.options() }));
    expect(msgs[0]).toMatchObject({ type: 'system', subtype: 'init', slash_commands: ['explain'] });
    expect(msgs.at(-1)).toMatchObject({ type: 'result', subtype: 'success', result: 'Explained.' });
  });
});
