import { z } from 'zod';
import { backgroundShellsFor } from './background-shells.js';
import { BASH_MAX_OUTPUT_CHARS } from './bash.js';
import { fail } from './result.js';
import type { Tool } from './types.js';

const inputSchema = z.object({
  bash_id: z.string().min(1),
  filter: z.string().optional().describe('Regex; keep only matching lines'),
});
type Input = z.infer<typeof inputSchema>;

export const bashOutputTool: Tool<Input> = {
  name: 'BashOutput',
  description: 'Get the output a background shell printed since the last check, and whether it is still running.',
  inputSchema,
  isReadOnly: () => true,
  async run(input, ctx) {
    const shells = backgroundShellsFor(ctx);
    const shell = shells.get(input.bash_id);
    if (!shell) {
      const known = shells.ids();
      return fail(`No background shell "${input.bash_id}". ${known.length ? `Known: ${known.join(', ')}.` : 'None has been started in this session.'}`);
    }
    let filter: RegExp | undefined;
    if (input.filter !== undefined) {
      try {
        filter = new RegExp(input.filter);
      } catch (err) {
        return fail(`filter is not a valid regular expression: ${(err as Error).message}`);
      }
    }
    const { text, truncated } = await shells.readNew(shell, BASH_MAX_OUTPUT_CHARS);
    let body = text.replace(/\n$/, '');
    if (filter && body) body = body.split('\n').filter((l) => filter.test(l)).join('\n');
    const status = shell.status === 'running' ? 'running' : shell.status === 'killed' ? 'killed' : `exited with code ${shell.exitCode}`;
    const note = truncated ? `\n[Output cut to its start and end; the full output is in ${shell.run.outFile}]` : '';
    return {
      forModel: `[${shell.id}: ${status}]\n${body || '(no new output)'}${note}`,
      forDisplay: `${shell.id}: ${status}`,
    };
  },
};
