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
import os from 'node:os';
import path from 'node:path';
import type { ImageBlock, TextBlock } from '../bedrock/anthropic.js';
import type { FrontEnd, RunResult } from '../agent/events.js';
import type { MessageParam } from '../bedrock/anthropic.js';
import { Conversation } from '../agent/conversation.js';
import { compactNow, runAgent, type AgentRuntime } from '../agent/loop.js';
import { buildSystemPrompt } from '../agent/system-prompt.js';
import { contextBreakdown, type ContextBreakdown } from '../agent/context-breakdown.js';
import { modelLimits } from '../agent/model-limits.js';
import { UsageTracker } from '../agent/usage.js';
import { DEFAULT_SUBAGENT_CONCURRENCY, DEFAULT_SUBAGENT_COOLDOWN_MS, SubagentLimiter } from '../agent/subagent-limiter.js';
import { createProvider } from '../bedrock/provider.js';
import type { Config } from '../config/types.js';
import type { SessionEndReason } from '../extensions/hooks/api.js';
import type { ConfiguredHook } from '../extensions/hooks/types.js';
import { loadSessionHooks, type TrustQuestion } from '../extensions/hooks/index.js';
import { UsageError } from '../errors.js';
import { createPermissionPolicy } from '../permissions/index.js';
import type { PermissionMode, PermissionPolicy } from '../permissions/types.js';
import { builtinToolSpecs } from '../tools/specs.js';
import type { AnyTool, CommandSandbox } from '../tools/types.js';
import { createMonitor } from '../telemetry/monitor.js';
import { childEnvForConfig } from '../util/child-env.js';
import { loadExtensions, type AgentDefinition, type Extensions } from '../extensions/index.js';
import { ScopedAllowPolicy } from '../extensions/scoped-allow.js';
import { extensionSetup } from '../extensions/session-setup.js';
import { debug } from '../util/debug.js';
import { startMcp } from '../extensions/mcp/index.js';
import type { SdkTransportFactory } from '../extensions/mcp/sdk-transport.js';
import { mcpToolName } from '../extensions/mcp/server-config.js';
import { approveProjectServers, type AskMcpApproval } from '../extensions/mcp/project-approval.js';
import { TranscriptWriter, transcriptPath } from './transcript.js';
import type { UserShellResult } from './user-shell.js';
import { TITLE_GRACE_MS } from './title-grace.js';
import { makeScratchDir, removeScratchDir, removeScratchDirSync } from './scratch-dir.js';
import { TurnTracker, type RewindResult, type TurnInfo } from './turns.js';
import type { RewindWhat } from './rewind.js';

/** How long close() waits for an interrupted turn's tools to end before removing the scratch dir. */
const RUN_END_GRACE_MS = 3_000;

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
  /** `--max-budget-usd`: over the whole session, not per turn. */
  maxBudgetUsd?: number;
  /** `--json-schema`: every turn's answer is data matching this schema (the StructuredOutput tool). */
  jsonSchema?: Record<string, unknown>;
  /**
   * Asked when the project's own settings have hooks and the folder is not trusted yet (the
   * terminal UI); without it they are skipped with a warning.
   */
  askTrust?: (question: TrustQuestion) => Promise<boolean>;
  /** Asks about a project MCP server nobody approved or rejected yet (interactive UI only). */
  askMcpApproval?: AskMcpApproval;
  /** `--fork-session` (with resume): continue under a new id in a new transcript; the original stays as it was. */
  forkSession?: boolean;
  /** Ask the small/fast model for a title after the first turn (interactive sessions; see title.ts). */
  title?: boolean;
  /** `--agents`: sub-agents defined on the command line (over the project's and the user's). */
  agents?: readonly AgentDefinition[];
  /** An Agent SDK app's hook callbacks (src/extensions/hooks/sdk-callback-hooks.ts). */
  sdkHooks?: readonly ConfiguredHook[];
  /** The Agent SDK app's in-process MCP servers (`type: 'sdk'`) and the control channel to them; only the headless front end has one. */
  sdkMcp?: { servers: readonly string[]; transport: SdkTransportFactory };
}

/** A custom command made ready to submit: its prompt, and what its header asks for its turn. */
export interface ExpandedCommand {
  name: string;
  prompt: string;
  allowedTools?: string[];
  /** The model for the command's turn, resolved like the main model. */
  modelId?: string;
}

export interface SubmitOptions {
  maxTurns?: number;
  /** Read the files the prompt names with `@path` for the model (the UI's prompts). */
  mentions?: boolean;
  /** From a custom command: rules allowed without asking during this turn, and its model. */
  command?: Omit<ExpandedCommand, 'prompt'>;
}

export type SubmitResult = RunResult & { error?: unknown };

export interface Session {
  readonly id: string;
  readonly policy: PermissionPolicy;
  readonly usage: UsageTracker;
  /** The hooks this session runs, fixed at its start (`/hooks`). */
  readonly hooks: readonly ConfiguredHook[];
  /** The MCP servers of the session and their state (`/mcp`). */
  mcpServers(): Array<{ name: string; status: string; error?: string; tools: string[] }>;
  /** Signs in to a remote MCP server (OAuth) and starts it again (`/mcp auth`); its state after. */
  mcpAuthenticate(name: string, print: (line: string) => void): Promise<{ status: string; error?: string } | undefined>;
  /** The main model id the next request goes to. */
  readonly modelId: string;
  /**
   * Runs one user turn to its end (answer, turn limit, failure or interrupt); never throws for run
   * failures. `mentions`: files the prompt names with `@path` are read for the model (the UI's prompts).
   */
  submit(prompt: string, options?: SubmitOptions): Promise<SubmitResult>;
  /** `!command`: runs a shell command for the person, under the permission rules; the model sees it with the next prompt. */
  runShell(command: string): Promise<UserShellResult>;
  /** Text the model should see with the next prompt (a line the person added to memory with `#`). */
  addContext(text: string): void;
  /** The skills, custom sub-agents and custom commands found at start-up. */
  readonly extensions: Extensions;
  /**
   * `/name args` of a custom command → its prompt, with !`…` lines run (through the permission
   * engine and the sandbox) and @files attached. undefined when no custom command has that name;
   * throws CommandRefusedError when a line may not run.
   */
  expandCommand(line: string): Promise<ExpandedCommand | undefined>;
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
  /** Runs SessionEnd hooks, ends background shells, closes the transcript, removes the scratch directory. */
  close(reason?: SessionEndReason): Promise<void>;
  /** `/context`: how the model's context window is spent (B22). */
  context(): Promise<ContextBreakdown>;
  /** The user turns of the conversation, oldest first (what /rewind lists). */
  turns(): TurnInfo[];
  /**
   * `/rewind`: back to just before user turn `to` (1-based index or prompt uuid): the files as
   * they were (`code`), the conversation as it was (`conversation`), or both. Files changed
   * outside bcode are overwritten only when the front end's askPermission says yes.
   */
  rewind(to: number | string, what: RewindWhat): Promise<RewindResult>;
  /** The session's title, once made (or loaded). */
  readonly title: string | undefined;
  /** The conversation as the next request will carry it (a resumed session's UI shows it). */
  readonly messages: readonly MessageParam[];
}

export async function createSession(config: Config, options: SessionOptions): Promise<Session> {
  const made: { scratchDir?: string } = {};
  try {
    return await makeSession(config, options, made);
  } catch (err) {
    // A session that could not be made leaves nothing behind (its scratch dir may exist already).
    if (made.scratchDir) removeScratchDirSync(made.scratchDir);
    throw err;
  }
}

async function makeSession(config: Config, options: SessionOptions, made: { scratchDir?: string }): Promise<Session> {
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
  if (resumed && options.forkSession) {
    const forkedId = options.sessionId ?? randomUUID();
    const forkedFile = transcriptPath(config.env, cwd, forkedId);
    (await import('./fork.js')).forkTranscript(resumed.file, forkedFile, forkedId, resumed.sessionId, cwd);
    resumed = { ...resumed, sessionId: forkedId, file: forkedFile };
  }
  let conversation = new Conversation(resumed?.messages);
  let sessionId = resumed?.sessionId ?? options.sessionId ?? randomUUID();
  let title = resumed?.title;
  const usage = new UsageTracker();

  // --json-schema: one more tool, always allowed, whose input is the answer.
  const structured = options.jsonSchema ? await import('../agent/structured-output.js').then((m) => ({ ...m.structuredOutputTool(options.jsonSchema!), instruction: m.STRUCTURED_OUTPUT_INSTRUCTION })) : undefined;
  // The tools' code (and zod) is loaded when the model first starts a tool call.
  let toolsLoading: Promise<AnyTool[]> | undefined;
  const loadTools = () =>
    (toolsLoading ??= Promise.all([import('../tools/registry.js'), ext.tools((skill) => policy.grant(skill.allowedTools ?? [], `skill ${skill.name}`))]).then(([r, extra]) => [...r.builtinTools(), ...extra, ...(structured ? [structured.tool] : [])]));
  // B21/B25/B29: the ledger, OpenTelemetry, request metadata and service tiers watch the session here.
  const monitor = createMonitor(config, { sessionId: () => sessionId });
  const frontEnd = monitor.wrap(options.frontEnd);
  const [provider, extensions] = await Promise.all([
    createProvider(config, { requestHeaders: (o, id) => monitor.requestHeaders(o, id) }),
    loadExtensions(config, { agents: options.agents, warn: (text) => options.frontEnd.emit({ type: 'notice', text: `bcode: warning: ${text}` }) }),
  ]);
  monitor.attachProvider(provider);
  const ext = extensionSetup(extensions, config);
  // The permission policy is built (and may refuse the configuration) before anything is made on disk.
  const scratchBase = path.join(os.tmpdir(), `bcode-${sessionId.slice(0, 8)}-`);
  const scratchRule = `Read(/${scratchBase}*/**)`;
  const makePolicy = (mode: PermissionMode | undefined, extra: string[] = []) =>
    createPermissionPolicy(config, { cwd, mode, allow: [scratchRule, ...(structured ? [structured.tool.name] : []), ...ext.allowRules, ...extra] });
  // Skills' and custom commands' allowed-tools turn an "ask" into "allow" for one turn, by rule
  // only (the widened policy is in default mode), never a deny.
  const policy = new ScopedAllowPolicy(makePolicy(options.permissionMode), (extra) => makePolicy('default', extra));
  // The session's scratch dir holds full Bash outputs the model is told to Read.
  const scratchDir = makeScratchDir(scratchBase);
  made.scratchDir = scratchDir;
  const modelId = config.models.main.id;
  const [system, builtinSpecs] = await Promise.all([
    buildSystemPrompt({
      cwd,
      projectRoot: config.projectRoot,
      modelId,
      replace: options.systemPrompt,
      append: [options.appendSystemPrompt, structured?.instruction].filter(Boolean).join('\n\n') || undefined,
      userDir: userConfigDir(config.env, cwd),
      home: config.env.HOME || os.homedir(),
      onWarning: (text) => frontEnd.emit({ type: 'notice', text: `bcode: ${text}` }),
    }),
    builtinToolSpecs().then((specs) => (structured ? [...specs, structured.spec] : specs)),
  ]);
  const toolSpecs = await ext.toolSpecs(builtinSpecs);
  let transcript = new TranscriptWriter(resumed?.file ?? transcriptPath(config.env, cwd, sessionId), sessionId, cwd, undefined, resumed?.lastUuid ?? null);
  if (resumed?.repaired) transcript.append(resumed.repaired);
  const notice = (text: string) => options.frontEnd.emit({ type: 'notice', text });
  const turns = new TurnTracker({ cwd, home: config.env.HOME || os.homedir(), transcript: () => transcript, notice }, resumed?.turns);
  let titling: { done: Promise<void>; abort: AbortController } | undefined;

  const shell = { cwd };
  const sandbox = lazySandbox(config, policy, scratchDir);
  const childEnv = childEnvForConfig(config);
  // Hooks are read once, here: a change to `hooks` during the session waits for the next one.
  const hooks = await loadSessionHooks(config, {
    // Trust comes from the shell, never from a settings file's `env` (see src/config/trust.ts).
    shellEnv: config.trustEnv ?? { HOME: config.env.HOME, CLAUDE_CONFIG_DIR: config.env.CLAUDE_CONFIG_DIR },
    childEnv,
    sandbox,
    notice,
    askTrust: options.askTrust,
    extra: options.sdkHooks,
    base: () => ({ session_id: sessionId, transcript_path: transcript.file, cwd: shell.cwd, permission_mode: policy.mode }),
  });
  let hooksStarting = hooks?.sessionStart(resumed ? 'resume' : 'startup');
  // MCP servers start in the background; their tools join the requests once connected.
  const mcpConfig = options.askMcpApproval ? await approveProjectServers(config, options.askMcpApproval, notice) : config;
  const mcp = startMcp(mcpConfig, { childEnv, sandbox, notice: (text) => options.frontEnd.emit({ type: 'notice', text }), debug: (text) => debug('mcp', () => text), sdkTransport: options.sdkMcp?.transport });
  // An SDK app's in-process servers answer within milliseconds: the first prompt waits for them, so its request lists their tools.
  let sdkMcpReady = mcp && options.sdkMcp?.servers.length ? mcp.ready(options.sdkMcp.servers.map((name) => mcpToolName(name, ''))) : undefined;
  const runtime: AgentRuntime = {
    provider,
    tools: loadTools,
    toolSpecs,
    policy,
    system,
    modelId,
    smallModelId: config.models.smallFast.id,
    maxOutputTokens: config.maxOutputTokens,
    maxOutputFixed: !(config.sources.maxOutputTokens ?? 'default').startsWith('default'),
    longContext: modelId === config.models.main.id && config.models.main.longContext === true,
    thinkingBudget: config.thinkingBudget,
    promptCaching: config.promptCaching,
    ...(config.guardrails?.tagUserInput ? { guardTagSuffix: config.guardrails.tagSuffix } : {}),
    compaction: config.autoCompact ?? { enabled: true },
    toolContext: {
      cwd,
      childEnv,
      readFiles: new Map(),
      readResults: new Map(),
      scratchDir,
      shell,
      sandbox,
      readDenied: (p) => policy.isDenied?.('Read', p) ?? false,
      checkpoint: turns.checkpoint,
    },
    usage,
    hooks,
    // B23: one limiter per session, shared by the runs and sub-agents of this runtime.
    subagents: new SubagentLimiter({ max: config.subagents?.concurrency ?? DEFAULT_SUBAGENT_CONCURRENCY, cooldownMs: config.subagents?.cooldownMs ?? DEFAULT_SUBAGENT_COOLDOWN_MS }),
    subAgent: ext.subAgent,
    advertised: ext.advertised,
    ...(mcp ? { extraTools: mcp } : {}),
  };

  let running: AbortController | undefined;
  /** Settles once the running turn, shell or compaction has ended: close() waits for it (briefly) before removing the scratch dir its tools write to. */
  let runEnded: Promise<void> = Promise.resolve();
  const startRun = () => {
    const controller = new AbortController();
    let settle!: () => void;
    runEnded = new Promise<void>((resolve) => (settle = resolve));
    running = controller;
    return {
      controller,
      end() {
        running = undefined;
        settle();
      },
    };
  };
  let closed = false;
  /** `!command` outputs and `#` memory lines not yet seen by the model: they ride along with the next prompt. */
  let pendingContext: TextBlock[] = [];
  const toolDeps = async (signal: AbortSignal) => ({ policy, tools: await loadTools(), context: { ...runtime.toolContext, signal, notice: (text: string) => options.frontEnd.emit({ type: 'notice', text }) } });
  /** The title, made in the background: nothing waits for it but close(), briefly. */
  const startTitle = (prompt: string, answer: string) => {
    const abort = new AbortController();
    const writer = transcript;
    const done = import('./title.js')
      .then((m) => m.makeTitle({ provider, smallModelId: config.models.smallFast.id, usage, frontEnd: options.frontEnd, prompt, answer, signal: abort.signal }))
      .then((made) => {
        if (abort.signal.aborted) return;
        writer.appendUsage(made.costUsd);
        if (made.title && writer === transcript) {
          title = made.title;
          writer.appendTitle(made.title);
        }
      })
      .catch(() => undefined); // best effort: an untitled session shows its first prompt
    return { done, abort };
  };
  return {
    get id() {
      return sessionId;
    },
    policy,
    usage,
    hooks: hooks?.configured ?? [],
    mcpServers: () => mcp?.servers() ?? [],
    mcpAuthenticate: async (name, print) => {
      if (!mcp) throw new UsageError('no MCP servers in this session', { hint: 'add one with bcode mcp add, or a .mcp.json' });
      return mcp.authenticate(name, print);
    },
    get modelId() {
      return runtime.modelId;
    },
    extensions,
    async expandCommand(line) {
      const { matchCustomCommand, expandCommand } = await import('../extensions/commands/expand.js');
      const found = matchCustomCommand(line, extensions.commands);
      if (!found) return undefined;
      const { command, args } = found;
      const { commandHost } = await import('../extensions/commands/host.js');
      const { resolveAgentModel } = await import('../extensions/agents/model.js');
      const modelId = command.model ? resolveAgentModel(command.model, `the model of /${command.name} (${command.file})`, config.models.aliases, runtime.modelId) : undefined;
      const controller = new AbortController();
      try {
        policy.grant(command.allowedTools ?? [], `/${command.name}`);
        const prompt = await expandCommand(command, args, commandHost(command.name, policy, { ...runtime.toolContext, signal: controller.signal }));
        return { name: command.name, prompt, allowedTools: command.allowedTools, modelId };
      } finally {
        policy.reset();
      }
    },
    async submit(prompt, submitOptions = {}) {
      if (closed) throw new Error('the session is closed');
      if (running) throw new Error('a turn is already running');
      const { controller, end } = startRun();
      monitor.userPrompt(prompt);
      turns.beginTurn(conversation);
      const costBefore = usage.totalCostUsd;
      // Grants last one turn: the one of the command that asked for them.
      policy.reset();
      const command = submitOptions.command;
      if (command?.allowedTools) policy.grant(command.allowedTools, `/${command.name}`);
      const modelBefore = runtime.modelId;
      if (command?.modelId) runtime.modelId = command.modelId;
      try {
        // SessionStart hooks' context goes with the first prompt after them.
        await hooksStarting;
        hooksStarting = undefined;
        await sdkMcpReady;
        sdkMcpReady = undefined;
        const attachments: Array<TextBlock | ImageBlock> = pendingContext;
        pendingContext = [];
        if (submitOptions.mentions) {
          const { findMentions, readMentions } = await import('./mentions.js');
          if (findMentions(prompt).length > 0) {
            const read = await readMentions(prompt, await toolDeps(controller.signal));
            attachments.push(...read.attachments);
            for (const note of read.notes) options.frontEnd.emit({ type: 'notice', text: note });
          }
        }
        // `@server:uri` mentions and `/mcp__server__prompt` (src/extensions/mcp/prompt-expansion.ts).
        const text = mcp && /@[\w-]+:|^\s*\/mcp__/.test(prompt) ? await (await import('../extensions/mcp/prompt-expansion.js')).expandMcpPrompt(prompt, mcp, (t) => options.frontEnd.emit({ type: 'notice', text: t }), controller.signal) : prompt;
        const result = await runAgent(runtime, {
          prompt: text,
          attachments,
          sessionId,
          signal: controller.signal,
          frontEnd,
          maxTurns: submitOptions.maxTurns,
          maxBudgetUsd: options.maxBudgetUsd,
          structuredOutput: structured !== undefined,
          conversation,
          permissionMode: policy.mode,
          onMessage: (m) => turns.appended(m, transcript.append(m)),
          onCompaction: (c) => transcript.appendCompaction(c.summary, c.kept, c.compacted),
          onExclude: (count, reason) => transcript.appendExclusion(count, reason),
        });
        // This turn's cost (the result's total is the session's running total).
        transcript.appendUsage(usage.totalCostUsd - costBefore);
        if (options.title && title === undefined && !titling && result.subtype === 'success') titling = startTitle(prompt, result.result);
        return result;
      } finally {
        end();
        policy.reset();
        if (command?.modelId && runtime.modelId === command.modelId) runtime.modelId = modelBefore;
      }
    },
    async runShell(command) {
      if (closed) throw new Error('the session is closed');
      if (running) throw new Error('a turn is running');
      const { controller, end } = startRun();
      try {
        const { runUserShell } = await import('./user-shell.js');
        const result = await runUserShell(command, await toolDeps(controller.signal));
        if (result.forModel) pendingContext.push(result.forModel);
        return result;
      } finally {
        end();
      }
    },
    addContext(text) {
      pendingContext.push({ type: 'text', text });
    },
    get title() {
      return title;
    },
    get messages() {
      return conversation.messages;
    },
    turns: () => turns.turns(),
    async rewind(to, what) {
      if (closed) throw new Error('the session is closed');
      if (running) throw new Error('a turn is running');
      return turns.rewind(to, what, {
        conversation,
        confirm: options.frontEnd.askPermission ? (r) => options.frontEnd.askPermission!(r) : undefined,
        forgetReads: () => runtime.toolContext.readFiles.clear(),
      });
    },
    interrupt() {
      running?.abort();
    },
    async compact(focus) {
      if (closed) throw new Error('the session is closed');
      if (running) throw new Error('a turn is running');
      const { controller, end } = startRun();
      try {
        const outcome = await compactNow(runtime, [...toolSpecs, ...(mcp?.specs() ?? [])], conversation, {
          signal: controller.signal,
          frontEnd,
          manual: true,
          focus,
          onRetry: (notice) => frontEnd.emit({ type: 'retrying', notice }),
          onNotice: (text) => frontEnd.emit({ type: 'notice', text }),
          onCompaction: (c) => transcript.appendCompaction(c.summary, c.kept, c.compacted),
        });
        return outcome !== undefined;
      } catch (err) {
        // Esc / interrupt(): the conversation is unchanged (it is replaced only once the summary is complete).
        if (controller.signal.aborted) throw new Error('compaction interrupted; the conversation is unchanged');
        throw err;
      } finally {
        end();
      }
    },
    setModel(id) {
      runtime.modelId = id;
    },
    async context() {
      const { window } = await modelLimits(runtime);
      return contextBreakdown({ modelId: runtime.modelId, window, system: runtime.system, tools: toolSpecs, conversation });
    },
    setPermissionMode(mode) {
      if (!policy.setMode) throw new Error('this permission policy cannot change modes');
      policy.setMode(mode);
    },
    async clear() {
      if (closed) throw new Error('the session is closed');
      if (running) throw new Error('a turn is running');
      await hooks?.sessionEnd('clear');
      await transcript.close();
      sessionId = randomUUID();
      conversation = new Conversation();
      pendingContext = [];
      turns.reset();
      title = undefined;
      titling = undefined;
      transcript = new TranscriptWriter(transcriptPath(config.env, cwd, sessionId), sessionId, cwd);
      hooksStarting = hooks?.sessionStart('clear');
      // What the model read before is not in the new conversation: Edit must read files again.
      runtime.toolContext.readFiles.clear();
    },
    async close(reason = 'other') {
      if (closed) return;
      closed = true;
      running?.abort();
      // Its tools stop on the abort; until they have, one may still write to (or re-create) the scratch dir.
      await Promise.race([runEnded, new Promise((r) => setTimeout(r, RUN_END_GRACE_MS).unref())]);
      try {
        // A title still on its way gets a moment, never more (exit is not held up by it).
        if (titling) {
          const t = titling;
          await Promise.race([t.done, new Promise((r) => setTimeout(r, TITLE_GRACE_MS).unref())]);
          t.abort.abort();
        }
        await hooksStarting;
        await hooks?.sessionEnd(reason);
        // Background shells end with the session (nothing could read them later).
        if (toolsLoading) await import('../tools/background-shells.js').then((m) => m.disposeBackgroundShells({ shell })).catch(() => undefined);
        await mcp?.close();
        await transcript.close();
        await monitor.close();
      } finally {
        // Whatever failed above, the scratch dir goes.
        await removeScratchDir(scratchDir);
      }
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
  const load = () => (runner ??= import('../sandbox/for-config.js').then(({ sandboxRunnerFor }) => sandboxRunnerFor(config, policy, scratchDir)));
  return { prepare: async (...args) => (await load()).prepare(...args) };
}
