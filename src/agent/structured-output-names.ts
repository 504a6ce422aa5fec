/** The names and texts of structured output the loop needs, without zod (structured-output.ts builds the tool). */
export const STRUCTURED_OUTPUT_TOOL = 'StructuredOutput';
/** Times the model is reminded to call the tool after answering in plain text, before the turn fails. */
export const STRUCTURED_OUTPUT_RETRIES = 2;

export const STRUCTURED_OUTPUT_INSTRUCTION = `The caller needs the final answer as data: when the task is done, call the ${STRUCTURED_OUTPUT_TOOL} tool once with the answer as its input (it must match the tool's schema) instead of answering in text.`;

export const STRUCTURED_OUTPUT_REMINDER = `You answered in text, but this task's answer must be given by calling the ${STRUCTURED_OUTPUT_TOOL} tool with input matching its schema. Call it now.`;
