/**
 * The interactive terminal UI over one session. Loaded only when the UI opens (ink and React
 * are never on the path of --version, --help or print mode).
 */
import { render } from 'ink';
import type { FrontEnd } from '../../agent/events.js';
import type { Config } from '../../config/types.js';
import type { Session } from '../../session/create.js';
import { App } from './app.js';
import { layoutReady } from './layout-ready.js';
import { TuiController } from './controller.js';
import { historyFile, PromptHistory } from './history.js';
import { StatusCommand } from './status-command.js';
import { contextWindowOf } from '../../agent/context-window.js';
import { TuiStore } from './store.js';
import { childEnvForConfig } from '../../util/child-env.js';
import { colorEnabled, makeStyle } from './style.js';
import type { TrustQuestion } from '../../extensions/hooks/index.js';
import { askTrustInUi } from './trust-prompt.js';
import { askMcpApprovalInUi } from './mcp-approval-prompt.js';
import { TerminalView } from './terminal-view.js';
import { quietStdout } from './quiet-stdout.js';
import type { AskMcpApproval } from '../../extensions/mcp/project-approval.js';
import type { EarlyInput } from './early-box.js';
import { insert } from './editor.js';

export interface TuiOptions {
  config: Config;
  version: string;
  warnings: string[];
  /**
   * Makes the session once the UI can receive its events; with `resumeId`, that earlier session
   * (/resume). `askTrust` asks the folder-trust question inside the UI, `askMcpApproval` the
   * question about each new MCP server of the project's .mcp.json.
   */
  createSession(frontEnd: FrontEnd, how: { resumeId?: string; askTrust?: (q: TrustQuestion) => Promise<boolean>; askMcpApproval?: AskMcpApproval }): Promise<Session>;
  /** `bcode "task"`: submitted as soon as the UI is up. */
  initialPrompt?: string;
  resumed: boolean;
  /** Called once, when the session is made and the UI has been idle a moment (the launcher then writes its code cache). */
  started?: () => void;
  /** The launcher's early input box: erased by the first frame, its keys handed to the UI. */
  early?: EarlyInput;
}

/** How long after the session is ready the UI counts as started and idle. */
const STARTED_AFTER_MS = 1000;

/**
 * Runs the UI until the person quits; returns the exit code. The input box is drawn and takes
 * keys first; the session (credentials, extensions, hooks, the trust question) is made behind
 * it, and what is typed meanwhile waits for it. A session that cannot be made takes the UI down
 * (its lines erased) and its error goes to the caller, as one line and a hint.
 */
export async function runTui(o: TuiOptions): Promise<number> {
  const { config } = o;
  const stdout = process.stdout;
  // Keys typed before ink reads them stay keys (see src/cli/interactive-main.ts); ink turns raw mode off when it ends.
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  const style = makeStyle(colorEnabled(process.env, stdout.isTTY === true));
  const history = new PromptHistory(historyFile(config.env, config.projectRoot || config.cwd));
  const made: { session?: Session } = {};
  const usageOf = () => made.session?.usage ?? { totalCostUsd: 0, total: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } };
  const store = new TuiStore(
    style,
    config.cwd,
    usageOf,
    { model: config.models.main.id, region: config.region, mode: config.permissions.defaultMode ?? 'default' },
    { width: stdout.columns || 80, rows: stdout.rows || 24 },
    history.entries.length,
  );
  store.contextWindowOf = (id) => contextWindowOf(id, id === config.models.main.id && config.models.main.longContext === true);
  const frontEnd: FrontEnd = { emit: store.emit, askPermission: (request) => store.askPermission(request) };

  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  // Started once the first frame is out (below): until then nothing competes with drawing it.
  let startSession!: () => void;
  const sessionStarted = new Promise<void>((resolve) => (startSession = resolve));
  const first = sessionStarted.then(() => o.createSession(frontEnd, { askTrust: (q) => askTrustInUi(store, q), askMcpApproval: (q) => askMcpApprovalInUi(store, q) }));
  const ctl = new TuiController(first, store, history, config, o.version, () => quit(), async (id) => {
    const next = await o.createSession(frontEnd, { resumeId: id, askTrust: (q) => askTrustInUi(store, q), askMcpApproval: (q) => askMcpApprovalInUi(store, q) });
    made.session = next;
    return next;
  });

  const s = style;
  store.commit([`${s.bold('bcode')} ${s.dim(o.version)} ${s.dim('·')} ${s.dim(config.cwd)}`, s.dim('/help for commands and keys · Esc interrupts · Ctrl-C twice quits')]);
  store.flush();
  for (const w of o.warnings) store.info(`warning: ${w}`, 'yellow');

  const onTerm = () => quit();
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onTerm);
  await layoutReady;
  const early = o.early?.handOver();
  // The first frame shows the early box's text as it was; the keys it did not apply follow (app.tsx).
  if (early?.text) store.setInput(insert(store.current.input, early.text));
  let view: TerminalView;
  const ink = (() => {
    try {
      // The view draws its first frame now: the early box's erase goes in front of it (early-box.ts).
      view = new TerminalView(store, stdout);
      return render(<App ctl={ctl} earlyKeys={early?.keys} />, { stdout: quietStdout(stdout), exitOnCtrlC: false, patchConsole: false, maxFps: 30 });
    } finally {
      early?.finish();
    }
  })();
  setImmediate(startSession);
  if (o.initialPrompt && o.initialPrompt.trim() !== '') ctl.submit(o.initialPrompt);

  let session: Session;
  try {
    session = await Promise.race([ctl.ready, quitting.then(() => undefined)]) ?? (await quitBeforeStart(ctl, store));
  } catch (err) {
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onTerm);
    // The terminal as it was: the drawn lines go, then the error is reported by the caller.
    view.clear();
    ink.unmount();
    await ink.waitUntilExit();
    throw err;
  }
  made.session = session;
  const startedTimer = o.started ? setTimeout(o.started, STARTED_AFTER_MS).unref() : undefined;
  if (o.resumed) {
    store.info(`Resumed session ${session.title ? `"${session.title}" ` : ''}${session.id}`);
    ctl.showHistory();
  }
  const statusCommand = makeStatusCommand(config, o.version, () => ctl.current, store);
  const stopPoking = statusCommand ? store.subscribe(() => statusCommand.poke()) : undefined;
  statusCommand?.poke();
  try {
    await quitting;
    if (ctl.running) {
      ctl.current.interrupt();
      await ctl.running;
    }
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onTerm);
    clearTimeout(startedTimer);
    stopPoking?.();
    statusCommand?.close();
    // SessionEnd hooks hear that the person left.
    await ctl.current.close('prompt_input_exit');
    store.info(`Session ${ctl.current.id} · resume it with: bcode -r ${ctl.current.id}`);
    view.close();
    ink.unmount();
    await ink.waitUntilExit();
  }
  return 0;
}

/** Quit while the session was still being made: an open trust question is answered no, and the session is waited for (to close it properly). */
async function quitBeforeStart(ctl: TuiController, store: TuiStore): Promise<Session> {
  store.current.picker?.cancel();
  return ctl.ready;
}

/** The `statusLine` setting's command, told the session as the reference product documents it. */
function makeStatusCommand(config: Config, version: string, current: () => Session, store: TuiStore): StatusCommand | undefined {
  const setting = config.settings.statusLine as { type?: unknown; command?: unknown; padding?: number } | undefined;
  if (!setting || setting.type !== 'command' || typeof setting.command !== 'string' || setting.command.trim() === '') return undefined;
  return new StatusCommand({
    command: setting.command,
    cwd: config.cwd,
    env: childEnvForConfig(config),
    input: () => {
      const session = current();
      const st = store.current.status;
      return {
        hook_event_name: 'Status',
        session_id: session.id,
        cwd: config.cwd,
        model: { id: session.modelId, display_name: session.modelId },
        workspace: { current_dir: config.cwd, project_dir: config.projectRoot || config.cwd },
        version,
        permission_mode: st.mode,
        cost: { total_cost_usd: session.usage.totalCostUsd },
      };
    },
    // `padding`: columns left free before the line (the reference's setting; 0 = at the edge).
    onLine: (line) => store.setCustomStatus(line === undefined ? undefined : `${' '.repeat(setting.padding ?? 0)}${line}`),
  });
}
