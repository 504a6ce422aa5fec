import { z } from 'zod';
import { editFile } from './edit-file.js';
import type { Tool } from './types.js';

const inputSchema = z.object({
  file_path: z.string().min(1).describe('Absolute path'),
  old_string: z.string().describe('Exact text to replace'),
  new_string: z.string(),
  replace_all: z.boolean().optional().describe('Replace every occurrence'),
});
type Input = z.infer<typeof inputSchema>;

export const editTool: Tool<Input> = {
  name: 'Edit',
  description:
    'Replace exact text in a file you have Read. old_string must match the file exactly (indentation included, no line-number prefix) and be unique unless replace_all is set.',
  inputSchema,
  isReadOnly: () => false,
  run: async (input, ctx) => {
    const result = await editFile(ctx, input.file_path, [input]);
    // Edit's own fields beside the patch, as SDK hosts read them.
    const data = result.data && typeof result.data === 'object' ? { ...result.data, oldString: input.old_string, newString: input.new_string, replaceAll: input.replace_all === true } : undefined;
    return data ? { ...result, data } : result;
  },
};
