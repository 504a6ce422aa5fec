/**
 * Runs each Bash command where its permission decision allows (R6): read-only with no network
 * when bcode allowed it on its own judgement, writable workspace when a rule or the user allowed
 * it, and never with a view of credential stores, denied files or other processes' environments.
 */
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PermissionPolicy, SandboxGrant } from '../permissions/types.js';
import { sandboxAvailability, type Availability } from './availability.js';
import { bwrapArgs } from './bwrap-args.js';
import { credentialStores, expandMatchers, withRealPath, type PathMatcher } from './masks.js';
import { READ_ONLY_GIT_PRELUDE, readOnlyEnv } from './read-only-git.js';
import { noUnixSocketsFilter } from './seccomp.js';
import type { SandboxSettings } from './settings.js';

export interface SandboxRunnerOptions {
  settings: SandboxSettings;
  policy: Pick<PermissionPolicy, 'sandboxPaths'>;
  home: string;
  projectRoot: string;
  passAwsCredentials: boolean;
  /** The session's scratch directory (its `tmp/` becomes the commands' TMPDIR). */
  scratchDir: string;
  /** PATH to find bwrap on. */
  envPath: string | undefined;
  /** For tests: pretend bcode is (not) root. */
  uid?: number;
}

export interface PreparedRun {
  /** The sandbox's command line, to be followed by `bash -c …`; absent when unsandboxed. */
  wrap?: string[];
  env: Record<string, string>;
  /** Shell text put before the command. */
  prelude: string;
  /** A file the sandbox reads as descriptor 4 (its seccomp filter). */
  fd4File?: string;
  /** Set when the command must not run at all (sandbox required but unavailable). */
  refusal?: string;
  /** One line for the model when a failure looks like the sandbox's doing. */
  explain(output: string): string | undefined;
}

/** Inside writable roots these stay read-only: they decide what runs later, outside any sandbox. */
const PROTECTED_IN_ROOTS = ['.claude', '.mcp.json', '.git/config', '.git/hooks', '.git/info', '.husky', '.envrc'];

const NETWORK_ERRORS = /Could not resolve host|Temporary failure in name resolution|Network is unreachable|Name or service not known|getaddrinfo (?:ENOTFOUND|EAI_AGAIN)|No address associated with hostname/i;

function expandSettingPath(p: string, home: string, projectRoot: string): string {
  if (p.startsWith('//')) return path.resolve(p); // resolve turns the leading // into one slash
  if (p === '~' || p.startsWith('~/')) return path.join(home, p.slice(1));
  // `/x` and `x` alike are under the project root (`join` keeps a leading `/` of p inside it).
  return path.join(path.resolve(projectRoot), p);
}

export class SandboxRunner {
  private noticeGiven = false;
  private networkNoticeGiven = false;
  private maskFile?: string;
  private seccompFile?: string;

  constructor(private readonly o: SandboxRunnerOptions) {}

  availability(): Promise<Availability> {
    return sandboxAvailability(this.o.envPath);
  }

  async prepare(command: string, grant: SandboxGrant, cwd: string, env: Record<string, string>, notice?: (text: string) => void): Promise<PreparedRun> {
    const readOnly = grant === 'read-only';
    const runEnv = readOnly ? readOnlyEnv(env) : env;
    const prelude = READ_ONLY_GIT_PRELUDE;
    const plain: PreparedRun = { env: runEnv, prelude, explain: () => undefined };
    if (!this.o.settings.enabled) return plain;
    const avail = await this.availability();
    if (!avail.ok) {
      if (this.o.settings.failIfUnavailable) {
        return { ...plain, refusal: `the sandbox is required (sandbox.failIfUnavailable) but ${avail.reason}; ${avail.hint}` };
      }
      if (!this.noticeGiven) {
        this.noticeGiven = true;
        notice?.(`bcode: warning: the Bash sandbox is off: ${avail.reason} — commands run without it, under the permission rules only (${avail.hint})`);
      }
      return plain;
    }
    if (grant !== 'read-only' && (await this.excluded(command))) return plain;

    const paths = this.o.policy.sandboxPaths?.() ?? { writableRoots: [], denyRead: [], denyWrite: [] };
    const { home, projectRoot } = this.o;
    const setting = (list: string[]) => list.map((p) => expandSettingPath(p, home, projectRoot));
    const roots = [...new Set([...paths.writableRoots, ...(grant === 'workspace' ? setting(this.o.settings.allowWrite) : [])])].filter((r) => existsSync(r));
    const asMatchers = (list: string[]): PathMatcher[] => setting(list).map((p) => ({ source: p, fixed: p, test: (x: string) => x === p || x.startsWith(`${p}/`) }));
    const masked = [
      ...credentialStores(home, this.o.passAwsCredentials),
      ...expandMatchers([...paths.denyRead, ...asMatchers(this.o.settings.denyRead)]).paths,
    ].flatMap(withRealPath);
    const readOnlyPaths =
      grant === 'read-only'
        ? []
        : [
            ...roots.flatMap((r) => PROTECTED_IN_ROOTS.map((rel) => path.join(r, rel))).filter((p) => existsSync(p)),
            ...expandMatchers([...paths.denyWrite, ...asMatchers(this.o.settings.denyWrite)]).paths,
          ].flatMap(withRealPath);
    const network = !readOnly && this.o.settings.allowedDomains === undefined;
    if (!readOnly && !network && !this.networkNoticeGiven) {
      this.networkNoticeGiven = true;
      notice?.('bcode: warning: sandbox.network.allowedDomains is set, and bcode cannot yet let a sandbox reach only some domains: sandboxed commands get no network at all (list the command in sandbox.excludedCommands to give it the network)');
    }
    const tmpDir = path.join(this.o.scratchDir, 'tmp');
    mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
    const uid = this.o.uid ?? (typeof process.getuid === 'function' ? process.getuid() : -1);
    const args = bwrapArgs({
      grant,
      cwd,
      roots,
      tmpDir,
      readOnly: readOnlyPaths,
      masked,
      maskFile: this.ensureMaskFile(),
      network,
      dropCaps: uid === 0,
      ...(this.o.settings.allowAllUnixSockets ? {} : { seccompFd: 4 }),
    });
    return {
      wrap: [avail.bwrap, ...args, '--'],
      env: { ...runEnv, TMPDIR: tmpDir },
      prelude,
      ...(this.o.settings.allowAllUnixSockets ? {} : { fd4File: this.ensureSeccompFile() }),
      explain: (output) => explainFailure(output, grant, masked),
    };
  }

  /** Every program of the command is in sandbox.excludedCommands. */
  private async excluded(command: string): Promise<boolean> {
    const names = this.o.settings.excludedCommands;
    if (names.length === 0) return false;
    const { analyzeShell } = await import('../permissions/shell.js');
    try {
      const { commands } = await analyzeShell(command);
      const calls = commands.filter((c) => c.kind === 'call');
      return calls.length > 0 && calls.every((c) => c.words[0]?.value !== undefined && names.includes(path.basename(c.words[0].value)));
    } catch {
      return false;
    }
  }

  private ensureSeccompFile(): string {
    if (this.seccompFile) return this.seccompFile;
    mkdirSync(this.o.scratchDir, { recursive: true });
    const file = path.join(this.o.scratchDir, '.sandbox-seccomp.bpf');
    writeFileSync(file, noUnixSocketsFilter(), { mode: 0o600 });
    this.seccompFile = file;
    return file;
  }

  private ensureMaskFile(): string {
    if (this.maskFile) return this.maskFile;
    mkdirSync(this.o.scratchDir, { recursive: true });
    const file = path.join(this.o.scratchDir, '.sandbox-masked');
    // Mode 000: with capabilities dropped not even root inside the sandbox may open it.
    closeSync(openSync(file, 'w', 0o000));
    this.maskFile = file;
    return file;
  }
}

export function explainFailure(output: string, grant: SandboxGrant, masked: readonly string[]): string | undefined {
  if (/Read-only file system/.test(output)) {
    return grant === 'read-only'
      ? '[blocked by the sandbox: this command was allowed as read-only, so it cannot write files. If it must write, ask the user to allow it (a permission rule or --allowedTools).]'
      : '[blocked by the sandbox: write outside the working directory (or to a protected file such as .git/config, .git/hooks or .claude/) is not allowed.]';
  }
  const hidden = masked.find((m) => output.includes(m) && /Permission denied/.test(output));
  if (hidden) return `[blocked by the sandbox: ${hidden} is hidden from commands (a credential store or a path a deny rule protects).]`;
  if (grant === 'read-only' && NETWORK_ERRORS.test(output)) {
    return '[blocked by the sandbox: commands allowed as read-only have no network. If it needs the network, ask the user to allow it.]';
  }
  return undefined;
}
