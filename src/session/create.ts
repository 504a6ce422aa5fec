/**
 * The session engine: the one composition root every front end shares (print mode today; the
 * terminal UI and the Agent SDK's headless mode next). It builds the provider, the permission
 * policy, the sandbox, the tools, the system prompt and the transcript once, and then runs any
 * number of user turns on one conversation. Events go out through the front end's `emit`;
 * permission questions come back through its `askPermission`. Nothing here knows about a
 * terminal.
 *
 * Start-up is a feature: only what the first request needs is loaded before it goes out. The
 * tools' code, zod and the sandbox load while the first answer streams in.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FrontEnd, RunResult } from '../agent/events.js';
import { Conversation } from '../agent/conversation.js';
import { compactNow, runAgent, type AgentRuntime } from '../agent/loop.js';
import { buildSystemPrompt } from '../agent/system-prompt.js';
import { UsageTracker } from '../agent/usage.js';
import { createProvider } from '../bedrock/provider.js';
import type { Config } from '../config/types.js';
import { UsageError } from '../errors.js';
import { createPermissionPolicy } from '../permissions/index.js';
import type { PermissionMode, PermissionPolicy } from '../permissions/types.js';
import { builtinToolSpecs } from '../tools/specs.js';
import type { AnyTool, CommandSandbox } from '../tools/types.js';
import { childEnvForConfig, passesAwsCredentials } from '../util/child-env.js';
import { debug } from '../util/debug.js';
import { startMcp } from '../extensions/mcp/index.js';
import { TranscriptWriter, transcriptPath } from './transcript.js';

export interface SessionOptions {
  /** Where events go and where permission questions are answered. */
  frontEnd: FrontEnd;
  /** `--permission-mode`; else `permissions.defaultMode`; else `default`. */
  permissionMode?: PermissionMode;
  /** `--system-prompt` / `--append-system-prompt`. */
  systemPrompt?: string;
  appendSystemPrompt?: string;
  /** Bring back an earlier session of this directory: the latest one, or one by id. */
  resume?: { latest: true } | { id: string };
  /** `--session-id`: the id of a new session (the caller checks it is a UUID and not taken). */
  sessionId?: string;
}

export type SubmitResult = RunResult & { error?: unknown };

export interface Session {
  readonly id: string;
  readonly policy: PermissionPolicy;
  readonly usage: UsageTracker;
  /** The main model id the next request goes to. */
  readonly modelId: string;
  /** Runs one user turn to its end (answer, turn limit, failure or interrupt); never throws for run failures. */
  submit(prompt: string, options?: { maxTurns?: number }): Promise<SubmitResult>;
  /** Stops the running turn: the stream and running tools end, the transcript stays consistent. */
  interrupt(): void;
  /**
   * `/compact [focus]`: summarises the conversation now (the focus text steers the summary).
   * Resolves false when there is nothing to compact. Refused while a turn runs.
   */
  compact(focus?: string): Promise<boolean>;
  /** Switches the main model for the next request (an id, profile id or ARN as resolved by the caller). */
  setModel(modelId: string): void;
  /** Shift-Tab / a control request: throws ConfigError where the mode is refused (bypass as root). */
  setPermissionMode(mode: PermissionMode): void;
  /**
   * `/clear`: a fresh conversation under a new session id and transcript file; the model, the
   * permission mode and remembered rules stay. Refused while a turn runs.
   */
  clear(): Promise<void>;
  /** Ends background shells, closes the transcript, removes the scratch directory. */
  close(): Promise<void>;
}

export async function createSession(config: Config, options: SessionOptions): Promise<Session> {
  const cwd = config.cwd;
  let resumed: import('./resume.js').LoadedSession | undefined;
  if (options.resume) {
    const resume = await import('./resume.js');
    if ('latest' in options.resume) {
      const latest = resume.latestSessionId(config.env, cwd);
      if (!latest) throw new UsageError(`no earlier session in ${cwd} to continue`, { hint: 'run without --continue to start one' });
      resumed = resume.loadSession(config.env, cwd, latest);
    } else {
      resumed = resume.loadSession(config.env, cwd, options.resume.id);
    }
  }
  let conversation = new Conversation(resumed?.messages);
  let sessionId = resumed?.sessionId ?? options.sessionId ?? randomUUID();
  const usage = new UsageTracker();

  // The tools' code (and zod) is loaded when the model first starts a tool call.
  let toolsLoading: Promise<AnyTool[]> | undefined;
  const loadTools = () => (toolsLoading ??= import('../tools/registry.js').then((r) => r.builtinTools()));
  const provider = await createProvider(config);
  // The permission policy is built (and may refuse the configuration) before anything is made on disk.
  const scratchBase = path.join(os.tmpdir(), `bcode-${sessionId.slice(0, 8)}-`);
  const scratchRule = `Read(/${scratchBase}*/**)`;
  const policy = createPermissionPolicy(config, { cwd, mode: options.permissionMode, allow: [scratchRule] });
  // The session's scratch dir holds full Bash outputs the model is told to Read.
  const scratchDir = mkdtempSync(scratchBase);
  const modelId = config.models.main.id;
  const [system, toolSpecs] = await Promise.all([
    buildSystemPrompt({
      cwd,
      projectRoot: config.projectRoot,
      modelId,
      replace: options.systemPrompt,
      append: options.appendSystemPrompt,
      userDir: userConfigDir(config.env, cwd),
      home: config.env.HOME || os.homedir(),
      onWarning: (text) => options.frontEnd.emit({ type: 'notice', text: `bcode: ${text}` }),
    }),
    builtinToolSpecs(),
  ]);
  let transcript = new TranscriptWriter(resumed?.file ?? transcriptPath(config.env, cwd, sessionId), sessionId, cwd, undefined, resumed?.lastUuid ?? null);
  if (resumed?.repaired) transcript.append(resumed.repaired);

  const shell = { cwd };
  // MCP servers start in the background; their tools join the requests once connected.
  const mcp = startMcp(config, { childEnv: childEnvForConfig(config), notice: (text) => options.frontEnd.emit({ type: 'notice', text }), debug: (text) => debug('mcp', () => text) });
  const runtime: AgentRuntime = {
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
    compaction: config.autoCompact ?? { enabled: true },
    toolContext: {
      cwd,
      childEnv: childEnvForConfig(config),
      readFiles: new Map(),
      scratchDir,
      shell,
      sandbox: lazySandbox(config, policy, scratchDir),
      readDenied: (p) => policy.isDenied?.('Read', p) ?? false,
    },
    usage,
    ...(mcp ? { extraTools: mcp } : {}),
  };

  let running: AbortController | undefined;
  let closed = false;
  return {
    get id() {
      return sessionId;
    },
    policy,
    usage,
    get modelId() {
      return runtime.modelId;
    },
    async submit(prompt, submitOptions = {}) {
      if (closed) throw new Error('the session is closed');
      if (running) throw new Error('a turn is already running');
      const controller = new AbortController();
      running = controller;
      try {
        // `@server:uri` mentions and `/mcp__server__prompt` (src/extensions/mcp/prompt-expansion.ts).
        const text = mcp && /@[\w-]+:|^\s*\/mcp__/.test(prompt) ? await (await import('../extensions/mcp/prompt-expansion.js')).expandMcpPrompt(prompt, mcp, (t) => options.frontEnd.emit({ type: 'notice', text: t }), controller.signal) : prompt;
        return await runAgent(runtime, {
          prompt: text,
          sessionId,
          signal: controller.signal,
          frontEnd: options.frontEnd,
          maxTurns: submitOptions.maxTurns,
          conversation,
          permissionMode: policy.mode,
          onMessage: (m) => transcript.append(m),
          onCompaction: (c) => transcript.appendCompaction(c.summary, c.kept, c.compacted),
        });
      } finally {
        running = undefined;
      }
    },
    interrupt() {
      running?.abort();
    },
    async compact(focus) {
      if (closed) throw new Error('the session is closed');
      if (running) throw new Error('a turn is running');
      const controller = new AbortController();
      running = controller;
      try {
        const outcome = await compactNow(runtime, [...toolSpecs, ...(mcp?.specs() ?? [])], conversation, {
          signal: controller.signal,
          frontEnd: options.frontEnd,
          manual: true,
          focus,
          onRetry: (notice) => options.frontEnd.emit({ type: 'retrying', notice }),
          onNotice: (text) => options.frontEnd.emit({ type: 'notice', text }),
          onCompaction: (c) => transcript.appendCompaction(c.summary, c.kept, c.compacted),
        });
        return outcome !== undefined;
      } catch (err) {
        // Esc / interrupt(): the conversation is unchanged (it is replaced only once the summary is complete).
        if (controller.signal.aborted) throw new Error('compaction interrupted; the conversation is unchanged');
        throw err;
      } finally {
        running = undefined;
      }
    },
    setModel(id) {
      runtime.modelId = id;
    },
    setPermissionMode(mode) {
      if (!policy.setMode) throw new Error('this permission policy cannot change modes');
      policy.setMode(mode);
    },
    async clear() {
      if (closed) throw new Error('the session is closed');
      if (running) throw new Error('a turn is running');
      await transcript.close();
      sessionId = randomUUID();
      conversation = new Conversation();
      transcript = new TranscriptWriter(transcriptPath(config.env, cwd, sessionId), sessionId, cwd);
      // What the model read before is not in the new conversation: Edit must read files again.
      runtime.toolContext.readFiles.clear();
    },
    async close() {
      if (closed) return;
      closed = true;
      running?.abort();
      // Background shells end with the session (nothing could read them later).
      if (toolsLoading) await import('../tools/background-shells.js').then((m) => m.disposeBackgroundShells({ shell })).catch(() => undefined);
      await mcp?.close();
      await transcript.close();
      await import('node:fs/promises').then(({ rm }) => rm(scratchDir, { recursive: true, force: true })).catch(() => undefined);
    },
  };
}

/** `$CLAUDE_CONFIG_DIR`, else `~/.claude`: where the user's own CLAUDE.md lives. */
function userConfigDir(env: Record<string, string | undefined>, cwd: string): string {
  const dir = env.CLAUDE_CONFIG_DIR?.trim();
  return dir ? path.resolve(cwd, dir) : path.join(env.HOME || os.homedir(), '.claude');
}

/** The command sandbox, loaded with the first Bash call (src/sandbox is off the first request's path). */
function lazySandbox(config: Config, policy: PermissionPolicy, scratchDir: string): CommandSandbox {
  let runner: Promise<CommandSandbox> | undefined;
  const load = () =>
    (runner ??= Promise.all([import('../sandbox/runner.js'), import('../sandbox/settings.js')]).then(
      ([{ SandboxRunner }, { resolveSandboxSettings }]) =>
        new SandboxRunner({
          settings: resolveSandboxSettings(config.settings.sandbox),
          policy,
          home: config.env.HOME || os.homedir(),
          projectRoot: config.projectRoot || config.cwd,
          passAwsCredentials: passesAwsCredentials(config),
          scratchDir,
          envPath: config.env.PATH,
        }),
    ));
  return { prepare: async (...args) => (await load()).prepare(...args) };
}
