import { Command, CommanderError, Option } from 'commander';
import { BcodeError, UsageError } from '../errors.js';
import { echoValue } from '../util/text.js';

/** Options of the main command (print mode and, later, interactive mode). */
export interface MainOptions {
  print?: boolean;
  outputFormat: 'text' | 'json' | 'stream-json';
  includePartialMessages?: boolean;
  maxTurns?: number;
  model?: string;
  systemPrompt?: string;
  appendSystemPrompt?: string;
  cwd?: string;
  settings?: string;
  permissionMode?: string;
  allowedTools?: string[];
  disallowedTools?: string[];
  continue?: boolean;
  resume?: string | boolean;
  verbose?: boolean;
  debug?: boolean;
  debugFile?: string;
  printConfig?: boolean;
}

function positiveInt(name: string) {
  return (value: string): number => {
    // Digits only: `1e3` and `0x10` are numbers to Number(), not to a person reading the line.
    const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number ≥ 1, got '${echoValue(value)}'`, { hint: `e.g. ${name} 10` });
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
    .option('--model <model>', 'model for this session: alias (sonnet, opus, haiku), model id, inference profile id or ARN')
    .option('--system-prompt <text>', 'replace the system prompt')
    .option('--append-system-prompt <text>', 'append to the system prompt')
    .option('--cwd <dir>', 'working directory for the session')
    .option('--settings <file-or-json>', 'extra settings file (or inline JSON), above project settings')
    .addOption(new Option('--permission-mode <mode>', 'permission mode').choices(['default', 'acceptEdits', 'plan', 'bypassPermissions']))
    .option('--allowedTools <rules...>', 'permission rules to allow, e.g. "Bash(npm test:*)" Edit')
    .option('--disallowedTools <rules...>', 'permission rules to deny')
    .option('-c, --continue', 'continue the most recent session in this directory')
    .option('-r, --resume [sessionId]', 'resume a session by id')
    .option('--print-config', 'print the resolved configuration with the source of each value, then exit')
    .option('--verbose', 'show progress, usage and cost')
    .option('--debug', 'debug lines on stderr: configuration, credential source, requests (endpoint, status, request id, timing), retries (secrets redacted)')
    .option('--debug-file <file>', 'append the --debug lines to this file instead of stderr')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(commanderMessage(s)) });

  let exitCode = 0;

  program.action(async (promptParts: string[], opts: MainOptions) => {
    const { runMain } = await import('./run-main.js');
    const prompt = promptParts.join(' ');
    // The UI's code (ink, React) loads only here, after the configuration was found valid.
    const interactive = wantsInteractive(opts)
      ? async (config: import('../config/types.js').Config, warnings: string[]) => (await import('./interactive.js')).runInteractive(prompt, opts, config, warnings, version)
      : undefined;
    exitCode = await runMain(prompt, opts, interactive);
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
    .command('iam-policy')
    .description('print the least-privilege IAM policy (JSON) for the configured models')
    .option('--strict', 'narrow resources to the exact inference-profile and foundation-model ARNs')
    .option('--account <id>', 'AWS account id for inference-profile ARNs under --strict')
    .action(async (_opts: unknown, cmd: Command) => {
      const { runIamPolicyCommand } = await import('./iam-policy-command.js');
      exitCode = await runIamPolicyCommand(cmd.optsWithGlobals());
    });

  return {
    async run(argv: string[]): Promise<number> {
      try {
        await program.parseAsync(argv, { from: 'user' });
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
