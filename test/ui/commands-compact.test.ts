/** `/compact [focus]` hands the focus to the session and says when there was nothing to compact. */
import { expect, it } from 'vitest';
import { COMMANDS, parseCommand, type CommandHost } from '../../src/ui/tui/commands.js';

it('/compact passes its focus text on', async () => {
  const printed: string[] = [];
  const focuses: string[] = [];
  const host = { print: (t: string) => printed.push(t), compact: async (f: string) => (focuses.push(f), f !== '') } as unknown as CommandHost;
  const parsed = parseCommand('/compact  the parser ');
  expect('command' in parsed && parsed.command.name).toBe('compact');
  const compact = COMMANDS.find((c) => c.name === 'compact')!;
  await compact.run(host, ' the parser ');
  await compact.run(host, '');
  expect(focuses).toEqual(['the parser', '']);
  expect(printed.at(-1)).toBe('Nothing to compact yet.');
});
