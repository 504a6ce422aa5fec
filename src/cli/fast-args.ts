import type { MainOptions } from './program.js';

/**
 * A quick reading of the main command's arguments for the common, well-formed cases, so that
 * print mode starts without loading commander (its module and node:child_process cost more than
 * everything else before the first request). It reads exactly the options of `buildProgram`'s
 * main command and gives up — returns undefined, and commander parses as before — on anything
 * it is not sure of: help, subcommands, unknown or repeated options, `--`, option clusters,
 * values that look like options, invalid values (commander then prints its own message).
 * A test checks that both parsers agree on every case this one accepts.
 */

type Kind = 'flag' | 'value' | 'variadic';
interface Spec {
  key: keyof MainOptions;
  kind: Kind;
  choices?: readonly string[];
}

const LONG: Record<string, Spec> = {
  '--print': { key: 'print', kind: 'flag' },
  '--output-format': { key: 'outputFormat', kind: 'value', choices: ['text', 'json', 'stream-json'] },
  '--include-partial-messages': { key: 'includePartialMessages', kind: 'flag' },
  '--max-turns': { key: 'maxTurns', kind: 'value' },
  '--model': { key: 'model', kind: 'value' },
  '--fallback-model': { key: 'fallbackModel', kind: 'value' },
  '--system-prompt': { key: 'systemPrompt', kind: 'value' },
  '--append-system-prompt': { key: 'appendSystemPrompt', kind: 'value' },
  '--cwd': { key: 'cwd', kind: 'value' },
  '--settings': { key: 'settings', kind: 'value' },
  '--permission-mode': { key: 'permissionMode', kind: 'value', choices: ['default', 'acceptEdits', 'plan', 'bypassPermissions'] },
  '--allowedTools': { key: 'allowedTools', kind: 'variadic' },
  '--disallowedTools': { key: 'disallowedTools', kind: 'variadic' },
  '--continue': { key: 'continue', kind: 'flag' },
  '--print-config': { key: 'printConfig', kind: 'flag' },
  '--verbose': { key: 'verbose', kind: 'flag' },
  '--debug': { key: 'debug', kind: 'flag' },
  '--debug-file': { key: 'debugFile', kind: 'value' },
};
const SHORT: Record<string, string> = { '-p': '--print', '-c': '--continue' };

/** Words that make commander do something else than run the main command. */
export const SUBCOMMANDS: ReadonlySet<string> = new Set(['emulator', 'doctor', 'iam-policy', 'models', 'usage', 'mcp', 'help']);

export function fastParseMain(argv: readonly string[]): { prompt: string; opts: MainOptions } | undefined {
  const opts: Record<string, unknown> = { outputFormat: 'text' };
  const seen = new Set<string>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') {
      // A subcommand name as the first word (even after options) is commander's to dispatch.
      if (words.length === 0 && SUBCOMMANDS.has(arg)) return undefined;
      words.push(arg);
      continue;
    }
    const name = SHORT[arg] ?? arg;
    const spec = LONG[name];
    if (!spec || seen.has(name)) return undefined;
    seen.add(name);
    if (spec.kind === 'flag') {
      opts[spec.key] = true;
      continue;
    }
    if (spec.kind === 'value') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('-')) return undefined;
      i++;
      if (spec.choices && !spec.choices.includes(value)) return undefined;
      if (spec.key === 'maxTurns') {
        const n = /^\d+$/.test(value) ? Number(value) : NaN;
        if (!Number.isSafeInteger(n) || n < 1) return undefined;
        opts.maxTurns = n;
      } else {
        opts[spec.key] = value;
      }
      continue;
    }
    // Variadic: every following word up to the next option.
    const values: string[] = [];
    while (i + 1 < argv.length && !argv[i + 1].startsWith('-')) values.push(argv[++i]);
    if (values.length === 0) return undefined;
    opts[spec.key] = values;
  }
  if (words.length === 0 && seen.size === 0) return undefined; // bare `bcode`: let commander decide
  return { prompt: words.join(' '), opts: opts as unknown as MainOptions };
}
