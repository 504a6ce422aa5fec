/**
 * Commands that run other commands: wrappers (`sudo`, `env`, `timeout` …), shells given a
 * script (`bash -c`, `eval`, `trap`, `alias`), and programs that run a command named in an
 * option (`find -exec`, `tar --to-command`, `rg --pre`, `git -c alias.x=!…`). Deny and ask
 * rules must see what they run; when that cannot be read from the words (an expansion, a script
 * from a pipe), the command is "opaque": it could be any command.
 */
import path from 'node:path';
import type { ShellWord } from './shell.js';

export interface Unwrapped {
  /** Commands run on the command's behalf, as words (already unwrapped in turn). */
  inner: ShellWord[][];
  /** Shell source the command runs (`bash -c`, `eval`, `watch`, `ssh host …`). */
  scripts: string[];
  /** Script files it runs (`source f`, `bash f`). */
  scriptFiles: ShellWord[];
  /** A shell that reads its script from standard input (`… | bash`, `bash <<<…`). */
  stdinScript?: boolean;
  /** Why it runs something that cannot be read from its words. */
  opaque?: string;
}

interface WrapperSpec {
  shortValue?: string;
  longValue?: readonly string[];
  /** Options after which no command follows (`command -v`, `strace -p PID`). */
  noCommandShort?: string;
  noCommandLong?: readonly string[];
  /** Words between the options and the command: timeout's duration, flock's lock file, ssh's host. */
  positional?: number;
  /** NAME=value words before the command set its environment. */
  assignments?: boolean;
  /** Options whose value is shell source. */
  scriptShort?: string;
  scriptLong?: readonly string[];
  /** The command's words are joined with spaces and run by a shell. */
  joined?: boolean;
  /** Options that mean the words are *not* joined (watch -x). */
  unjoinShort?: string;
  unjoinLong?: readonly string[];
}

const W: Record<string, WrapperSpec> = {
  sudo: {
    shortValue: 'CDghpRrtTUu',
    longValue: ['close-from', 'chdir', 'group', 'host', 'prompt', 'chroot', 'role', 'type', 'command-timeout', 'other-user', 'user'],
    noCommandShort: 'elvVkK',
    noCommandLong: ['edit', 'list', 'validate', 'version', 'reset-timestamp', 'remove-timestamp'],
    assignments: true,
  },
  doas: { shortValue: 'uC' },
  pkexec: { longValue: ['user'] },
  env: { shortValue: 'uCS', longValue: ['unset', 'chdir', 'split-string'], scriptShort: 'S', scriptLong: ['split-string'], assignments: true },
  command: { noCommandShort: 'vV' },
  builtin: {},
  exec: { shortValue: 'a' },
  nohup: {},
  nice: { shortValue: 'n', longValue: ['adjustment'] },
  ionice: { shortValue: 'cnPpu', longValue: ['class', 'classdata', 'pgid', 'pid', 'uid'], noCommandShort: 'Ppu', noCommandLong: ['pid', 'pgid', 'uid'] },
  time: { shortValue: 'fo', longValue: ['format', 'output'] },
  timeout: { shortValue: 'sk', longValue: ['signal', 'kill-after'], positional: 1 },
  stdbuf: { shortValue: 'ioe', longValue: ['input', 'output', 'error'] },
  setsid: {},
  xargs: { shortValue: 'adEILnPs', longValue: ['arg-file', 'delimiter', 'max-args', 'max-procs', 'max-chars', 'process-slot-var'] },
  watch: { shortValue: 'nq', longValue: ['interval', 'equexit', 'differences'], joined: true, unjoinShort: 'x', unjoinLong: ['exec'] },
  flock: { shortValue: 'wE', longValue: ['timeout', 'wait', 'conflict-exit-code'], scriptShort: 'c', scriptLong: ['command'], positional: 1 },
  chroot: { longValue: ['userspec', 'groups'], positional: 1 },
  strace: { shortValue: 'abeEIoOpPsSuUX', noCommandShort: 'p' },
  ltrace: { shortValue: 'aAeFlLnopsSuwxX', noCommandShort: 'p' },
  taskset: { positional: 1, noCommandShort: 'p' },
  chrt: { positional: 1, noCommandShort: 'p' },
  su: { shortValue: 'gGsw', longValue: ['group', 'supp-group', 'shell', 'whitelist-environment'], scriptShort: 'c', scriptLong: ['command', 'session-command'], positional: 99 },
  runuser: { shortValue: 'gGsuw', longValue: ['group', 'supp-group', 'shell', 'user', 'whitelist-environment'], scriptShort: 'c', scriptLong: ['command', 'session-command'] },
  script: { shortValue: 'EIOBTm', longValue: ['echo', 'log-in', 'log-out', 'log-io', 'log-timing', 'logging-format'], scriptShort: 'c', scriptLong: ['command'], positional: 99 },
  ssh: { shortValue: 'BbcDEeFIiJLlmOoPpQRSWw', positional: 1, joined: true },
  busybox: {},
  toybox: {},
  caffeinate: { shortValue: 'tw' },
  unbuffer: {},
  fakeroot: {},
  torsocks: {},
  proxychains: { shortValue: 'f' },
  proxychains4: { shortValue: 'f' },
  'xvfb-run': {},
  'dbus-run-session': {},
  catchsegv: {},
  firejail: {},
  unshare: {},
  nsenter: {},
  'systemd-run': {},
  valgrind: {},
  gdb: {},
  npx: { shortValue: 'p', longValue: ['package'], scriptShort: 'c', scriptLong: ['call'] },
  bunx: {},
  pnpx: {},
  eatmydata: {},
  nocache: {},
  chronic: {},
  cgexec: { shortValue: 'g' },
  numactl: {},
  runcon: {},
  setpriv: {},
  prlimit: {},
  sshpass: { shortValue: 'pfde' },
  tsp: {},
  sg: { scriptShort: 'c', positional: 1 },
  // xcrun looks the tool up in the developer directory and then on PATH, so `xcrun rm x` runs rm.
  xcrun: {
    longValue: ['sdk', 'toolchain'],
    noCommandLong: ['find', 'show-sdk-path', 'show-sdk-version', 'show-sdk-build-version', 'show-sdk-platform-path', 'show-sdk-platform-version', 'version', 'help'],
  },
};

/** Tools whose subcommand runs the command that follows (`uv run rm x`, `bundle exec rm x`). */
const RUNNERS: Record<string, { subcommands: string[]; positional?: number; spec?: WrapperSpec }> = {
  uv: { subcommands: ['run'] },
  uvx: { subcommands: [] },
  poetry: { subcommands: ['run'] },
  pipenv: { subcommands: ['run'] },
  pdm: { subcommands: ['run'] },
  rye: { subcommands: ['run'] },
  hatch: { subcommands: ['run'] },
  conda: { subcommands: ['run'], spec: { shortValue: 'np', longValue: ['name', 'prefix'] } },
  mamba: { subcommands: ['run'], spec: { shortValue: 'np', longValue: ['name', 'prefix'] } },
  micromamba: { subcommands: ['run'], spec: { shortValue: 'np', longValue: ['name', 'prefix'] } },
  bundle: { subcommands: ['exec'] },
  direnv: { subcommands: ['exec'], positional: 1 },
  mise: { subcommands: ['exec', 'x'] },
  asdf: { subcommands: ['exec'] },
  devbox: { subcommands: ['run'] },
  npm: { subcommands: ['exec', 'x'], spec: { scriptShort: 'c', scriptLong: ['call'], longValue: ['package', 'workspace'] } },
  pnpm: { subcommands: ['exec', 'dlx'], spec: { scriptShort: 'c' } },
  yarn: { subcommands: ['exec', 'dlx'] },
  bun: { subcommands: ['x', 'exec'] },
  dotnet: { subcommands: ['exec'] },
};

/** Programs that keep commands to run later, or type them into a shell: what they run cannot be read here. */
const SCHEDULERS: Record<string, string> = {
  crontab: 'crontab installs commands that run later',
  batch: 'batch reads the commands it runs from its input',
  fc: 'fc runs commands from the history after an editor',
  expect: 'expect runs its own scripts, which can start programs',
  screen: 'screen runs commands in a detached session',
  tmux: 'tmux runs commands in its sessions',
  incrontab: 'incrontab installs commands that run later',
  systemctl: 'systemctl starts services that run commands',
};

/**
 * Variables that change which program runs, load code into a program or a shell, or feed a
 * command line to one: setting them makes every later command "could be anything".
 */
export const CODE_VARIABLES =
  /^(PATH|LD_[A-Z_]+|DYLD_[A-Z_]+|BASH_ENV|ENV|BASH_CMDS|BASH_ALIASES|BASH_LOADABLES_PATH|BASH_XTRACEFD|SHELLOPTS|BASHOPTS|PS4|PROMPT_COMMAND|EXECIGNORE|PAGER|[A-Z_]*PAGER|EDITOR|VISUAL|[A-Z_]*_EDITOR|LESSOPEN|LESSCLOSE|LESSKEYIN|LESS|GIT_[A-Z_]+|NODE_OPTIONS|NODE_PATH|PYTHON[A-Z_]*|PERL5?[A-Z_]*|RUBY[A-Z_]*|GCONV_PATH|BROWSER|SSH_ASKPASS|SUDO_ASKPASS|[A-Z_]*_COMMAND|TAR_OPTIONS|RIPGREP_CONFIG_PATH|GREP_OPTIONS|JQ_LIBRARY_PATH|XDG_CONFIG_HOME|XDG_CONFIG_DIRS|HOME|IFS|TMPDIR|ZDOTDIR|INPUTRC|TERMINFO|MAGIC|NPM_CONFIG_[A-Z_]+|npm_config_[a-z_]+)$/;

export const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'rbash', 'yash', 'posh']);

/** Interpreters whose inline code (`python -c`, `node -e` …) can start programs. */
const INTERPRETERS: Record<string, string> = {
  python: 'c',
  python2: 'c',
  python3: 'c',
  node: 'ep',
  nodejs: 'ep',
  deno: '',
  bun: 'ep',
  perl: 'eE',
  ruby: 'e',
  php: 'r',
  lua: 'e',
  Rscript: 'e',
  osascript: 'e',
  tclsh: '',
};
const EXEC_MARKERS = /system|exec|spawn|Deno\.(run|Command)|popen|subprocess|child_process|`|\bos\.|\bpty\b|Process|shell|\beval\b|IO\.popen|%x|open\s*\(\s*["']\|/;

/** fd (Debian: fdfind) runs the words after -x / -X up to `;`. */
const FD_OPTIONS = {
  short: 'xX',
  long: [
    // Stryker disable next-line StringLiteral: `--exec` is also read as a prefix of `--exec-batch`, which is handled the same way
    'exec',
    'exec-batch',
  ],
};

/** Options of other programs whose value is a command line the program runs. */
const COMMAND_OPTIONS: Record<string, { short?: string; long?: readonly string[] }> = {
  tar: { short: 'IF', long: ['to-command', 'checkpoint-action', 'use-compress-program', 'info-script', 'new-volume-script', 'rsh-command', 'rmt-command'] },
  sort: { long: ['compress-program'] },
  rsync: { short: 'e', long: ['rsh', 'rsync-path'] },
  scp: { short: 'S' },
  sftp: { short: 'S' },
  rg: { long: ['pre', 'hostname-bin'] },
  man: { short: 'PH', long: ['pager', 'html'] },
  zip: { long: ['unzip-command'] },
  git: { long: ['exec-path', 'upload-pack', 'receive-pack', 'exec'] },
  fd: FD_OPTIONS,
  fdfind: FD_OPTIONS,
  mapfile: { short: 'C' },
  readarray: { short: 'C' },
  compgen: { short: 'C' },
  complete: { short: 'C' },
  vim: { short: 'c', long: ['cmd'] },
  vi: { short: 'c', long: ['cmd'] },
  nvim: { short: 'c', long: ['cmd'] },
  ex: { short: 'c', long: ['cmd'] },
  emacs: { long: ['eval', 'exec'] },
  less: {},
};

/** ssh options (`-o Name=value`) whose value runs a local command. */
const SSH_COMMAND_OPTIONS = /^(proxycommand|localcommand|knownhostscommand|permitlocalcommand|remotecommand)\s*[= ]\s*(.*)/is;

/** git configuration keys whose value is a command git runs. */
const GIT_COMMAND_KEYS = /^(alias\..*|core\.(pager|editor|sshcommand|fsmonitor|hookspath|askpass|gitproxy)|pager\..*|sequence\.editor|diff\..*\.(command|textconv)|diff\.external|merge\..*\.driver|mergetool\..*\.cmd|difftool\..*\.cmd|filter\..*\.(clean|smudge|process)|credential\.helper|credential\..*\.helper|gpg\.program|gpg\..*\.program|uploadpack\.packobjectshook|init\.templatedir|include\.path|includeif\..*\.path|sendemail\..*|web\.browser|browser\..*\.cmd|man\..*\.cmd|instaweb\..*|remote\..*\.(uploadpack|receivepack|proxy)|http\.proxy|protocol\..*|url\..*)$/i;

function str(w: ShellWord | undefined): string | undefined {
  return w?.value;
}

const NONE: Unwrapped = { inner: [], scripts: [], scriptFiles: [] };

function merge(into: Unwrapped, from: Unwrapped): void {
  into.inner.push(...from.inner);
  into.scripts.push(...from.scripts);
  into.scriptFiles.push(...from.scriptFiles);
  if (from.stdinScript) into.stdinScript = true;
  into.opaque ??= from.opaque;
}

/** The script a wrapper's inner words make when a shell joins them, or undefined when one is not literal. */
function joinedScript(words: ShellWord[]): string | undefined {
  return words.every((w) => w.value !== undefined) ? words.map((w) => w.value).join(' ') : undefined;
}

/** Reads a wrapper's options; returns where the command starts, or undefined when no command follows. */
function wrapperStart(words: ShellWord[], spec: WrapperSpec, found: Unwrapped): { start: number; joined: boolean; uncertain: boolean } | undefined {
  let joined = spec.joined === true;
  let uncertain = false;
  let i = 1;
  let positional = spec.positional ?? 0;
  const longs = [...(spec.longValue ?? []), ...(spec.scriptLong ?? []), ...(spec.noCommandLong ?? []), ...(spec.unjoinLong ?? [])];
  const script = (w: ShellWord | undefined, what: string) => {
    if (w?.value !== undefined) found.scripts.push(w.value);
    else found.opaque ??= `${what} is not literal`;
  };
  for (; i < words.length; i++) {
    const w = words[i]!;
    const v = w.value;
    if (v === undefined) {
      // An expansion where an option or the command could be: nothing after it can be trusted.
      if (w.raw.startsWith('-')) uncertain = true;
      else return { start: i, joined, uncertain };
      continue;
    }
    if (v === '--') {
      i++;
      break;
    }
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      const given = v.slice(2, eq === -1 ? undefined : eq);
      const name = longs.find((l) => l === given) ?? (longs.filter((l) => l.startsWith(given)).length === 1 ? longs.find((l) => l.startsWith(given)) : undefined);
      if (name === undefined) {
        uncertain = true;
        continue;
      }
      const text = v.slice(eq + 1);
      const value = eq !== -1 ? { raw: text, value: text } : words[i + 1];
      if (spec.scriptLong?.includes(name)) script(value, `the --${name} script`);
      if (spec.noCommandLong?.includes(name)) return undefined;
      // Left are the value-taking and script options, and the unjoining ones, which take no value.
      if (spec.unjoinLong?.includes(name) === true) joined = false;
      else if (eq === -1) i++;
      continue;
    }
    if (v.startsWith('-') && v.length > 1) {
      if (/^-\d+$/.test(v)) continue; // nice -10
      for (const [k, ch] of [...v.slice(1)].entries()) {
        if (spec.noCommandShort?.includes(ch)) return undefined;
        if (spec.unjoinShort?.includes(ch)) joined = false;
        const takes = spec.shortValue?.includes(ch) || spec.scriptShort?.includes(ch);
        // A letter that takes no value (or one this table does not know: see below) lets the bundle go on.
        if (!takes) continue;
        const attached = v.slice(k + 2);
        const value = attached !== '' ? { raw: attached, value: attached } : words[i + 1];
        if (spec.scriptShort?.includes(ch)) script(value, `the -${ch} script`);
        if (attached === '') i++;
        break;
      }
      // A letter this table does not know may take a value: then any later word could be the command.
      const known = `${spec.shortValue ?? ''}${spec.scriptShort ?? ''}${spec.noCommandShort ?? ''}${spec.unjoinShort ?? ''}`;
      if ([...v.slice(1)].some((ch) => !known.includes(ch))) uncertain = true;
      continue;
    }
    // env and sudo take every word with a `=` for an assignment, not only valid names: `env 9X=1 rm x` runs rm.
    if (spec.assignments && v.includes('=')) {
      const name = v.slice(0, v.indexOf('='));
      if (CODE_VARIABLES.test(name)) found.opaque ??= `it sets ${name}, which changes what the command runs`;
      continue;
    }
    if (positional > 0) {
      positional--;
      continue;
    }
    break;
  }
  return { start: i, joined, uncertain };
}

/** What `words` runs besides itself, looked through every layer of wrappers. */
export function unwrap(words: ShellWord[], depth = 0): Unwrapped {
  const raw = str(words[0]);
  if (depth > 8) return { inner: [], scripts: [], scriptFiles: [], opaque: 'wrappers are nested too deeply to follow' };
  if (raw === undefined) return NONE;
  const name = path.basename(raw);
  const out: Unwrapped = { inner: [], scripts: [], scriptFiles: [] };
  const args = words.slice(1);
  const runInner = (inner: ShellWord[]) => {
    if (inner.length === 0) return;
    if (inner[0]!.value === undefined) {
      out.opaque ??= `it runs a command named by an expansion (${inner[0]!.raw})`;
      return;
    }
    out.inner.push(inner);
    merge(out, unwrap(inner, depth + 1));
  };

  if (name === 'eval') {
    if (args.length === 0) return out;
    const s = joinedScript(args);
    if (s === undefined) out.opaque = 'eval runs text that is not literal';
    else out.scripts.push(s);
    return out;
  }
  if (name === 'source' || name === '.') {
    if (args[0]) out.scriptFiles.push(args[0]);
    return out;
  }
  if (SHELLS.has(name)) {
    // `bash -c SCRIPT`, `bash -lc SCRIPT`, `bash -o opt -c SCRIPT`; else `bash FILE`; else stdin.
    for (let i = 0; i < args.length; i++) {
      const v = args[i]!.value;
      if (v === undefined) {
        out.opaque = `the shell's arguments are not literal (${args[i]!.raw})`;
        return out;
      }
      // A lone `-` ends the options like `--` (`curl … | bash -` reads its script from the pipe).
      if (v === '--' || v === '-' || v === '-s') {
        if (v === '-s' || i + 1 >= args.length) out.stdinScript = true;
        else out.scriptFiles.push(args[i + 1]!);
        return out;
      }
      if ((v.startsWith('-') || v.startsWith('+')) && v.length > 1 && !v.startsWith('--')) {
        if (v.slice(1).includes('c')) {
          const s = args[i + 1];
          if (s?.value !== undefined) out.scripts.push(s.value);
          else if (s) out.opaque = `the shell runs a script that is not literal (${s.raw})`;
          return out;
        }
        if (v.slice(1).includes('s')) {
          out.stdinScript = true;
          return out;
        }
        if (/[oO]$/.test(v)) i++; // -o option / +O shopt take a value
        continue;
      }
      if (v.startsWith('--')) {
        if (v === '--rcfile' || v === '--init-file') i++;
        continue;
      }
      out.scriptFiles.push(args[i]!);
      return out;
    }
    out.stdinScript = true;
    return out;
  }
  if (name === 'trap') {
    const operands = args.filter((w) => !(w.value ?? '').startsWith('-') || w.value === '-');
    if (operands.length >= 2) {
      const action = operands[0]!;
      if (action.value === undefined) out.opaque = `the trap action is not literal (${action.raw})`;
      else if (action.value !== '-' && action.value !== '') out.scripts.push(action.value);
    }
    return out;
  }
  if (name === 'alias') {
    for (const a of args) {
      if (a.value === undefined) out.opaque ??= `the alias definition is not literal (${a.raw})`;
      else if (a.value.includes('=')) out.scripts.push(a.value.slice(a.value.indexOf('=') + 1));
    }
    return out;
  }
  if (name === 'hash' && args.some((w) => /^-[a-z]*p/.test(w.value ?? '-p'))) {
    out.opaque = 'hash -p makes a command name run another program';
    return out;
  }
  if (name === 'enable' && args.some((w) => /^-[a-z]*f/.test(w.value ?? '-f'))) {
    out.opaque = 'enable -f loads code into the shell';
    return out;
  }
  if (name === 'compgen' || name === 'complete') {
    // -W's word list is expanded like a command line.
    for (let i = 0; i < args.length; i++) {
      if (args[i]!.value === '-W') {
        const list = args[i + 1];
        if (list?.value !== undefined) out.scripts.push(`: ${list.value}`);
        else if (list) out.opaque = 'the -W word list is not literal';
      }
    }
  }
  if (name === 'at') {
    // `at TIME` reads the commands from its input, like a shell (or from -f FILE).
    const f = args.findIndex((a) => a.value === '-f');
    if (f !== -1 && args[f + 1]) out.scriptFiles.push(args[f + 1]!);
    else if (!args.some((a) => /^-[lrdc]$/.test(a.value ?? ''))) out.stdinScript = true;
    return out;
  }
  if (name in SCHEDULERS) {
    const harmless = name === 'crontab' ? args.some((a) => a.value === '-l') : name === 'tmux' ? args.length === 0 || ['ls', 'list-sessions', 'list-windows', 'list-panes', 'info', '-V'].includes(args[0]!.value ?? '') : name === 'systemctl' ? ['status', 'list-units', 'is-active', 'show', 'cat'].includes(args[0]?.value ?? '') : name === 'screen' ? args.every((a) => /^-(ls|list|v|r)$/.test(a.value ?? '')) : false;
    if (!harmless) out.opaque = SCHEDULERS[name];
    return out;
  }
  // bun is both a runner (`bun x`) and an interpreter (`bun -e`): its inline code is read first.
  if (name in INTERPRETERS) interpreterCode(name, args, out);
  const runner = RUNNERS[name];
  if (runner) {
    const sub = args.findIndex((a) => !(a.value ?? '-').startsWith('-'));
    // uvx runs the command that follows its options; the others only behind their subcommand.
    const direct = runner.subcommands.length === 0;
    if (direct || (sub !== -1 && runner.subcommands.includes(args[sub]!.value!))) {
      const from = direct ? 0 : sub + 1;
      const at = wrapperStart([{ raw: name, value: name }, ...args.slice(from)], { ...(runner.spec ?? {}), positional: runner.positional }, out);
      if (at) runInner(args.slice(from).slice(at.start - 1));
      if (at?.uncertain) {
        let found = 0;
        for (let i = from + at.start; i < args.length && found < 6; i++) {
          if (args[i]!.value === undefined || args[i]!.value!.startsWith('-')) continue;
          out.inner.push(args.slice(i));
          found++;
        }
      }
    }
    return out;
  }
  if (name === 'find') {
    for (let i = 1; i < words.length; i++) {
      if (['-exec', '-execdir', '-ok', '-okdir'].includes(words[i]!.value ?? '')) {
        const end = words.findIndex((w, j) => j > i && (w.value === ';' || w.value === '+'));
        runInner(words.slice(i + 1, end === -1 ? undefined : end));
        if (end === -1) break;
        i = end;
      }
    }
    return out;
  }
  if (name === 'parallel') {
    const sep = args.findIndex((w) => /^:::+\+?$/.test(w.value ?? ''));
    const cmd = (sep === -1 ? args : args.slice(0, sep)).filter((w, i, all) => !(w.value ?? 'x').startsWith('-') && !(i > 0 && /^-[jSP]$/.test(all[i - 1]!.value ?? '')));
    if (cmd.length === 0) out.opaque = 'parallel reads the commands it runs from its input';
    else {
      const s = joinedScript(cmd);
      if (s === undefined) out.opaque = 'parallel runs a command that is not literal';
      else out.scripts.push(s);
    }
    return out;
  }
  if (name === 'git') gitCommands(args, out);
  if (name === 'ssh') sshOptions(args, out);
  if (name === 'sed') sedScripts(args, out);
  if (/^(g|m|n)?awk$/.test(name)) awkPrograms(args, out);
  const opts = COMMAND_OPTIONS[name];
  if (opts) commandOptions(name, args, opts, out);

  const spec = W[name];
  if (spec) {
    const at = wrapperStart(words, spec, out);
    if (at === undefined) return out;
    const rest = words.slice(at.start);
    if (name === 'xargs' && rest.length === 0) return out; // runs echo
    if (name === 'chroot' && rest.length === 0) return out;
    if (name === 'su' || name === 'runuser' || name === 'script') return out; // only -c runs a command
    if (name === 'sudo' && rest.length === 0) return out;
    if (name === 'xargs') {
      // xargs appends words read from its input: the command gets arguments nobody can see here.
      runInner([...rest, { raw: '<words from standard input>' }]);
    } else if (at.joined && rest.length > 0) {
      const s = joinedScript(rest);
      if (s === undefined) out.opaque ??= `${name} runs a command line that is not literal`;
      else out.scripts.push(s);
    } else {
      runInner(rest);
    }
    if (at.uncertain) {
      // Options this table does not know may take values: every later word could start the
      // command, so deny and ask rules look at each of them.
      let found = 0;
      for (let i = at.start + 1; i < words.length && found < 6; i++) {
        const v = words[i]!.value;
        if (v === undefined || v.startsWith('-') || v.includes('=')) continue;
        out.inner.push(words.slice(i));
        found++;
      }
    }
  }
  return out;
}

function optionValue(args: ShellWord[], i: number, short: string | undefined, long: readonly string[] | undefined): { name: string; value: ShellWord | undefined; next: number } | undefined {
  const v = args[i]!.value;
  if (v === undefined || !v.startsWith('-') || v === '-' || v === '--') return undefined;
  if (v.startsWith('--')) {
    const eq = v.indexOf('=');
    const given = v.slice(2, eq === -1 ? undefined : eq);
    const name = long?.find((l) => l === given) ?? long?.find((l) => given.length >= 3 && l.startsWith(given));
    if (!name) return undefined;
    if (eq !== -1) return { name, value: { raw: v.slice(eq + 1), value: v.slice(eq + 1) }, next: i };
    return { name, value: args[i + 1], next: i + 1 };
  }
  for (let j = 1; j < v.length; j++) {
    if (short?.includes(v[j]!)) {
      const attached = v.slice(j + 1);
      return attached !== '' ? { name: v[j]!, value: { raw: attached, value: attached }, next: i } : { name: v[j]!, value: args[i + 1], next: i + 1 };
    }
  }
  return undefined;
}

function commandOptions(program: string, args: ShellWord[], spec: { short?: string; long?: readonly string[] }, out: Unwrapped): void {
  for (let i = 0; i < args.length; i++) {
    if (args[i]!.value === '--' && program !== 'fd' && program !== 'fdfind') break;
    const o = optionValue(args, i, spec.short, spec.long);
    if (!o) continue;
    i = o.next;
    if (o.value?.value === undefined) {
      out.opaque ??= `${program}'s ${o.name.length === 1 ? '-' : '--'}${o.name} runs a command that is not literal`;
      continue;
    }
    let text = o.value.value;
    if (program === 'git' && o.name === 'exec-path') {
      out.opaque ??= 'git --exec-path makes git run its helper programs from another directory';
      continue;
    }
    if (program === 'tar' && o.name === 'checkpoint-action') {
      if (!/^exec=/.test(text)) continue;
      text = text.slice(5);
    }
    if ((program === 'fd' || program === 'fdfind') && (o.name === 'x' || o.name === 'X' || o.name.startsWith('exec'))) {
      // fd's command is the rest of the words up to `;`.
      const end = args.findIndex((w, j) => j > o.next && w.value === ';');
      const cmd = args.slice(o.next, end === -1 ? undefined : end);
      const s = joinedScript(cmd);
      if (s === undefined) out.opaque ??= 'fd runs a command that is not literal';
      else out.scripts.push(s);
      if (end === -1) break;
      i = end;
      continue;
    }
    if (program === 'vim' || program === 'vi' || program === 'nvim' || program === 'ex' || program === 'emacs') {
      if (/!|system|shell|call|exe|lua|python|perl|ruby/i.test(text)) out.opaque ??= `${program} runs editor commands that can start programs`;
      continue;
    }
    out.scripts.push(text);
  }
  if ((program === 'vim' || program === 'vi' || program === 'nvim' || program === 'ex') && args.some((w) => (w.value ?? '+').startsWith('+'))) {
    out.opaque ??= `${program} runs editor commands given with +`;
  }
}

function sshOptions(args: ShellWord[], out: Unwrapped): void {
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!.value;
    if (v === undefined || !v.startsWith('-o')) continue;
    const value = v === '-o' ? args[++i]?.value : v.slice(2);
    if (value === undefined) {
      out.opaque ??= 'an ssh -o option is not literal';
      continue;
    }
    const m = SSH_COMMAND_OPTIONS.exec(value.trim());
    if (m) out.scripts.push(m[2]!);
  }
}

/** GNU sed runs the pattern space or a command with `e` (and `s///e`). */
function sedScripts(args: ShellWord[], out: Unwrapped): void {
  const scripts: string[] = [];
  let explicit = false;
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!.value;
    if (v === undefined) continue;
    if (v === '-e' || v === '--expression') {
      explicit = true;
      const s = args[++i];
      if (s?.value === undefined) out.opaque ??= 'a sed script is not literal';
      else scripts.push(s.value);
    } else if (v.startsWith('--expression=')) {
      explicit = true;
      scripts.push(v.slice(13));
    } else if (/^-[a-zA-Z]*e./.test(v) && !v.startsWith('--')) {
      explicit = true;
      scripts.push(v.slice(v.indexOf('e') + 1));
    }
  }
  if (!explicit) {
    const first = args.find((w) => w.value?.startsWith('-') !== true);
    if (first && first.value === undefined) out.opaque ??= 'the sed script is not literal';
    if (first?.value !== undefined) scripts.push(first.value);
  }
  // After an address or where a command starts, `e` is the command whatever follows (`1eid` runs id);
  // after a `/` it may be replacement text (`s/a/error/`), so there it must stand alone.
  if (scripts.some((s) => /(^|[;\n{}]|[0-9$!])\s*e/m.test(s) || /\/\s*e(\s|;|$)/m.test(s) || /[/|#,:@!%][gpIiMm0-9]*e[gpIiMm0-9]*(\s|;|$|})/m.test(s))) {
    out.opaque ??= 'the sed script runs commands (e)';
  }
}

function awkPrograms(args: ShellWord[], out: Unwrapped): void {
  if (args.some((w) => w.value === '-f' || w.value?.startsWith('--file') === true)) return;
  let i = 0;
  while (i < args.length && args[i]!.value?.startsWith('-') === true) i += /^-[vF]$/.test(args[i]!.value!) ? 2 : 1;
  const program = args[i];
  if (!program) return;
  if (program.value === undefined) out.opaque ??= 'the awk program is not literal';
  else if (/system|\||getline/.test(program.value)) out.opaque ??= 'the awk program runs commands (system, | or getline)';
}

function interpreterCode(name: string, args: ShellWord[], out: Unwrapped): void {
  const letters = INTERPRETERS[name]!;
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!.value;
    if (v === undefined) continue;
    // The code follows the option letter in the same word (`python -c'…'`, `perl -e'…'`) or is
    // the next word; `--eval=…` / `--print=…` carry it after the `=`.
    let code: ShellWord | undefined;
    const long = /^--(eval|print)(=|$)/.exec(v);
    if (long) {
      code = long[2] === '=' ? { raw: v, value: v.slice(long[0].length) } : args[++i];
    } else if (v === 'eval') {
      code = args[++i];
    } else if (/^-[^-]/.test(v)) {
      const at = [...v.slice(1)].findIndex((ch) => letters.includes(ch));
      if (at === -1) continue;
      const attached = v.slice(at + 2);
      // Letters only may be more bundled flags (`node -pe CODE`) or code (`perl -esystem`): both are read.
      if (/^[A-Za-z]*$/.test(attached)) {
        if (EXEC_MARKERS.test(attached)) out.opaque ??= `${name}'s inline code can start other programs`;
        code = i + 1 < args.length ? args[++i] : { raw: attached, value: attached };
      } else code = { raw: attached, value: attached };
    } else continue;
    if (code?.value === undefined) out.opaque ??= `${name}'s inline code is not literal`;
    else if (EXEC_MARKERS.test(code.value)) out.opaque ??= `${name}'s inline code can start other programs`;
  }
}

/** git config options whose value is the next word. */
const GIT_CONFIG_VALUED = ['-f', '--file', '--blob', '--type', '--default', '--comment'];

/** git runs commands from some configuration values, aliases starting with `!` and a few subcommands. */
function gitCommands(args: ShellWord[], out: Unwrapped): void {
  const configValue = (key: string, value: string | undefined) => {
    if (!GIT_COMMAND_KEYS.test(key)) return;
    if (value === undefined) {
      out.opaque ??= `git setting ${key} runs a command that is not literal`;
      return;
    }
    if (/^alias\./i.test(key)) {
      if (value.startsWith('!')) out.scripts.push(value.slice(1));
    } else if (/\.(path|templatedir)$/i.test(key) || /^(include|includeif)\b/i.test(key) || /^(url|protocol|http|remote)\./i.test(key)) {
      out.opaque ??= `git setting ${key} changes which configuration or programs git uses`;
    } else {
      out.scripts.push(value);
    }
  };
  let i = 0;
  for (; i < args.length; i++) {
    const v = args[i]!.value;
    if (v === undefined) {
      if (args[i]!.raw.startsWith('-')) out.opaque ??= 'a git option is not literal';
      continue;
    }
    if (v === '-c') {
      const kv = args[++i]?.value;
      if (kv === undefined) out.opaque ??= 'a git -c setting is not literal';
      else configValue(kv.split('=')[0]!, kv.includes('=') ? kv.slice(kv.indexOf('=') + 1) : '');
      continue;
    }
    if (v.startsWith('--config-env')) {
      out.opaque ??= 'git --config-env takes a setting from the environment';
      continue;
    }
    if (v === '-C' || v === '--git-dir' || v === '--work-tree' || v === '--namespace' || v === '--super-prefix') {
      i++;
      continue;
    }
    if (v.startsWith('-')) continue;
    break;
  }
  const sub = args[i]?.value;
  const rest = args.slice(i + 1);
  if (sub === 'config') {
    // The values of -f FILE, --type T … are not the key: `git config -f .git/config core.pager x`.
    const operands = rest.filter((w, j) => !(w.value ?? '').startsWith('-') && !GIT_CONFIG_VALUED.includes(rest[j - 1]?.value ?? ''));
    // git 2.46 spells it `git config set KEY VALUE`.
    if (operands[0]?.value === 'set') operands.shift();
    if (operands.length >= 2) {
      const key = operands[0]!.value;
      if (key === undefined) out.opaque ??= 'git config sets a key that is not literal';
      else configValue(key, operands[1]!.value);
    }
  } else if (sub === 'rebase') {
    for (let j = 0; j < rest.length; j++) {
      const v = rest[j]!.value;
      if (v === '-x' || v === '--exec') {
        const s = rest[++j];
        if (s?.value === undefined) out.opaque ??= 'git rebase --exec runs a command that is not literal';
        else out.scripts.push(s.value);
      } else if (v?.startsWith('--exec=')) out.scripts.push(v.slice(7));
    }
  } else if (sub === 'bisect' && rest[0]?.value === 'run') {
    const cmd = rest.slice(1);
    if (cmd.length > 0) {
      if (cmd[0]!.value === undefined) out.opaque ??= 'git bisect run runs a command named by an expansion';
      else out.inner.push(cmd);
    }
  } else if (sub === 'submodule' && rest.some((w) => w.value === 'foreach')) {
    const cmd = rest.slice(rest.findIndex((w) => w.value === 'foreach') + 1).filter((w) => w.value?.startsWith('--') !== true);
    const s = joinedScript(cmd);
    if (s === undefined) out.opaque ??= 'git submodule foreach runs a command that is not literal';
    else out.scripts.push(s);
  } else if (sub === 'difftool' || sub === 'mergetool') {
    for (let j = 0; j < rest.length; j++) {
      const v = rest[j]!.value;
      if (v === '-x' || v === '--extcmd') {
        const s = rest[++j];
        if (s?.value === undefined) out.opaque ??= `git ${sub} runs a command that is not literal`;
        else out.scripts.push(s.value);
      } else if (v?.startsWith('--extcmd=')) out.scripts.push(v.slice(9));
    }
  } else if (sub === 'filter-branch') {
    for (let j = 0; j < rest.length; j++) {
      // git-filter-branch reads `--tree-filter CMD` and `--tree-filter=CMD` alike.
      const m = /^--[a-z-]*filter(=|$)/.exec(rest[j]!.value ?? '');
      if (!m) continue;
      const s = m[1] === '=' ? { raw: '', value: rest[j]!.value!.slice(m[0].length) } : rest[++j];
      if (s?.value === undefined) out.opaque ??= 'git filter-branch runs a filter that is not literal';
      else out.scripts.push(s.value);
    }
  }
}
