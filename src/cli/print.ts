import type { FrontEnd } from '../agent/events.js';
import type { UsageTracker } from '../agent/usage.js';
import type { Config } from '../config/types.js';
import { BcodeError, UsageError } from '../errors.js';
import type { PermissionMode } from '../permissions/types.js';
import { createSession, type SubmitResult } from '../session/create.js';
import { parseAgentsJson } from '../extensions/agents/discover.js';
import { debug } from '../util/debug.js';
import { JsonRenderer } from '../ui/print-json.js';
import { StreamJsonRenderer } from '../ui/print-stream-json.js';
import { TextRenderer } from '../ui/print-text.js';
import { redact } from '../util/redact.js';
import type { MainOptions } from './program.js';
import { checkForkSession } from './session-flags.js';

declare const BCODE_VERSION: string;
const version = typeof BCODE_VERSION === 'string' ? BCODE_VERSION : '0.0.0-dev';

/** Exit codes of print mode (A1): documented in docs/agent.md. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;
/** SIGTERM: the run is closed the same way as on SIGINT. */
export const EXIT_TERMINATED = 143;

export const NO_PROMPT_HINT = 'give the task as an argument (bcode -p "fix the failing test") or pipe it in (echo "fix the failing test" | bcode -p)';

/**
 * Print mode: run one task to completion and print the answer. The prompt comes from the
 * arguments or, when none are given and stdin is not a terminal, from stdin.
 */
export async function runPrint(promptArg: string, opts: MainOptions, config: Config, warnings: string[]): Promise<number> {
  for (const w of warnings) process.stderr.write(`${redact(`bcode: warning: ${w}`)}\n`);
  // As the reference product refuses it: stream-json is the verbose stream of every message.
  if (opts.outputFormat === 'stream-json' && opts.verbose !== true && !config.verbose) {
    throw new UsageError('--output-format stream-json needs --verbose in print mode', { hint: 'add --verbose, or use --output-format json for one result object' });
  }

  let prompt = promptArg;
  if (prompt.trim() === '' && !process.stdin.isTTY) prompt = await readStdin();
  if (prompt.trim() === '') {
    if (!opts.print && process.stdin.isTTY) throw new UsageError(`no prompt given (the interactive UI opens only with --output-format text)`, { hint: NO_PROMPT_HINT });
    throw new UsageError('no prompt given', { hint: NO_PROMPT_HINT });
  }

  if (opts.resume === true) {
    throw new UsageError('--resume needs a session id in print mode', { hint: 'give the id (bcode -p -r <session-id> "…") or use --continue for the latest session here' });
  }
  const jsonSchema = opts.jsonSchema === undefined ? undefined : (await import('../agent/structured-output.js')).parseJsonSchemaFlag(opts.jsonSchema);
  // The usage tracker belongs to the session, made below; the text renderer asks it at the end.
  const made: { usage?: UsageTracker } = {};
  const frontEnd = makeFrontEnd(opts, config, () => [...(made.usage?.unpriced ?? [])]);
  const session = await createSession(config, {
    frontEnd,
    permissionMode: opts.permissionMode as PermissionMode | undefined,
    systemPrompt: opts.systemPrompt,
    appendSystemPrompt: opts.appendSystemPrompt,
    // --continue / --resume <id>: the earlier messages come back and new ones go to the same file.
    resume: opts.continue ? { latest: true } : typeof opts.resume === 'string' ? { id: opts.resume } : undefined,
    maxBudgetUsd: opts.maxBudgetUsd,
    jsonSchema,
    forkSession: checkForkSession(opts),
    agents: opts.agents === undefined ? undefined : parseAgentsJson(opts.agents),
  });
  made.usage = session.usage;

  let interrupts = 0;
  let exitOnInterrupt = EXIT_INTERRUPTED;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    exitOnInterrupt = signal === 'SIGTERM' ? EXIT_TERMINATED : EXIT_INTERRUPTED;
    // A second signal while the run is winding down means "now".
    if (interrupts > 1) process.exit(exitOnInterrupt);
    session.interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let result: SubmitResult;
  try {
    // `bcode -p "/review src/a.ts"`: a custom command is expanded, as in the interactive UI.
    const command = prompt.trimStart().startsWith('/') ? await session.expandCommand(prompt) : undefined;
    result = await session.submit(command?.prompt ?? prompt, { maxTurns: opts.maxTurns, command });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await session.close();
  }

  debug('run', () => `${result.subtype}: ${result.numTurns} turn${result.numTurns === 1 ? '' : 's'}, ${result.durationMs} ms (API ${result.durationApiMs} ms), ${result.usage.input_tokens} input / ${result.usage.output_tokens} output tokens, ${result.permissionDenials.length} denied`);
  if (result.subtype === 'success') return EXIT_OK;
  if (result.subtype === 'interrupted') return exitOnInterrupt;
  const err = result.error;
  if (err instanceof BcodeError && (err.exitCode === EXIT_USAGE || err.exitCode === EXIT_INTERRUPTED)) return err.exitCode;
  return EXIT_FAILED;
}

function makeFrontEnd(opts: MainOptions, config: Config, unpriced: () => string[]): FrontEnd {
  // Looked up on first write: creating the process's stdout/stderr streams costs a few ms that
  // need not come before the first request.
  const io = {
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
  };
  const verbose = opts.verbose === true || config.verbose;
  switch (opts.outputFormat) {
    case 'json':
      return new JsonRenderer(io, verbose, version);
    case 'stream-json':
      return new StreamJsonRenderer(io, { includePartialMessages: opts.includePartialMessages === true, version, denialSummary: true });
    default:
      return new TextRenderer(io, { verbose, unpricedModels: unpriced });
  }
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => (data += d));
    process.stdin.on('end', () => resolve(data));
    process.stdin.on('error', reject);
  });
}
