import { z } from 'zod';
import { backgroundShellsFor } from './background-shells.js';
import { fail, ok } from './result.js';
import type { Tool } from './types.js';

const inputSchema = z.object({ shell_id: z.string().min(1) });
type Input = z.infer<typeof inputSchema>;

export const killShellTool: Tool<Input> = {
  name: 'KillShell',
  description: 'Stop a background shell and all processes it started.',
  inputSchema,
  isReadOnly: () => false,
  async run(input, ctx) {
    const shells = backgroundShellsFor(ctx);
    const shell = shells.get(input.shell_id);
    if (!shell) return fail(`No background shell "${input.shell_id}".`);
    if (shell.status !== 'running') return ok(`${shell.id} is not running (${shell.status === 'killed' ? 'already killed' : `exited with code ${shell.exitCode}`}).`);
    await shells.kill(shell.id);
    return ok(`Killed ${shell.id}.`);
  },
};
