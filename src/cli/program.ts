import { Command, CommanderError, Option } from 'commander';
import { BcodeError, UsageError } from '../errors.js';
import { echoValue } from '../util/text.js';
import { addMcpCommand } from './mcp-command.js';
import type { MainRunner } from './run-main.js';

/** Options of the main command (print mode and, later, interactive mode). */
export interface MainOptions {
  print?: boolean;
  outputFormat: 'text' | 'json' | 'stream-json';
  includePartialMessages?: boolean;
  maxTurns?: number;
  /** `--max-budget-usd`: the session stops before a request once its cost reached this. */
  maxBudgetUsd?: number;
  /** `--json-schema <json>`: structured output (checked when the session is made). */
  jsonSchema?: string;
  model?: string;
  fallbackModel?: string;
  systemPrompt?: string;
  appendSystemPrompt?: string;
  cwd?: string;
  settings?: string;
  permissionMode?: string;
  allowedTools?: string[];
  disallowedTools?: string[];
  continue?: boolean;
  resume?: string | boolean;
  /** With --resume / --continue: continue under a new session id (src/session/fork.ts). */
  forkSession?: boolean;
  verbose?: boolean;
  debug?: boolean;
  debugFile?: string;
  printConfig?: boolean;
  // The Agent SDK's flags (headless protocol, src/cli/headless.ts; most apply to print mode too).
  inputFormat?: 'text' | 'stream-json';
  permissionPromptTool?: string;
  settingSources?: string;
  maxThinkingTokens?: string;
  addDir?: string[];
  sessionId?: string;
  replayUserMessages?: boolean;
  dangerouslySkipPermissions?: boolean;
  allowDangerouslySkipPermissions?: boolean;
  mcpConfig?: string[];
  strictMcpConfig?: boolean;
  awaitInitialize?: boolean;
  tools?: string;
  /** `--agents '<json>'`: custom sub-agents for this session (src/extensions/agents). */
  agents?: string;
  /** Options the command line had that bcode does not know, when the headless protocol tolerates them (a warning each). */
  unknownOptions?: string[];
}

function positiveInt(name: string) {
  return (value: string): number => {
    // Digits only: `1e3` and `0x10` are numbers to Number(), not to a person reading the line.
    const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number ≥ 1, got '${echoValue(value)}'`, { hint: `e.g. ${name} 10` });
    return n;
  };
}

function positiveAmount(name: string) {
  return (value: string): number => {
    const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be an amount of dollars above 0, got '${echoValue(value)}'`, { hint: `e.g. ${name} 0.50` });
    return n;
  };
}

/**
 * Commander's own error text (`error: unknown option '--x'\n(Did you mean --y?)`) in bcode's
 * format: `bcode: <what is wrong>` and a `hint:` line.
 */
export function commanderMessage(text: string): string {
  const lines = text.trim().split('\n').map((l) => l.trim()).filter(Boolean);
  const message = (lines[0] ?? 'invalid command line').replace(/^error:\s*/, '');
  const suggestion = lines.map((l) => /^\(Did you mean (.+)\?\)$/.exec(l)?.[1]).find(Boolean);
  const hint = suggestion ? `did you mean ${suggestion}? (bcode --help lists every option)` : 'bcode --help lists every option and subcommand';
  return `bcode: ${message}\n  hint: ${hint}\n`;
}

/** No -p and a terminal on both ends: the interactive UI; otherwise print mode, as before. */
export function wantsInteractive(opts: MainOptions): boolean {
  return !opts.print && !opts.printConfig && opts.outputFormat === 'text' && process.stdin.isTTY === true && process.stdout.isTTY === true;
}

export function buildProgram(version: string) {
  const program = new Command('bcode')
    .description('A terminal coding agent that runs on Amazon Bedrock.')
    .version(`${version} (bcode)`, '-v, --version', 'print the version')
    .argument('[prompt...]', 'the task: opens the interactive UI with it in a terminal; with -p (or piped) runs print mode')
    .option('-p, --print', 'print mode: run the task to completion, print the answer, exit')
    .addOption(new Option('--output-format <format>', 'print mode output').choices(['text', 'json', 'stream-json']).default('text'))
    .option('--include-partial-messages', 'stream-json: also emit raw stream events')
    .option('--max-turns <n>', 'stop after this many model turns', positiveInt('--max-turns'))
    .option('--json-schema <schema>', 'the answer as JSON matching this JSON Schema (an object), in the result\'s structured_output')
    .option('--max-budget-usd <dollars>', 'stop once the session has cost this much (estimated from the price table)', positiveAmount('--max-budget-usd'))
    .option('--model <model>', 'model for this session: alias (sonnet, opus, haiku), model id, inference profile id or ARN')
    .option('--fallback-model <model>', 'continue on this model while the main one stays throttled or unavailable (the modelFailover setting)')
    .option('--system-prompt <text>', 'replace the system prompt')
    .option('--append-system-prompt <text>', 'append to the system prompt')
    .option('--cwd <dir>', 'working directory for the session')
    .option('--settings <file-or-json>', 'extra settings file (or inline JSON), above project settings')
    .addOption(new Option('--permission-mode <mode>', 'permission mode').choices(['default', 'acceptEdits', 'plan', 'bypassPermissions']))
    .option('--allowedTools <rules...>', 'permission rules to allow, e.g. "Bash(npm test:*)" Edit')
    .option('--disallowedTools <rules...>', 'permission rules to deny')
    .option('-c, --continue', 'continue the most recent session in this directory')
    .option('-r, --resume [sessionId]', 'resume a session by id (in a terminal, without an id: pick one from a list)')
    .option('--fork-session', 'with --resume or --continue: continue under a new session id; the original session stays unchanged')
    .addOption(new Option('--input-format <format>', 'input on stdin: text, or stream-json (the Agent SDK\'s protocol: user messages and control requests as JSON lines)').choices(['text', 'stream-json']))
    .option('--permission-prompt-tool <tool>', 'stream-json input: "stdio" asks the host (the Agent SDK\'s canUseTool) when a tool call needs permission')
    .option('--setting-sources <sources>', 'read only these settings files: a comma-separated subset of user, project, local')
    .option('--max-thinking-tokens <n>', 'extended thinking budget (as MAX_THINKING_TOKENS; 0 = off)')
    .option('--add-dir <dirs...>', 'more directories the session may work in')
    .option('--session-id <uuid>', 'id for the new session')
    .option('--replay-user-messages', 'stream-json input: echo each user message on stdout')
    .option('--dangerously-skip-permissions', 'the same as --permission-mode bypassPermissions')
    .option('--mcp-config <configs...>', 'MCP servers from JSON files or strings ({"mcpServers": {…}})')
    .option('--agents <json>', 'custom sub-agents as JSON: {"name": {"description": "…", "prompt": "…", "tools": ["Read"], "model": "haiku"}}')
    .option('--strict-mcp-config', 'use only the --mcp-config servers (not .mcp.json, ~/.claude.json or settings)')
    .addOption(new Option('--allow-dangerously-skip-permissions', 'allow switching to bypassPermissions later').hideHelp())
    .addOption(new Option('--await-initialize', 'stream-json input: accepted (the session is made after the host\'s initialize)').hideHelp())
    .addOption(new Option('--tools <names>', 'only these built-in tools may run (comma-separated); the others are denied').hideHelp())
    .option('--print-config', 'print the resolved configuration with the source of each value, then exit')
    .option('--verbose', 'show progress, usage and cost')
    .option('--debug', 'debug lines on stderr: configuration, credential source, requests (endpoint, status, request id, timing), retries (secrets redacted)')
    .option('--debug-file <file>', 'append the --debug lines to this file instead of stderr')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(commanderMessage(s)) });

  let exitCode = 0;
  const unknownOptions: string[] = [];

  program.action(async (promptParts: string[], opts: MainOptions) => {
    const { runMain } = await import('./run-main.js');
    const prompt = promptParts.join(' ');
    // The headless protocol (Agent SDK) and the UI's code (ink, React) load only for their
    // command lines, after the configuration was found valid.
    const runner: MainRunner | undefined =
      opts.inputFormat === 'stream-json'
        ? (await import('./headless.js')).runHeadless
        : wantsInteractive(opts)
          ? async (_prompt, _opts, config, warnings) => (await import('./interactive.js')).runInteractive(prompt, opts, config, warnings, version)
          : undefined;
    if (unknownOptions.length > 0) opts.unknownOptions = unknownOptions;
    exitCode = await runMain(prompt, opts, runner);
  });

  program
    .command('emulator')
    .description('run the local Bedrock emulator (for development, tests and demos)')
    .option('--port <port>', 'port to listen on (0 = any free port)', '0')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--region <region>', 'region the emulator signs for', 'us-east-1')
    .option('--scenario <file>', 'scripted model replies (JSON)')
    .option('--record <file>', 'append every request as JSONL to this file')
    .addOption(new Option('--auth <mode>', 'authentication checking').choices(['strict', 'lenient', 'off']).default('strict'))
    .option('--demo', 'start on a free port, stream one answer through the AWS SDK, print it, exit')
    .action(async (opts: import('./emulator-command.js').EmulatorCommandOptions) => {
      const { runEmulatorCommand } = await import('./emulator-command.js');
      exitCode = await runEmulatorCommand(opts);
    });

  // doctor / iam-policy: --cwd, --settings and --model are the main command's, before or after the subcommand.
  program
    .command('doctor')
    .description('check the Bedrock setup (credentials, region, models, profiles, settings): pass/warn/fail, with fixes')
    .option('--json', 'print the report as JSON')
    .option('--timeout <seconds>', 'time limit for each network check', '15')
    .action(async (_opts: unknown, cmd: Command) => {
      const { runDoctorCommand } = await import('./doctor-command.js');
      exitCode = await runDoctorCommand(cmd.optsWithGlobals());
    });

  program
    .command('models')
    .description('print the model capability table and which inference profiles answer in this account and region')
    .option('--json', 'print the table as JSON')
    .option('--offline', 'do not ask Bedrock which profiles answer')
    .action(async (_opts: unknown, cmd: Command) => {
      const { runModelsCommand } = await import('./models-command.js');
      exitCode = await runModelsCommand(cmd.optsWithGlobals());
    });

  program
    .command('iam-policy')
    .description('print the least-privilege IAM policy (JSON) for the configured models')
    .option('--strict', 'narrow resources to the exact inference-profile and foundation-model ARNs')
    .option('--account <id>', 'AWS account id for inference-profile ARNs under --strict')
    .action(async (_opts: unknown, cmd: Command) => {
      const { runIamPolicyCommand } = await import('./iam-policy-command.js');
      exitCode = await runIamPolicyCommand(cmd.optsWithGlobals());
    });

  program
    .command('usage')
    .description('tokens and cost from the local usage ledger, per day, model, project or session')
    .option('--since <when>', 'only usage since a date (2026-05-01) or a span back from now (7d, 12h)')
    .addOption(new Option('--by <group>', 'group rows by').choices(['day', 'model', 'project', 'session']).default('day'))
    .option('--json', 'print the summary as JSON')
    .action(async (opts: import('./usage-command.js').UsageCommandOptions) => {
      const { runUsageCommand } = await import('./usage-command.js');
      exitCode = await runUsageCommand(opts);
    });
  addMcpCommand(program, (code) => (exitCode = code));

  return {
    async run(argv: string[]): Promise<number> {
      try {
        await program.parseAsync(headlessArgs(program, argv, unknownOptions), { from: 'user' });
        return exitCode;
      } catch (err) {
        if (err instanceof CommanderError) {
          // Help and version are successful exits; commander already printed the usage error.
          return err.exitCode === 0 ? 0 : 2;
        }
        if (err instanceof BcodeError) throw err;
        throw err;
      }
    },
  };
}

/**
 * With `--input-format stream-json` the command line comes from a program (the Agent SDK, which
 * forwards an app's `extraArgs` as they are), not a person: options bcode does not know are
 * taken out and reported as warnings instead of ending the run. Elsewhere commander refuses them.
 */
function headlessArgs(program: Command, argv: string[], unknown: string[]): string[] {
  const headless = argv.some((a, i) => a === '--input-format=stream-json' || (a === '--input-format' && argv[i + 1] === 'stream-json'));
  if (!headless) return argv;
  const known = new Set(program.options.flatMap((o) => [o.long, o.short].filter((n): n is string => n !== undefined)));
  return argv.filter((a) => {
    if (!a.startsWith('--') || a === '--') return true;
    if (known.has(a.split('=')[0])) return true;
    unknown.push(a);
    return false;
  });
}
