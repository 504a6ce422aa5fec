import { applySettingsEnv } from '../config/apply-env.js';
import { configureNetwork } from '../net/state.js';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { registerEnvSecrets } from '../util/redact.js';
import { debug, enableDebug } from '../util/debug.js';
import { NO_PROMPT_HINT, runPrint } from './print.js';
import type { Config } from '../config/types.js';
import { parseMcpConfig, parseSettingSources, parseThinkingTokens, splitRules } from './sdk-flags.js';
import type { MainOptions } from './program.js';
import { parseAgentsJson } from '../extensions/agents/discover.js';

/**
 * What runs once the configuration is loaded: print mode by default; the interactive UI
 * (src/cli/interactive.ts) or the headless protocol (src/cli/headless.ts) when the ES-module build
 * passes them (print.cjs bundles neither).
 */
export type MainRunner = (prompt: string, opts: MainOptions, config: Config, warnings: string[]) => Promise<number>;

/**
 * The main command: resolve configuration (all validation errors surface here, before any
 * request), then print the config, open the interactive UI, or run print mode.
 */
/** `--debug` to stderr, `--debug-file <file>` appended to that file (created user-only). */
export async function startDebug(opts: { debug?: boolean; debugFile?: string }): Promise<void> {
  if (opts.debugFile !== undefined) {
    const { openSync, writeSync } = await import('node:fs');
    let fd: number;
    try {
      fd = openSync(opts.debugFile, 'a', 0o600);
    } catch (err) {
      throw new UsageError(`--debug-file: cannot open ${opts.debugFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { hint: 'give a file in a directory you can write to, e.g. --debug-file /tmp/bcode-debug.log' });
    }
    enableDebug((line) => void writeSync(fd, line));
  } else if (opts.debug) {
    enableDebug((line) => void process.stderr.write(line));
  }
}

export async function runMain(prompt: string, opts: MainOptions, runner: MainRunner = runPrint): Promise<number> {
  await startDebug(opts);
  // `bcode -p` in a terminal with no task: say what to do, before any configuration is needed.
  if (prompt.trim() === '' && !opts.printConfig && process.stdin.isTTY && opts.print && opts.inputFormat !== 'stream-json') throw new UsageError('no prompt given', { hint: NO_PROMPT_HINT });
  const cwd = opts.cwd ?? process.cwd();
  const thinking = parseThinkingTokens(opts.maxThinkingTokens);
  const mcpServers = parseMcpConfig(opts.mcpConfig, cwd);
  // A bad --agents value stops bcode before anything runs; the sessions parse it again (cheap).
  if (opts.agents !== undefined) parseAgentsJson(opts.agents);
  if (opts.dangerouslySkipPermissions) {
    if (opts.permissionMode !== undefined && opts.permissionMode !== 'bypassPermissions') {
      throw new UsageError(`--dangerously-skip-permissions contradicts --permission-mode ${opts.permissionMode}`, { hint: 'give one of them' });
    }
    opts.permissionMode = 'bypassPermissions';
  }
  const { config, warnings } = await loadConfig({
    cwd,
    // --max-thinking-tokens is MAX_THINKING_TOKENS for this run (same checks, same meaning).
    env: thinking === undefined ? process.env : { ...process.env, MAX_THINKING_TOKENS: thinking },
    // --print-config shows everything it can; a missing region is one line of it.
    tolerateMissingRegion: opts.printConfig === true,
    flags: {
      settings: opts.settings,
      model: opts.model,
      fallbackModel: opts.fallbackModel,
      permissionMode: opts.permissionMode,
      allowedTools: splitRules(opts.allowedTools),
      disallowedTools: [...(splitRules(opts.disallowedTools) ?? []), ...(await toolsOutside(opts.tools))],
      addDirs: opts.addDir,
      settingSources: parseSettingSources(opts.settingSources),
      verbose: opts.verbose,
      debug: opts.debug,
      mcpServers,
      strictMcpConfig: opts.strictMcpConfig,
    },
  });
  // Settings `env` (e.g. AWS_PROFILE) must reach the AWS SDK's credential chain, which reads
  // process.env itself; shell values are left as they are.
  applySettingsEnv(config);
  registerEnvSecrets(config.env);
  debug('config', () => describeForDebug(config, warnings));
  if (opts.printConfig) {
    const { printConfig } = await import('./print-config.js');
    return printConfig(config, warnings);
  }
  // Proxy and extra CAs (B27), from the shell or settings `env`, settled before any connection.
  await configureNetwork(config.env);
  if (runner !== runPrint) return runner(prompt, opts, config, warnings);
  // `bcode > file` with nothing to do: the UI cannot draw into a file.
  if (!opts.print && prompt.trim() === '' && process.stdin.isTTY && !process.stdout.isTTY) {
    throw new UsageError('the interactive UI needs a terminal on stdout', { hint: 'run bcode without redirecting its output, or give a task in print mode: bcode -p "…" > out.txt' });
  }
  return runPrint(prompt, opts, config, warnings);
}

/** `--tools Read,Grep`: every other built-in tool is denied (the tool list the model sees stays the same, so the cached prefix does too). */
async function toolsOutside(value: string | undefined): Promise<string[]> {
  if (value === undefined) return [];
  const wanted = new Set(value.split(',').map((s) => s.trim()).filter(Boolean));
  const { builtinToolSpecs } = await import('../tools/specs.js');
  const names = (await builtinToolSpecs()).map((t) => t.name);
  const unknown = [...wanted].filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new UsageError(`--tools: no built-in tool named ${unknown.join(', ')}`, { hint: `the tools are ${names.join(', ')}` });
  return names.filter((n) => !wanted.has(n));
}

function describeForDebug(config: import('../config/types.js').Config, warnings: string[]): string {
  const m = config.models;
  const files = (config.settingsFiles ?? []).map((f) => `${f.path} (${f.scope})`).join(', ') || 'none';
  return [
    `region ${config.region || '(not set)'} (${config.sources.region ?? 'default'})`,
    `auth ${config.auth.mode}${config.auth.profile ? ` profile ${config.auth.profile}` : ''}${config.awsCredentialExport ? ', awsCredentialExport set' : ''}${config.awsAuthRefresh ? ', awsAuthRefresh set' : ''}`,
    `main ${m.main.id} via ${m.main.endpoint}`,
    `small/fast ${m.smallFast.id} in ${m.smallFast.region} via ${m.smallFast.endpoint}`,
    `max_tokens ${config.maxOutputTokens}, thinking ${config.thinkingBudget ?? 'off'}, caching ${config.promptCaching ? 'on' : 'off'}, timeout ${config.apiTimeoutMs} ms`,
    `custom headers ${Object.keys(config.customHeaders).join(', ') || 'none'}`,
    `settings files ${files}`,
    `${warnings.length} warning${warnings.length === 1 ? '' : 's'}`,
  ].join('; ');
}
