import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { typeLine } from '../helpers/pty.js';
import { ptyWorlds } from '../helpers/pty-world.js';

const world = ptyWorlds('bcode-ctx-');

describe('/context in the terminal UI (B22)', () => {
  it('breaks the window down (system, tools, memory, messages, free) with the 1M window of sonnet[1m]', async () => {
    const { project, emulator, open } = await world({
      scenario: { turns: [{ reply: { content: [{ type: 'text', text: 'hello back' }] } }] },
      env: { ANTHROPIC_MODEL: 'sonnet[1m]' },
      cols: 160,
    });
    writeFileSync(path.join(project, 'CLAUDE.md'), `# House rules\n\n${'Always run the tests before saying a change is done.\n'.repeat(40)}`);
    const cli = open();
    await cli.waitFor(/\/help for commands/);
    await typeLine(cli, 'hello');
    await cli.waitFor(/hello back/);
    // The status line's share is of the 1M window: ~4.8k tokens is 0% of it (it would be 2% of 200k).
    await cli.waitForScreen(/ · context 0% · us-east-1/);
    await typeLine(cli, '/context');
    await cli.waitFor(/\(total from the usage Bedrock reported; parts estimated\)/);
    const all = cli.all();
    const head = /context: ([\d,]+) of 1,000,000 tokens \([\d.]+%\) · us\.anthropic\.claude-sonnet-4-5-20250929-v1:0/.exec(all);
    expect(head, JSON.stringify(all.slice(-3000))).not.toBeNull();
    const num = (label: string) => Number(new RegExp(`${label} +([\\d,]+) +[\\d.]+%`).exec(all)![1].replace(/,/g, ''));
    const used = Number(head![1].replace(/,/g, ''));
    // The emulator's usage for the one response is the measured total.
    const call = emulator.requests.find((r) => r.operation === 'InvokeModelWithResponseStream')!;
    const u = call.usage!;
    expect(used).toBe(u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens + u.output_tokens);
    expect(num('memory files')).toBeGreaterThan(400);
    expect(num('system prompt')).toBeGreaterThan(0);
    expect(num('tools')).toBeGreaterThan(1000);
    expect(num('system prompt') + num('tools') + num('memory files') + num('messages')).toBe(used);
    expect(num('free space')).toBe(1_000_000 - used);
  }, 90_000);
});
