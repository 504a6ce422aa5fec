import { z } from 'zod';
import { editFile } from './edit-file.js';
import type { Tool } from './types.js';

const inputSchema = z.object({
  file_path: z.string().min(1).describe('Absolute path'),
  edits: z
    .array(
      z.object({
        old_string: z.string(),
        new_string: z.string(),
        replace_all: z.boolean().optional(),
      }),
    )
    .min(1),
});
type Input = z.infer<typeof inputSchema>;

export const multiEditTool: Tool<Input> = {
  name: 'MultiEdit',
  description: 'Several Edit-style replacements in one file, applied in order to the result of the previous one; if any fails, none is applied.',
  inputSchema,
  isReadOnly: () => false,
  run: async (input, ctx) => {
    const result = await editFile(ctx, input.file_path, input.edits);
    if (!result.data || typeof result.data !== 'object') return result;
    const { originalFile, ...rest } = result.data as { originalFile: string | null };
    return { ...result, data: { ...rest, edits: input.edits, originalFileContents: originalFile } };
  },
};
