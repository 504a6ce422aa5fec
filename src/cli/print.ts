import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FrontEnd, RunResult } from '../agent/events.js';
import type { Config } from '../config/types.js';
import { BcodeError, UsageError } from '../errors.js';
import { debug } from '../util/debug.js';
import { redact } from '../util/redact.js';
import type { MainOptions } from './program.js';
import { runAgent } from '../agent/loop.js';
import { buildSystemPrompt } from '../agent/system-prompt.js';
import { UsageTracker } from '../agent/usage.js';
import { createProvider } from '../bedrock/provider.js';
import { createPermissionPolicy } from '../permissions/index.js';
import { TranscriptWriter, transcriptPath } from '../session/transcript.js';
import { builtinToolSpecs } from '../tools/specs.js';
import { JsonRenderer } from '../ui/print-json.js';
import { StreamJsonRenderer } from '../ui/print-stream-json.js';
import { TextRenderer } from '../ui/print-text.js';
import { childEnvForConfig } from '../util/child-env.js';

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

  let prompt = promptArg;
  if (prompt.trim() === '' && !process.stdin.isTTY) prompt = await readStdin();
  if (prompt.trim() === '') {
    if (!opts.print && process.stdin.isTTY) throw new UsageError('interactive mode is not available yet', { hint: NO_PROMPT_HINT });
    throw new UsageError('no prompt given', { hint: NO_PROMPT_HINT });
  }

  // Only what the first request needs is loaded before it goes out (the static imports above):
  // no tools' code, no zod, no AWS SDK client. The tools load while the first answer streams in.
  const cwd = config.cwd;
  // --continue / --resume <id>: the earlier messages come back and new ones go to the same file.
  let resumed: import('../session/resume.js').LoadedSession | undefined;
  if (opts.continue || typeof opts.resume === 'string') {
    const resume = await import('../session/resume.js');
    if (opts.continue) {
      const latest = resume.latestSessionId(config.env, cwd);
      if (!latest) throw new UsageError(`no earlier session in ${cwd} to continue`, { hint: 'run without --continue to start one' });
      resumed = resume.loadSession(config.env, cwd, latest);
    } else {
      resumed = resume.loadSession(config.env, cwd, opts.resume as string);
    }
  } else if (opts.resume === true) {
    throw new UsageError('--resume needs a session id in print mode', { hint: 'give the id (bcode -p -r <session-id> "…") or use --continue for the latest session here' });
  }
  const conversation = resumed ? new (await import('../agent/conversation.js')).Conversation(resumed.messages) : undefined;
  const sessionId = resumed?.sessionId ?? randomUUID();
  const modelId = config.models.main.id;
  const usage = new UsageTracker();
  const frontEnd = makeFrontEnd(opts, config, () => [...usage.unpriced]);

  // The tools' code (and zod) is loaded when the model first starts a tool call.
  let toolsLoading: Promise<import('../tools/types.js').AnyTool[]> | undefined;
  const loadTools = () => (toolsLoading ??= import('../tools/registry.js').then((r) => r.builtinTools()));
  const provider = await createProvider(config);
  const scratchDir = mkdtempSync(path.join(os.tmpdir(), `bcode-${sessionId.slice(0, 8)}-`));
  const mode = opts.permissionMode as Parameters<typeof createPermissionPolicy>[1]['mode'];
  // The session's scratch dir holds full Bash outputs the model is told to Read.
  const policy = createPermissionPolicy(config, { cwd, mode, allow: [`Read(/${scratchDir}/**)`] });
  const [system, toolSpecs] = await Promise.all([
    buildSystemPrompt({ cwd, projectRoot: config.projectRoot, modelId, replace: opts.systemPrompt, append: opts.appendSystemPrompt }),
    builtinToolSpecs(),
  ]);
  const transcript = new TranscriptWriter(resumed?.file ?? transcriptPath(config.env, cwd, sessionId), sessionId, cwd, undefined, resumed?.lastUuid ?? null);
  if (resumed?.repaired) transcript.append(resumed.repaired);

  const controller = new AbortController();
  let interrupts = 0;
  let exitOnInterrupt = EXIT_INTERRUPTED;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    exitOnInterrupt = signal === 'SIGTERM' ? EXIT_TERMINATED : EXIT_INTERRUPTED;
    // A second signal while the run is winding down means "now".
    if (interrupts > 1) process.exit(exitOnInterrupt);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let result: RunResult & { error?: unknown };
  try {
    result = await runAgent(
      {
        provider,
        tools: loadTools,
        toolSpecs,
        policy,
        system,
        modelId,
        smallModelId: config.models.smallFast.id,
        maxOutputTokens: config.maxOutputTokens,
        thinkingBudget: config.thinkingBudget,
        promptCaching: config.promptCaching,
        toolContext: { cwd, childEnv: childEnvForConfig(config), readFiles: new Map(), scratchDir, shell: { cwd } },
        usage,
      },
      {
        prompt,
        sessionId,
        signal: controller.signal,
        frontEnd,
        maxTurns: opts.maxTurns,
        conversation,
        permissionMode: policy.mode,
        onMessage: (m) => transcript.append(m),
      },
    );
  } finally {
    await transcript.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await import('node:fs/promises').then(({ rm }) => rm(scratchDir, { recursive: true, force: true })).catch(() => undefined);
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
      return new JsonRenderer(io, verbose);
    case 'stream-json':
      return new StreamJsonRenderer(io, { includePartialMessages: opts.includePartialMessages === true, version });
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
