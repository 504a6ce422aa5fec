/**
 * The interactive terminal UI over one session. Loaded only when the UI opens (ink and React
 * are never on the path of --version, --help or print mode).
 */
import { render } from 'ink';
import type { FrontEnd } from '../../agent/events.js';
import type { Config } from '../../config/types.js';
import type { Session } from '../../session/create.js';
import { App } from './app.js';
import { TuiController } from './controller.js';
import { historyFile, PromptHistory } from './history.js';
import { StatusCommand } from './status-command.js';
import { TuiStore } from './store.js';
import { childEnvForConfig } from '../../util/child-env.js';
import { colorEnabled, makeStyle } from './style.js';

export interface TuiOptions {
  config: Config;
  version: string;
  warnings: string[];
  /** Makes the session once the UI can receive its events. */
  createSession(frontEnd: FrontEnd): Promise<Session>;
  /** `bcode "task"`: submitted as soon as the UI is up. */
  initialPrompt?: string;
  resumed: boolean;
}

/** Runs the UI until the person quits; returns the exit code. */
export async function runTui(o: TuiOptions): Promise<number> {
  const { config } = o;
  const stdout = process.stdout;
  const style = makeStyle(colorEnabled(process.env, stdout.isTTY === true));
  const history = new PromptHistory(historyFile(config.env, config.projectRoot || config.cwd));
  const made: { session?: Session } = {};
  const usageOf = () => made.session?.usage ?? { totalCostUsd: 0, total: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } };
  const store = new TuiStore(
    style,
    config.cwd,
    usageOf,
    { model: config.models.main.id, region: config.region, mode: 'default' },
    { width: stdout.columns || 80, rows: stdout.rows || 24 },
    history.entries.length,
  );
  const session = await o.createSession({ emit: store.emit, askPermission: (request) => store.askPermission(request) });
  made.session = session;
  store.setMode(session.policy.mode);

  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const ctl = new TuiController(session, store, history, config, o.version, () => quit());

  const s = style;
  store.commit([`${s.bold('bcode')} ${s.dim(o.version)} ${s.dim('·')} ${s.dim(config.cwd)}`, s.dim('/help for commands and keys · Esc interrupts · Ctrl-C twice quits')]);
  store.flush();
  if (o.resumed) store.info(`Resumed session ${session.id}`);
  for (const w of o.warnings) store.info(`warning: ${w}`, 'yellow');

  const statusCommand = makeStatusCommand(config, o.version, session, store);
  const stopPoking = statusCommand ? store.subscribe(() => statusCommand.poke()) : undefined;
  statusCommand?.poke();

  const onTerm = () => quit();
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onTerm);
  const ink = render(<App ctl={ctl} />, { exitOnCtrlC: false, patchConsole: false, maxFps: 30 });
  try {
    if (o.initialPrompt && o.initialPrompt.trim() !== '') ctl.submit(o.initialPrompt);
    await quitting;
    if (ctl.running) {
      session.interrupt();
      await ctl.running;
    }
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onTerm);
    stopPoking?.();
    statusCommand?.close();
    await session.close();
    store.info(`Session ${session.id} · resume it with: bcode -r ${session.id}`);
    ink.unmount();
    await ink.waitUntilExit();
  }
  return 0;
}

/** The `statusLine` setting's command, told the session as the reference product documents it. */
function makeStatusCommand(config: Config, version: string, session: Session, store: TuiStore): StatusCommand | undefined {
  const setting = config.settings.statusLine as { type?: unknown; command?: unknown; padding?: number } | undefined;
  if (!setting || setting.type !== 'command' || typeof setting.command !== 'string' || setting.command.trim() === '') return undefined;
  return new StatusCommand({
    command: setting.command,
    cwd: config.cwd,
    env: childEnvForConfig(config),
    input: () => {
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
