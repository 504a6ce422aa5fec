/**
 * `--input-format stream-json`: the command line of the Agent SDK (`query()` runs
 * `bcode --output-format stream-json --verbose --input-format stream-json …`). Checks the flags
 * that only make sense here, then runs the protocol (src/ui/headless.ts) over stdin and stdout
 * with one session made the way print mode makes it.
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Config } from '../config/types.js';
import { parseModelSpec, type AliasName } from '../config/models.js';
import { UsageError } from '../errors.js';
import type { PermissionMode } from '../permissions/types.js';
import { createSession } from '../session/create.js';
import { transcriptPath } from '../session/transcript.js';
import { runHeadlessProtocol } from '../ui/headless.js';
import { redact } from '../util/redact.js';
import { checkPermissionPromptTool, checkSessionId } from './sdk-flags.js';
import type { MainOptions } from './program.js';
import { parseAgentsJson } from '../extensions/agents/discover.js';
import { userConfigDir } from '../config/trust.js';
import type { SessionInit } from '../ui/headless.js';

declare const BCODE_VERSION: string;
const version = typeof BCODE_VERSION === 'string' ? BCODE_VERSION : '0.0.0-dev';

export async function runHeadless(prompt: string, opts: MainOptions, config: Config, warnings: string[]): Promise<number> {
  const warn = (message: string, hint?: string) => process.stderr.write(redact(`bcode: ${message}\n${hint ? `  hint: ${hint}\n` : ''}`));
  for (const w of warnings) warn(`warning: ${w}`);
  if (opts.outputFormat !== 'stream-json') {
    throw new UsageError('--input-format stream-json needs --output-format stream-json', { hint: 'add --output-format stream-json (the Agent SDK passes both)' });
  }
  if (prompt.trim() !== '') {
    throw new UsageError('with --input-format stream-json the prompt comes from stdin, not the command line', { hint: 'send it as {"type":"user","message":{"role":"user","content":"…"}} on stdin' });
  }
  for (const o of opts.unknownOptions ?? []) warn(`warning: unknown option ${o.split('=')[0]} ignored`);
  const askHost = checkPermissionPromptTool(opts.permissionPromptTool);
  if (opts.resume === true) throw new UsageError('--resume needs a session id here', { hint: 'give the id (--resume <session-id>) or use --continue for the latest session' });
  const jsonSchema = opts.jsonSchema === undefined ? undefined : (await import('../agent/structured-output.js')).parseJsonSchemaFlag(opts.jsonSchema);
  const sessionId = checkSessionId(opts.sessionId, (id) => {
    try {
      return existsSync(transcriptPath(config.env, config.cwd, id));
    } catch {
      return false;
    }
  });

  const initialModel = config.models.main.id;
  const aliases = config.models.aliases;
  const resolveModel = (model: string | null | undefined): string => {
    if (model === null || model === undefined) return initialModel;
    const spec = parseModelSpec('set_model', model, { allowAlias: true });
    if (spec.kind === 'default') return initialModel;
    if (spec.kind === 'alias') return aliases[spec.value as AliasName];
    return spec.value;
  };

  const cliAgents = () => (opts.agents === undefined ? [] : parseAgentsJson(opts.agents));
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const io = {
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
  };
  let interrupts = 0;
  let stop = () => rl.close();
  const onSignal = () => {
    // A signal ends the process the same way as a closed stdin, after the running turn is interrupted.
    if (++interrupts > 1) process.exit(130);
    stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await runHeadlessProtocol(rl, {
      io,
      version,
      includePartialMessages: opts.includePartialMessages === true,
      replayUserMessages: opts.replayUserMessages === true,
      askHost,
      maxTurns: opts.maxTurns,
      warn,
      resolveModel,
      describe: async (initAgents) => (await import('./headless-lists.js')).initializeLists(config, [...cliAgents(), ...initAgents]),
      createSession: async (frontEnd, init) => {
        const session = await createSession(withAppMcpServers(config, init), {
          frontEnd,
          permissionMode: init.permissionMode ?? (opts.permissionMode as PermissionMode | undefined),
          systemPrompt: init.systemPrompt ?? opts.systemPrompt,
          appendSystemPrompt: init.appendSystemPrompt ?? opts.appendSystemPrompt,
          resume: opts.continue ? { latest: true } : typeof opts.resume === 'string' ? { id: opts.resume } : undefined,
          sessionId,
          maxBudgetUsd: opts.maxBudgetUsd,
          jsonSchema,
          forkSession: opts.forkSession && (opts.continue || typeof opts.resume === 'string') ? true : undefined,
          // The SDK's `agents` option comes after --agents: it wins for a name both define.
          agents: [...cliAgents(), ...(init.agents ?? [])],
          sdkHooks: init.sdkHooks,
          sdkMcp: init.sdkMcpServers && init.sdkMcpTransport ? { servers: init.sdkMcpServers, transport: init.sdkMcpTransport } : undefined,
        });
        stop = () => {
          session.interrupt();
          rl.close();
        };
        const targets = { projectRoot: config.projectRoot || config.cwd, userDir: userConfigDir(config.env) };
        return Object.assign(session, {
          applyPermissionUpdates: async (updates: unknown[]) => {
            const { applyPermissionUpdates } = await import('../permissions/updates.js');
            await applyPermissionUpdates(session.policy, updates, targets);
          },
        });
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    rl.close();
    // stdin may still be open (a fatal error before the host closed it): it must not keep the process alive.
    process.stdin.destroy();
  }
}

/**
 * The app's MCP servers join the session's as if given with --mcp-config: the in-process ones
 * (`createSdkMcpServer`, reached through the control channel) and the others of initialize's
 * `mcpServers`. Under --strict-mcp-config they are still the app's own choice, so they stay.
 */
function withAppMcpServers(config: Config, init: SessionInit): Config {
  const servers: Record<string, unknown> = { ...(init.mcpServers ?? {}) };
  for (const name of init.sdkMcpServers ?? []) servers[name] = { type: 'sdk' };
  if (Object.keys(servers).length === 0) return config;
  const mcp = config.mcp ?? { flagServers: [], strict: false, layers: [] };
  return { ...config, mcp: { ...mcp, flagServers: [...mcp.flagServers, { origin: "the Agent SDK app's mcpServers option", servers }] } };
}
