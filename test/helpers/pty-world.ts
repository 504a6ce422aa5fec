/**
 * The world a UI test runs bcode in: a temp dir holding an isolated HOME, a project folder, the
 * managed-settings folder and bcode's TMPDIR, and an emulator playing the test's scenario. The
 * after-each that goes with it ends the UI run (bcode killed, no full-screen clear allowed, its
 * temp dir gone) and closes the emulator, so each test file registers it once.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import { startEmulator, TEST_CREDENTIALS, type EmulatorHandle, type Scenario } from '../../src/emulator/index.js';
import { endUiRun, ptyBedrockEnv, PtyCli } from './pty.js';
import { makeTempDir } from './temp.js';

export interface PtyWorld {
  root: string;
  home: string;
  project: string;
  managed: string;
  emulator: EmulatorHandle;
  /** The environment bcode gets: Bedrock on the emulator, the isolated HOME, TMPDIR in root. */
  env: Record<string, string>;
  /** Starts bcode in the project, in a pseudo-terminal; the after-each ends it. */
  open(o?: { args?: string[]; cols?: number; rows?: number; env?: Record<string, string> }): PtyCli;
}

export interface PtyWorldOptions {
  scenario: Scenario;
  /** Added to (or overriding) the environment. */
  env?: Record<string, string>;
  /** Make the project a git repository (default: yes). */
  git?: boolean;
  cols?: number;
  rows?: number;
}

/** Registers the after-each for this test file; returns the setup each test calls. */
export function ptyWorlds(prefix: string): (o: PtyWorldOptions) => Promise<PtyWorld> {
  let emulator: EmulatorHandle | undefined;
  let cli: PtyCli | undefined;
  afterEach(async () => {
    await endUiRun(cli);
    cli = undefined;
    await emulator?.close();
    emulator = undefined;
  });
  return async (o) => {
    const root = makeTempDir(prefix);
    const home = path.join(root, 'home');
    const project = path.join(root, 'project');
    const managed = path.join(root, 'managed');
    mkdirSync(home);
    mkdirSync(managed);
    mkdirSync(o.git === false ? project : path.join(project, '.git'), { recursive: true });
    const emu = await startEmulator({ scenario: o.scenario });
    emulator = emu;
    const env = { ...ptyBedrockEnv(emu.url, home, managed, TEST_CREDENTIALS[0]!), TMPDIR: root, ...o.env };
    const open: PtyWorld['open'] = (run = {}) =>
      (cli = new PtyCli({ cwd: project, env: { ...env, ...run.env }, args: run.args, cols: run.cols ?? o.cols, rows: run.rows ?? o.rows }));
    return { root, home, project, managed, emulator: emu, env, open };
  };
}
