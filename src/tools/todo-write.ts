import { z } from 'zod';
import { fail, ok } from './result.js';
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
    const active = input.todos.filter((t) => t.status === 'in_progress').length;
    if (active > 1) return fail(`${active} items are in_progress; keep at most one in_progress at a time.`);
    const seen = new Set<string>();
    for (const t of input.todos) {
      if (seen.has(t.content)) return fail(`The item "${t.content}" is listed twice; each item must be distinct.`);
      seen.add(t.content);
    }
    ctx.onTodos?.(input.todos.map((t) => ({ ...t })));
    const done = input.todos.filter((t) => t.status === 'completed').length;
    const summary = `${done}/${input.todos.length} done`;
    return ok(`Todo list updated (${summary}). Keep it current as you work.`, `Todos: ${summary}`);
  },
};
