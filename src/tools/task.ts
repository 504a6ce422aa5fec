import { z } from 'zod';
import { fail, firstLine } from './result.js';
import type { Tool } from './types.js';

const inputSchema = z.object({
  description: z.string().min(1).describe('3-5 word label'),
  prompt: z.string().min(1).describe('The full task; the sub-agent sees nothing else'),
  subagent_type: z.string().optional().describe('Default general-purpose'),
});
type Input = z.infer<typeof inputSchema>;

export const taskTool: Tool<Input> = {
  name: 'Task',
  description:
    'Hand a self-contained task (broad searches, research across many files) to a sub-agent with its own context and tools. It returns only its final answer, so ask for exactly what you need back.',
  inputSchema,
  isReadOnly: () => false,
  // B23: the Task calls of one message start together, at most `subagentConcurrency` at a time.
  concurrent: true,
  async run(input, ctx) {
    if (!ctx.runSubAgent) return fail('Sub-agents are not available in this session; do the work directly with the other tools.');
    if (ctx.signal.aborted) return fail('Interrupted.');
    let answer: string;
    try {
      answer = await ctx.runSubAgent({ description: input.description, prompt: input.prompt, subagent_type: input.subagent_type ?? 'general-purpose' }, ctx.signal);
    } catch (err) {
      if (ctx.signal.aborted) return fail('Interrupted.');
      return fail(`The sub-agent failed: ${firstLine(err instanceof Error ? err.message : String(err))}`);
    }
    return { forModel: answer || '(the sub-agent returned no answer)', forDisplay: `${input.description}: ${firstLine(answer) || 'done'}` };
  },
};
