import { z } from 'zod';
import { ok } from './result.js';
import type { Tool } from './types.js';

const inputSchema = z.object({
  todos: z.array(
    z.object({
      content: z.string().min(1).describe('Imperative, e.g. "Run tests"'),
      status: z.enum(['pending', 'in_progress', 'completed']),
      activeForm: z.string().min(1).describe('Present continuous, e.g. "Running tests"'),
    }),
  ),
});
type Input = z.infer<typeof inputSchema>;

export const todoWriteTool: Tool<Input> = {
  name: 'TodoWrite',
  description: 'Replace the task list shown to the user. Use it for work of 3+ steps: keep exactly one item in_progress and mark items completed as soon as they are done.',
  inputSchema,
  // It changes only what the user sees, never files, so it may run beside reads.
  isReadOnly: () => true,
  async run(input, ctx) {
    ctx.onTodos?.(input.todos.map((t) => ({ ...t })));
    const done = input.todos.filter((t) => t.status === 'completed').length;
    const active = input.todos.filter((t) => t.status === 'in_progress').length;
    const summary = `${done}/${input.todos.length} done`;
    // A nudge rather than a refusal: a failed call would cost a whole turn.
    const nudge = active > 1 ? ` Note: ${active} items are in_progress; work on one at a time.` : '';
    return ok(`Todo list updated (${summary}).${nudge}`, `Todos: ${summary}`);
  },
};
