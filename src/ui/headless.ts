/**
 * The Agent SDK's headless protocol: `--input-format stream-json --output-format stream-json`.
 *
 * The host (an app built on `@anthropic-ai/claude-agent-sdk`) writes JSON lines to stdin — user
 * messages, `control_request`s (initialize, interrupt, set_permission_mode, set_model) and
 * `control_response`s to the requests bcode sends it (`can_use_tool`) — and reads the
 * stream-json messages of print mode from stdout. One process serves one session: every user
 * message is one turn on it, in arrival order, and each turn ends with its `result` line.
 * Control requests are answered as they arrive, also while a turn runs. The notes on the wire
 * format are in docs/agent.md ("Headless protocol").
 *
 * Section order as in the other front ends: types, the front end, the helpers.
 */
import { randomUUID } from 'node:crypto';
import { failedBeforeStart, type AgentEvent, type FrontEnd, type PermissionReply, type PermissionRequest, type RunResult } from '../agent/events.js';
import type { PermissionMode } from '../permissions/types.js';
import { isApiError, resultObject, writeLine, type PrintStreams } from './output.js';
import { StreamJsonRenderer } from './print-stream-json.js';
import { parseAgentDefinitions, type AgentDefinition } from '../extensions/agents/discover.js';
import type { ExpandedCommand } from '../session/create.js';
import type { ConfiguredHook } from '../extensions/hooks/types.js';
import { sdkCallbackHooks } from '../extensions/hooks/sdk-callback-hooks.js';
import { SdkControlTransport, type SdkTransportFactory } from '../extensions/mcp/sdk-transport.js';

/** What the protocol needs of a session (src/session/create.ts's Session). */
export interface HeadlessSession {
  readonly id: string;
  submit(prompt: string, options?: { maxTurns?: number; command?: Omit<ExpandedCommand, 'prompt'> }): Promise<RunResult & { error?: unknown }>;
  /** A custom command's prompt (`/name args`), or undefined when no custom command has that name. */
  expandCommand?(line: string): Promise<ExpandedCommand | undefined>;
  interrupt(): void;
  setModel(modelId: string): void;
  setPermissionMode(mode: PermissionMode): void;
  /** The session's MCP servers and their state (`mcp_status`). */
  mcpServers?(): Array<{ name: string; status: string; error?: string; tools: string[]; serverInfo?: { name: string; version: string } }>;
  /** A `can_use_tool` answer's `updatedPermissions` (the SDK's PermissionUpdate list); throws a BcodeError when one cannot be applied. */
  applyPermissionUpdates?(updates: unknown[]): Promise<void>;
  close(): Promise<void>;
}

/** What the host's initialize (and set_* requests before the first turn) decide about the session. */
export interface SessionInit {
  systemPrompt?: string;
  appendSystemPrompt?: string;
  permissionMode?: PermissionMode;
  /** The SDK's `agents` option: custom sub-agents (over --agents and the files of the same name). */
  agents?: AgentDefinition[];
  /** The app's hook callbacks (`options.hooks`), each answered through a `hook_callback` request. */
  sdkHooks?: ConfiguredHook[];
  /** The app's in-process MCP servers (`createSdkMcpServer`) by name, and how to reach them. */
  sdkMcpServers?: string[];
  sdkMcpTransport?: SdkTransportFactory;
  /** The app's other MCP servers (`mcpServers` of initialize): as if given with --mcp-config. */
  mcpServers?: Record<string, unknown>;
}

/** What initialize lists (the SDK's SlashCommand, AgentInfo and ModelInfo shapes). */
export interface InitializeLists {
  commands: Array<{ name: string; description: string; argumentHint: string }>;
  agents: Array<{ name: string; description: string; model?: string }>;
  models: Array<{ value: string; resolvedModel?: string; displayName: string; description: string }>;
}

export interface HeadlessOptions {
  io: PrintStreams;
  version: string;
  includePartialMessages: boolean;
  /** `--replay-user-messages`: each user message is echoed on stdout before its turn. */
  replayUserMessages: boolean;
  /** `--permission-prompt-tool stdio`: permission questions go to the host as `can_use_tool` requests. */
  askHost: boolean;
  maxTurns?: number;
  /** Made once, when the first user message arrives (after the host's initialize, whose system prompt it needs). */
  createSession(frontEnd: FrontEnd, init: SessionInit): Promise<HeadlessSession>;
  /** A `set_model` value (alias, id, `default` or null) → the model id to send; throws a BcodeError when it is not a model. */
  resolveModel(model: string | null | undefined): string;
  /** The commands, agents and models initialize lists, with the app's own agents (`agents` of initialize) among them. */
  describe(agents: readonly AgentDefinition[]): Promise<InitializeLists>;
  /** Where a protocol problem is told (stderr). */
  warn(message: string, hint?: string): void;
}

const MODES: readonly PermissionMode[] = ['default', 'acceptEdits', 'plan', 'bypassPermissions'];

interface UserLine {
  text: string;
  raw: Record<string, unknown>;
  uuid?: string;
  /** Content bcode cannot send (images, documents): the turn is refused, not run without them. */
  unsupported?: string;
}

/** A request bcode sent the host, waiting for its control_response. */
interface Pending {
  /** The host's `response` object of a success answer. */
  resolve(response: Record<string, unknown>): void;
  /** An error answer, or nobody will answer any more. */
  reject(error: Error): void;
}

/**
 * Runs the protocol until stdin ends and the last queued turn is done. Returns the exit code:
 * 0, or 2 when the input was not the protocol (a line that is not a JSON object).
 */
export async function runHeadlessProtocol(lines: AsyncIterable<string>, options: HeadlessOptions): Promise<number> {
  const { io } = options;
  const out = (o: Record<string, unknown>) => writeLine(io.stdout, JSON.stringify(o));
  const renderer = new StreamJsonRenderer(io, { includePartialMessages: options.includePartialMessages, version: options.version });
  const init: SessionInit = {};
  let initialized = false;
  let pendingModel: string | undefined;
  let session: HeadlessSession | undefined;
  let sessionMaking: Promise<HeadlessSession> | undefined;
  /** An initialize the run cannot honour (bad `agents`): the first turn ends the run with it. */
  let initError: unknown;
  let inputOpen = true;
  let exitCode = 0;
  const queue: UserLine[] = [];
  const outgoing = new Map<string, Pending>();
  /** The live connections to the app's in-process MCP servers, by server name. */
  const mcpTransports = new Map<string, SdkControlTransport>();

  const frontEnd: FrontEnd = {
    emit(event: AgentEvent) {
      // The result is written here in the SDK's shape; everything else is print mode's stream-json.
      if (event.type === 'done') {
        renderer.failedCallAnswer(event.result);
        out(sdkResult(event.result, renderer.timings()));
      } else renderer.emit(event);
    },
    askPermission: options.askHost ? (request) => askHost(request) : undefined,
  };

  /** Sends a control request to the host; resolves with its answer's `response`, rejects on an error answer. */
  function requestHost(request: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, unknown>> {
    if (!inputOpen) return Promise.reject(new Error('the host closed its input, so nobody can answer'));
    const requestId = randomUUID();
    out({ type: 'control_request', request_id: requestId, request });
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (!outgoing.delete(requestId)) return;
        out({ type: 'control_cancel_request', request_id: requestId });
        reject(new Error('cancelled'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      outgoing.set(requestId, {
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
    });
  }

  async function askHost(request: PermissionRequest): Promise<PermissionReply> {
    const rules = request.suggestedRules ?? (request.suggestedRule ? [request.suggestedRule] : []);
    let result: Record<string, unknown>;
    try {
      result = await requestHost({
        subtype: 'can_use_tool',
        tool_name: request.toolName,
        input: request.input,
        tool_use_id: request.toolUseId ?? '',
        description: request.description,
        // "Always allow": the narrowest rules that would allow this call, saved where the reference saves them.
        ...(rules.length > 0 ? { permission_suggestions: [{ type: 'addRules', rules: rules.map(ruleValue), behavior: 'allow', destination: 'localSettings' }] } : {}),
      });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return { decision: 'deny', feedback: why === 'the turn was interrupted' || why.startsWith('the host closed') ? why : `the host could not decide: ${why}` };
    }
    if (result.behavior === 'allow') {
      if (Array.isArray(result.updatedPermissions) && result.updatedPermissions.length > 0) {
        // Applied before the call runs, so the next call of the turn already sees them.
        try {
          await session?.applyPermissionUpdates?.(result.updatedPermissions);
        } catch (err) {
          options.warn(`the host's updatedPermissions were not applied: ${err instanceof Error ? err.message : String(err)}`, (err as { hint?: string }).hint);
        }
      }
      return { decision: 'allow', ...(result.updatedInput !== undefined ? { updatedInput: result.updatedInput } : {}) };
    }
    // The host's "deny and stop": the rest of the turn would only ask again.
    if (result.interrupt === true) session?.interrupt();
    return { decision: 'deny', feedback: typeof result.message === 'string' && result.message !== '' ? result.message : undefined };
  }

  /** Questions nobody will answer any more (interrupt, end of input) are declined. */
  function settleOutgoing(feedback: string, cancel: boolean): void {
    for (const [id, p] of outgoing) {
      if (cancel) out({ type: 'control_cancel_request', request_id: id });
      p.reject(new Error(feedback));
    }
    outgoing.clear();
  }

  function onControlResponse(msg: Record<string, unknown>): void {
    const response = asObject(msg.response);
    const id = typeof response?.request_id === 'string' ? response.request_id : undefined;
    const pending = id !== undefined ? outgoing.get(id) : undefined;
    if (!pending || id === undefined) {
      options.warn(`a control_response answers no request of bcode's (request_id ${JSON.stringify(id ?? null)}); ignored`);
      return;
    }
    outgoing.delete(id);
    if (response?.subtype !== 'success') pending.reject(new Error(typeof response?.error === 'string' ? response.error : 'error'));
    else pending.resolve(asObject(response.response) ?? {});
  }

  async function onControlRequest(msg: Record<string, unknown>): Promise<void> {
    const requestId = typeof msg.request_id === 'string' ? msg.request_id : '';
    const request = asObject(msg.request) ?? {};
    const subtype = typeof request.subtype === 'string' ? request.subtype : '';
    const success = (response: Record<string, unknown> = {}) => out({ type: 'control_response', response: { subtype: 'success', request_id: requestId, response } });
    const failure = (error: string) => out({ type: 'control_response', response: { subtype: 'error', request_id: requestId, error } });
    try {
      switch (subtype) {
        case 'initialize': {
          if (initialized || session || sessionMaking) return failure('bcode: the session is already initialized');
          const refused = unsupportedInitialize(request);
          if (refused) return failure(refused);
          let hooks: ReturnType<typeof sdkCallbackHooks>;
          try {
            hooks = sdkCallbackHooks(request.hooks, (callbackId, input, toolUseId, signal) =>
              requestHost({ subtype: 'hook_callback', callback_id: callbackId, input, ...(toolUseId !== undefined ? { tool_use_id: toolUseId } : {}) }, signal),
            );
          } catch (err) {
            // The app must not run without the hooks it registered (a guard that never fires).
            initError = err;
            return failure(`bcode: ${err instanceof Error ? err.message : String(err)}`);
          }
          for (const note of hooks.notes) options.warn(`warning: ${note}`);
          if (hooks.hooks.length > 0) init.sdkHooks = hooks.hooks;
          const sdkServers = Array.isArray(request.sdkMcpServers) ? request.sdkMcpServers.filter((n): n is string => typeof n === 'string' && n !== '') : [];
          if (sdkServers.length > 0) {
            init.sdkMcpServers = sdkServers;
            init.sdkMcpTransport = (name) => {
              if (!sdkServers.includes(name)) return undefined;
              const t = new SdkControlTransport(name, (server, message) => requestHost({ subtype: 'mcp_message', server_name: server, message }).then((r) => r.mcp_response), () => {
                if (mcpTransports.get(name) === t) mcpTransports.delete(name);
              });
              mcpTransports.set(name, t);
              return t;
            };
          }
          const others = asObject(request.mcpServers);
          if (others && Object.keys(others).length > 0) init.mcpServers = others;
          initialized = true;
          const prompts = Array.isArray(request.systemPrompt) ? request.systemPrompt.filter((s): s is string => typeof s === 'string') : [];
          // The SDK sends [""] when the app gave no system prompt: bcode's own prompt is kept then.
          if (prompts.some((s) => s.trim() !== '')) init.systemPrompt = prompts.join('\n\n');
          if (typeof request.appendSystemPrompt === 'string' && request.appendSystemPrompt !== '') init.appendSystemPrompt = request.appendSystemPrompt;
          if (asObject(request.agents) && Object.keys(request.agents as object).length > 0) {
            try {
              init.agents = parseAgentDefinitions(request.agents, 'the agents option');
            } catch (err) {
              // The SDK goes on after a failed initialize: the run must not go on without the agents.
              initError = err;
              return failure(`bcode: ${err instanceof Error ? err.message : String(err)}`);
            }
          }
          const lists = await options.describe(init.agents ?? []);
          return success({
            commands: lists.commands,
            agents: lists.agents,
            // bcode has no output styles: the one it has is the default.
            output_style: 'default',
            available_output_styles: ['default'],
            models: lists.models,
            account: { apiProvider: 'bedrock' },
            pid: process.pid,
            hooks_applied: true,
            hook_on_failure_supported: true,
            ...(init.mcpServers ? { mcp_servers_applied: true } : {}),
            // The version of the process that runs the turns: bcode's own.
            claude_code_version: options.version,
          });
        }
        case 'interrupt': {
          settleOutgoing('the turn was interrupted', true);
          session?.interrupt();
          return success({ still_queued: queue.map((q) => q.uuid).filter((u): u is string => u !== undefined) });
        }
        case 'set_permission_mode': {
          const mode = request.mode;
          if (typeof mode !== 'string' || !(MODES as readonly string[]).includes(mode)) {
            return failure(`bcode: permission mode ${JSON.stringify(mode ?? null)} is not supported (bcode has ${MODES.join(', ')})`);
          }
          if (session) session.setPermissionMode(mode as PermissionMode);
          else init.permissionMode = mode as PermissionMode;
          return success({ mode });
        }
        case 'set_model': {
          const model = typeof request.model === 'string' ? request.model : null;
          const id = options.resolveModel(model);
          if (session) session.setModel(id);
          else pendingModel = id;
          return success({});
        }
        case 'mcp_status': {
          // Before the first turn there is no session yet: its servers are not started.
          const states = session?.mcpServers?.() ?? [];
          return success({
            mcpServers: states.map((st) => ({
              name: st.name,
              status: st.status,
              ...(st.serverInfo ? { serverInfo: st.serverInfo } : {}),
              ...(st.error ? { error: st.error } : {}),
              tools: st.tools.map((name) => ({ name })),
            })),
          });
        }
        case 'mcp_message': {
          // A message the app's server starts itself (a list change, a log line) for bcode's client.
          const name = typeof request.server_name === 'string' ? request.server_name : '';
          const t = mcpTransports.get(name);
          if (!t) return failure(`bcode: no connection to an in-process MCP server named ${JSON.stringify(name)}`);
          t.deliver(request.message);
          return success({});
        }
        default:
          return failure(`bcode: unsupported control request subtype: ${subtype || '(none)'}`);
      }
    } catch (err) {
      return failure(err instanceof Error ? `bcode: ${err.message}` : String(err));
    }
  }

  async function ensureSession(): Promise<HeadlessSession> {
    if (session) return session;
    sessionMaking ??= options.createSession(frontEnd, { ...init }).then((s) => {
      if (pendingModel !== undefined) s.setModel(pendingModel);
      session = s;
      return s;
    });
    return sessionMaking;
  }

  async function runTurn(line: UserLine): Promise<void> {
    await initializing;
    if (initError) {
      // Each turn fails with the reason, as a result the app reads (no session is made without the agents).
      out(sdkResult(failedBeforeStart(randomUUID(), [`bcode: ${initError instanceof Error ? initError.message : String(initError)}`])));
      return;
    }
    const s = await ensureSession();
    if (options.replayUserMessages) out({ ...line.raw, session_id: s.id, parent_tool_use_id: null, uuid: line.uuid ?? randomUUID(), isReplay: true });
    if (line.unsupported) {
      out(sdkResult(failedBeforeStart(s.id, [line.unsupported])));
      return;
    }
    let command: ExpandedCommand | undefined;
    if (line.text.trimStart().startsWith('/') && s.expandCommand) {
      try {
        command = await s.expandCommand(line.text);
      } catch (err) {
        // A refused !-line ends this turn with the reason; the session goes on.
        const hint = (err as { hint?: unknown }).hint;
        out(sdkResult(failedBeforeStart(s.id, [`bcode: ${err instanceof Error ? err.message : String(err)}${typeof hint === 'string' ? ` (hint: ${hint})` : ''}`])));
        return;
      }
    }
    await s.submit(command?.prompt ?? line.text, { maxTurns: options.maxTurns, command });
  }

  // Turns run one after another; the reader goes on reading (control requests) meanwhile.
  let turns: Promise<void> = Promise.resolve();
  let fatal: unknown;
  const enqueue = (line: UserLine) => {
    queue.push(line);
    turns = turns.then(async () => {
      const next = queue.shift();
      if (!next || fatal) return;
      try {
        await runTurn(next);
      } catch (err) {
        // A session that cannot be made (bad --resume id, configuration) ends the run.
        fatal = err;
      }
    });
  };

  const controls: Array<Promise<void>> = [];
  let initializing: Promise<void> | undefined;
  let lineNo = 0;
  for await (const text of lines) {
    lineNo++;
    if (text.trim() === '') continue;
    let msg: Record<string, unknown> | undefined;
    try {
      msg = asObject(JSON.parse(text));
    } catch {
      msg = undefined;
    }
    if (!msg) {
      options.warn(`stdin line ${lineNo} is not a JSON object`, 'with --input-format stream-json every line is one message: {"type":"user","message":{"role":"user","content":"…"}}');
      exitCode = 2;
      break;
    }
    switch (msg.type) {
      case 'user': {
        const user = userLine(msg);
        if (typeof user === 'string') {
          options.warn(`stdin line ${lineNo}: ${user}`, 'a user message is {"type":"user","message":{"role":"user","content":"…"}}');
          exitCode = 2;
          break;
        }
        enqueue(user);
        continue;
      }
      case 'control_request': {
        const answering = onControlRequest(msg);
        controls.push(answering);
        // The first turn starts after the initialize answer is out (it reads the commands and agents first).
        if (asObject(msg.request)?.subtype === 'initialize') initializing ??= answering;
        continue;
      }
      case 'control_response':
        onControlResponse(msg);
        continue;
      case 'control_cancel_request':
      case 'keep_alive':
        // bcode answers every request at once, so there is nothing to withdraw.
        continue;
      default:
        options.warn(`stdin line ${lineNo}: message type ${JSON.stringify(msg.type ?? null)} is not supported; ignored`);
        continue;
    }
    break;
  }
  inputOpen = false;
  settleOutgoing('the host closed its input, so nobody can answer', false);
  if (exitCode !== 0) session?.interrupt();
  await Promise.all(controls);
  await turns;
  await (session ?? (await sessionMaking?.catch(() => undefined)))?.close();
  if (fatal) throw fatal;
  return exitCode;
}

/** The parts of an initialize bcode cannot honour: refused, so the app does not run without them unknowingly. */
function unsupportedInitialize(request: Record<string, unknown>): string | undefined {
  if (request.jsonSchema !== undefined) return 'bcode: structured output (outputFormat json_schema) is not supported yet';
  return undefined;
}

/** A user line's text. Returns what is wrong when the line is not a user message. */
function userLine(msg: Record<string, unknown>): UserLine | string {
  const message = asObject(msg.message);
  if (!message) return 'a user message has no "message" object';
  const uuid = typeof msg.uuid === 'string' ? msg.uuid : undefined;
  const content = message.content;
  if (typeof content === 'string') return { text: content, raw: msg, uuid };
  if (!Array.isArray(content)) return 'a user message\'s "content" must be a string or an array of content blocks';
  const texts: string[] = [];
  const other = new Set<string>();
  for (const block of content) {
    const b = asObject(block);
    if (b?.type === 'text' && typeof b.text === 'string') texts.push(b.text);
    else other.add(typeof b?.type === 'string' ? b.type : 'unknown');
  }
  const unsupported = other.size > 0 ? `bcode does not support ${[...other].join(', ')} content in user messages yet; send text` : undefined;
  return { text: texts.join('\n'), raw: msg, uuid, unsupported };
}

/**
 * print mode's result object, in the SDK's declared shape: the SDK knows no `interrupted`
 * subtype (an interrupted turn is `error_during_execution`), and error results always carry
 * `errors`.
 */
export function sdkResult(result: RunResult, timings?: Record<string, number>): Record<string, unknown> {
  const o = resultObject(result, randomUUID(), timings);
  if (result.subtype === 'interrupted') {
    o.subtype = 'error_during_execution';
    o.is_error = true;
    o.terminal_reason = 'aborted_streaming';
    o.errors = result.errors?.length ? result.errors : ['the turn was interrupted'];
  } else if (result.subtype !== 'success' && !isApiError(result)) {
    o.errors = result.errors ?? [];
  }
  return o;
}

/** `Bash(npm test:*)` → { toolName: 'Bash', ruleContent: 'npm test:*' }; `Read` → { toolName: 'Read' }. */
function ruleValue(rule: string): { toolName: string; ruleContent?: string } {
  const m = /^([^(]+)\((.*)\)$/s.exec(rule);
  return m ? { toolName: m[1]!, ruleContent: m[2]! } : { toolName: rule };
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
