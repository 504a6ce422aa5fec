/** Reads a scenario JSON file, checking it against the `Scenario` shape with readable errors. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { Scenario } from './types.js';

const block = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('tool_use'), id: z.string().optional(), name: z.string().min(1), input: z.unknown(), rawInput: z.string().optional() }),
  z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }),
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
]);

const chunkCount = z.number().int().min(0);
const fault = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), status: z.number().int().min(400).max(599).optional(), errorType: z.string().min(1), message: z.string().optional() }),
  z.object({ kind: z.literal('exception'), afterChunks: chunkCount, exceptionType: z.string().min(1), message: z.string().optional() }),
  z.object({ kind: z.literal('drop'), afterChunks: chunkCount }),
  z.object({ kind: z.literal('corrupt'), afterChunks: chunkCount }),
  z.object({ kind: z.literal('delay'), firstByteMs: z.number().min(0).optional(), betweenChunksMs: z.number().min(0).optional() }),
  z.object({ kind: z.literal('stall'), afterChunks: chunkCount }),
]);

const turn = z.strictObject({
  match: z
    .strictObject({ lastToolResultContains: z.string(), lastUserTextContains: z.string(), modelId: z.string(), systemContains: z.string() })
    .partial()
    .optional(),
  reply: z
    .strictObject({
      content: z.array(block),
      stop_reason: z.enum(['end_turn', 'tool_use', 'max_tokens', 'stop_sequence']).optional(),
      output_tokens: z.number().int().min(1).optional(),
      chunkChars: z.number().int().min(1).optional(),
    })
    .optional(),
  faults: z.array(fault).optional(),
  times: z.number().int().min(1).optional(),
});

const scenarioSchema = z.strictObject({
  name: z.string().optional(),
  turns: z.array(turn),
  sideModels: z.array(z.string()).optional(),
  side: z.array(turn).optional(),
  anytime: z.array(turn.required({ match: true })).optional(),
  sideCallMaxTokens: z.number().int().min(0).optional(),
  whenExhausted: z.enum(['repeat-last', 'echo', 'error']).optional(),
  unavailable: z
    .array(z.strictObject({ modelId: z.string().min(1), requests: z.number().int().min(1).optional(), errorType: z.string().min(1).optional(), status: z.number().int().min(400).max(599).optional(), message: z.string().optional() }))
    .optional(),
  guardrails: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        version: z.string().min(1).optional(),
        blockedInputWords: z.array(z.string().min(1)),
        blockedInputMessaging: z.string().optional(),
        name: z.string().min(1).optional(),
        status: z.enum(['CREATING', 'UPDATING', 'VERSIONING', 'READY', 'FAILED', 'DELETING']).optional(),
      }),
    )
    .optional(),
  deniedActions: z.array(z.string().regex(/^bedrock:[A-Za-z]+$/)).optional(),
});

export function parseScenario(value: unknown, source: string): Scenario {
  const res = scenarioSchema.safeParse(value);
  if (!res.success) {
    const issue = res.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new UsageError(`scenario ${source}: ${where}: ${issue.message}`, { hint: 'see docs/emulator.md for the scenario format' });
  }
  return res.data as Scenario;
}

export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read scenario file ${path}${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`, { hint: 'pass the path of a scenario JSON file, e.g. --scenario examples/scenarios/hello.json' });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`scenario ${path} is not valid JSON: ${(err as Error).message}`, { hint: 'see docs/emulator.md for the scenario format' });
  }
  return parseScenario(value, path);
}
