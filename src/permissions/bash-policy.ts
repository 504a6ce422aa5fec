/**
 * The permission decision for one Bash call. Order:
 *   1. deny — a deny rule for any command (by its name, its program name when named by a path,
 *      or what a wrapper runs), any file it reads or writes (globs expanded), any redirect;
 *      a command that could be anything is denied whenever a Bash deny rule exists;
 *   2. ask when a deny rule might apply but cannot be checked (a file named by an expansion,
 *      a recursive read of a tree holding a denied path) — even in bypassPermissions;
 *   3. bypassPermissions allows;
 *   4. ask rules (and commands that could be anything, when ask rules exist);
 *   5. plan mode denies anything that is not read-only;
 *   6. writes to protected paths ask unless a rule names them;
 *   7. allow rules and read-only commands: every piece must be allowed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyzeShell, ShellParseError, type ShellAnalysis, type ShellRedirect, type ShellWord, type SubCommand } from './shell.js';
import { readOnlyVerdict } from './read-only-commands.js';
import { fileAccess } from './file-access.js';
import { resolveWord } from './expand.js';
import { expandHome, isWithin, pathCandidates, realpathLoose } from './paths.js';
import { protectedBelow, protectedPath, ruleNamesProtected, type ProtectedHit } from './protected-paths.js';
import { discoverGitRepo, gitRunsTrusted } from './git-repo.js';
import { ruleCoversTool, type ParsedRule, type RuleBases, type RuleList } from './rules.js';
import { suggestBashRule, suggestPathRule } from './suggest.js';
import type { DecideContext, PermissionDecision, PermissionMode } from './types.js';
import { walkBounded } from '../util/bounded-walk.js';

export interface PathVerdict {
  outcome: 'deny' | 'ask' | 'allow' | 'none';
  rule?: ParsedRule;
  inside: boolean;
  /** The normalized absolute path, for messages and suggestions. */
  absolute: string;
  /** Every spelling checked (as written, symlinks resolved). */
  candidates: string[];
}

/** What the Bash decision needs from the policy. */
export interface PolicyView {
  readonly mode: PermissionMode;
  readonly bases: RuleBases;
  readonly roots: readonly string[];
  readonly rules: Record<RuleList, ParsedRule[]>;
  readonly additionalDirectories: readonly string[];
  checkPath(toolName: string, raw: string, cwd: string): PathVerdict;
}

export const PLAN_REASON = 'plan mode is on: only reading and proposing is allowed, so this was not run (the user can leave plan mode to make changes)';
const HARMLESS_WRITE_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty']);
const NETWORK_TARGET = /^\/dev\/(tcp|udp)\//;
const MAX_SCRIPT_FILE = 256 * 1024;

/** git's own commands; any other `git X` may be an alias for one of them. */
const GIT_COMMANDS = new Set(
  (
    'add am annotate apply archive bisect blame branch bugreport bundle cat-file check-attr check-ignore check-mailmap check-ref-format checkout checkout-index cherry cherry-pick ' +
    'citool clean clone column commit commit-graph commit-tree config count-objects credential daemon describe diagnose diff diff-files diff-index diff-tree difftool fast-export ' +
    'fast-import fetch fetch-pack filter-branch fmt-merge-msg for-each-ref for-each-repo format-patch fsck gc get-tar-commit-id grep gui hash-object help hook http-backend index-pack ' +
    'init instaweb interpret-trailers log ls-files ls-remote ls-tree mailinfo mailsplit maintenance merge merge-base merge-file merge-index merge-tree mergetool mktag mktree ' +
    'multi-pack-index mv name-rev notes pack-objects pack-refs prune prune-packed pull push range-diff read-tree rebase reflog remote repack replace request-pull rerere reset ' +
    'restore rev-list rev-parse revert rm send-email shortlog show show-branch show-index show-ref sparse-checkout stage stash status stripspace submodule switch symbolic-ref tag ' +
    'unpack-file unpack-objects update-index update-ref update-server-info var verify-commit verify-pack verify-tag version whatchanged worktree write-tree lfs'
  ).split(' '),
);

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function short(s: string, max = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function first(p: PolicyView, list: RuleList, tool: string, matches: (r: ParsedRule) => boolean): ParsedRule | undefined {
  return p.rules[list].find((r) => ruleCoversTool(r, tool) && matches(r));
}

/** Where git's subcommand is, after its global options (`-C dir`, `-c k=v`, `--no-pager` …). */
function gitSubcommandIndex(cmd: SubCommand): number {
  const ws = cmd.words;
  let i = 1;
  while (i < ws.length && (ws[i]!.value ?? '-').startsWith('-')) i += ['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--config-env', '--super-prefix', '--exec-path'].includes(ws[i]!.value ?? '') ? 2 : 1;
  return i;
}

/** `git x` where x is not one of git's commands: it could be an alias for any of them. */
function possibleGitAlias(cmd: SubCommand): boolean {
  const ws = cmd.words;
  if (ws[0]?.value === undefined || path.basename(ws[0].value) !== 'git') return false;
  const sub = ws[gitSubcommandIndex(cmd)]?.value;
  return sub !== undefined && !GIT_COMMANDS.has(sub);
}

/**
 * The texts a command is matched by. Deny and ask rules see every spelling — unquoted, without
 * leading assignments, and by program name when named by a path (`/bin/rm` is `rm`); allow
 * rules see only the command as written, so `Bash(rm:*)` never allows `/tmp/evil/rm`.
 */
function ruleTexts(cmd: SubCommand, list: RuleList): string[] {
  if (list === 'allow') return [cmd.text];
  const out = new Set([cmd.text]);
  const words = cmd.words.map((w) => w.value ?? w.raw);
  if (words.length > 0) {
    const name = cmd.words[0]!.value;
    const program = name !== undefined ? path.basename(name) : words[0]!;
    out.add(words.join(' '));
    out.add([program, ...words.slice(1)].join(' '));
    // git's global options come before the subcommand: `git -C . push` is `git push`.
    if (program === 'git') out.add(['git', ...words.slice(gitSubcommandIndex(cmd))].join(' '));
  }
  return [...out];
}

export function commandRule(p: PolicyView, list: RuleList, cmd: SubCommand): ParsedRule | undefined {
  // A command that could be anything is covered only by a rule for every command.
  if (list === 'allow' && (cmd.opaque !== undefined || cmd.kind === 'construct')) return first(p, 'allow', 'Bash', (r) => r.specifier === undefined);
  const texts = ruleTexts(cmd, list);
  const alias = list !== 'allow' && possibleGitAlias(cmd);
  return first(p, list, 'Bash', (r) => {
    if (r.specifier === undefined) return true;
    if (r.command === undefined) return false;
    if (texts.some((t) => r.command!.test(t))) return true;
    return alias && /^git(\s|:|$)/.test(r.specifier.trim());
  });
}

function suggestions(cmds: SubCommand[], extra: string[] = []): Pick<PermissionDecision, 'suggestedRule' | 'suggestedRules'> {
  const rules: string[] = [];
  for (const c of cmds) {
    const s = suggestBashRule(c);
    // One command we cannot generalize makes "always allow" meaningless for the whole call.
    if (s === undefined) return {};
    rules.push(s);
  }
  const all = [...new Set([...rules, ...extra])];
  if (all.length === 0) return {};
  return all.length === 1 ? { suggestedRule: all[0] } : { suggestedRule: all[0], suggestedRules: all };
}

/** Directories the shell may be in when a relative path is used: its own and each `cd` target; undefined when one is unknown. */
function shellDirs(analysis: ShellAnalysis, shellCwd: string, home: string): string[] | undefined {
  if (!analysis.changesDirectory) return [shellCwd];
  const dirs = [shellCwd];
  let current = shellCwd;
  for (const c of analysis.commands) {
    const name = c.words[0]?.value;
    if (name !== 'cd' && name !== 'pushd' && name !== 'popd') continue;
    const target = c.words.slice(1).find((w) => !(w.value ?? '').startsWith('-') || w.value === '-');
    if (name === 'popd' || (target && (target.value === undefined || target.value === '-'))) return undefined;
    current = target ? path.resolve(current, expandHome(target.value!, home)) : home;
    dirs.push(current);
  }
  return dirs;
}

interface WordCheck {
  deny?: PathVerdict;
  ask?: PathVerdict;
  /** Why the word's paths are not all known. */
  unknown: string | undefined;
  verdicts: PathVerdict[];
}

export async function decideBash(p: PolicyView, obj: Record<string, unknown>, context: DecideContext): Promise<PermissionDecision> {
  const command = str(obj.command);
  if (command === undefined || command.trim() === '') return { behavior: 'ask', reason: 'Bash was called without a command' };
  const shellCwd = context.shellCwd ?? p.bases.cwd;
  // The Bash rules, for commands that cannot be matched against them. A rule for every command
  // (bare `Bash`) is never the one named: commandRule has already matched it by then.
  const denyCommands = p.rules.deny.filter((r) => ruleCoversTool(r, 'Bash'));
  const askCommands = p.rules.ask.filter((r) => ruleCoversTool(r, 'Bash'));

  let analysis: ShellAnalysis;
  try {
    analysis = await analyzeShell(command, { home: p.bases.home, cwd: shellCwd });
    await includeScriptFiles(p, analysis, shellCwd, 0);
  } catch (err) {
    if (!(err instanceof ShellParseError)) throw err;
    // Stryker disable next-line ArrayDeclaration: rules see only the text here; a word put in either list adds the empty text, which a rule matches only if it matches every text.
    const whole: SubCommand = { assigns: [], words: [], text: command.trim().replace(/\s+/g, ' '), kind: 'call' };
    const deny = commandRule(p, 'deny', whole);
    if (deny) return { behavior: 'deny', reason: `command is denied by rule ${deny.source}`, rule: deny.source };
    if (denyCommands.length > 0) {
      const r = denyCommands[0]!.source;
      return { behavior: 'deny', reason: `the command could not be checked (${short(err.message, 100)}), and rule ${r} denies some commands, so it was not run`, rule: r };
    }
    if (p.mode === 'bypassPermissions') return { behavior: 'allow', reason: 'bypassPermissions mode' };
    if (p.mode === 'plan') return { behavior: 'deny', reason: `Bash: ${PLAN_REASON}` };
    return { behavior: 'ask', reason: `the command could not be parsed (${short(err.message, 100)}), so it needs approval` };
  }
  const { commands, redirects, changesDirectory } = analysis;
  const dirs = shellDirs(analysis, shellCwd, p.bases.home);
  const globOptions = { dotfiles: analysis.globOptions, nocase: analysis.globOptions };
  const readDenyRules = p.rules.deny.filter((r) => ruleCoversTool(r, 'Read'));
  const editDenyRules = p.rules.deny.filter((r) => ruleCoversTool(r, 'Write'));

  /** Resolves a word to paths and checks each against the rules of `tool`, from every directory the shell may be in. */
  const checkWord = (tool: 'Read' | 'Write', w: ShellWord): WordCheck => {
    const resolved = resolveWord(w, shellCwd, { ...globOptions, cwdKnown: !changesDirectory });
    const out: WordCheck = { verdicts: [], unknown: resolved.unknown };
    for (const raw of resolved.paths) {
      let expanded = expandHome(raw, p.bases.home);
      // The shell's own /proc entries point where it is; other processes' and open descriptors are unknown.
      const proc = /^\/proc\/(self|thread-self|[0-9]+)\/(cwd|root|fd|map_files)(\/.*)?$|^\/dev\/fd\/(\d+)/.exec(procSpelling(expanded));
      if (proc) {
        const rest = proc[3] ?? '';
        const own = proc[1] === 'self' || proc[1] === 'thread-self';
        if (own && proc[2] === 'root') expanded = rest || '/';
        else if (own && proc[2] === 'cwd' && dirs !== undefined) {
          for (const d of dirs) {
            const v = p.checkPath(tool, `${d}${rest}`, d);
            out.verdicts.push(v);
            if (v.outcome === 'deny') out.deny ??= v;
          }
          continue;
        } else if (proc[4] === undefined || Number(proc[4]) > 2) {
          out.unknown ??= `'${raw}' reaches a file through another process or an open descriptor`;
          continue;
        }
      }
      const bases = path.isAbsolute(expanded) ? [shellCwd] : dirs;
      if (bases === undefined) {
        out.unknown ??= `'${w.raw}' is relative to a directory only known when the command runs`;
        continue;
      }
      for (const b of bases) {
        const v = p.checkPath(tool, expanded, b);
        out.verdicts.push(v);
        if (v.outcome === 'deny') out.deny ??= v;
        if (v.outcome === 'ask') out.ask ??= v;
      }
      // A word shaped like an assignment names a second path after its `=`: bash expands a tilde
      // there (`x=~/.env` arrives as `x=/home/u/.env`), programs that take `key=file` operands open
      // that part, and so does the word itself through a directory or link named `x=`.
      const assigned = /^[A-Za-z_][A-Za-z0-9_]*\+?=([~/].*)/s.exec(expanded);
      if (assigned) {
        const v = p.checkPath(tool, assigned[1]!, shellCwd);
        if (v.outcome === 'deny') out.deny ??= v;
        if (v.outcome === 'ask') out.ask ??= v;
      }
    }
    return out;
  };
  const deniedPath = (cmd: SubCommand, v: PathVerdict): PermissionDecision => ({
    behavior: 'deny',
    reason: `'${short(cmd.text)}' touches ${v.absolute}, denied by rule ${v.rule!.source}`,
    rule: v.rule!.source,
  });

  // ---- 1. deny, collecting what needs a closer look ----
  const uncertain: string[] = [];
  const askPaths: Array<{ what: string; v: PathVerdict }> = [];
  const protectedWrites: Array<{ cmd?: SubCommand; what: string; hit: ProtectedHit; verdicts: PathVerdict[] }> = [];
  const recursiveReads: Array<{ cmd: SubCommand; dir: string }> = [];
  const recursiveWrites: Array<{ cmd: SubCommand; dir: string }> = [];

  for (const cmd of commands) {
    const deny = commandRule(p, 'deny', cmd);
    if (deny) {
      // A rule for every command (no `command`) denies it as it is, alias or not.
      const alias = deny.command !== undefined && possibleGitAlias(cmd) && !deny.command.test(cmd.text) ? ' (it could be a git alias for a denied command)' : '';
      return { behavior: 'deny', reason: `'${short(cmd.text)}' is denied by rule ${deny.source}${alias}`, rule: deny.source };
    }
    if (cmd.opaque !== undefined && denyCommands.length > 0) {
      const r = denyCommands[0]!.source;
      return { behavior: 'deny', reason: `'${short(cmd.text, 60)}': ${cmd.opaque}, and rule ${r} denies some commands, so it was not run`, rule: r };
    }
    if (cmd.opaque !== undefined && readDenyRules.length + editDenyRules.length > 0) {
      uncertain.push(`'${short(cmd.text, 60)}': ${cmd.opaque}, and deny rules for files exist (${[...readDenyRules, ...editDenyRules][0]!.source})`);
    }
    const access = fileAccess(cmd);
    for (const w of access.reads) {
      const c = checkWord('Read', w);
      if (c.deny) return deniedPath(cmd, c.deny);
      if (c.ask) askPaths.push({ what: `'${short(cmd.text, 60)}' reads ${c.ask.absolute}`, v: c.ask });
      if (c.unknown && readDenyRules.length > 0) uncertain.push(`'${short(cmd.text, 60)}' reads a file named by an expansion (${c.unknown}) and Read deny rules exist (${readDenyRules[0]!.source})`);
    }
    for (const w of access.writes) {
      const c = checkWord('Write', w);
      if (c.deny) return deniedPath(cmd, c.deny);
      if (c.ask) askPaths.push({ what: `'${short(cmd.text, 60)}' writes ${c.ask.absolute}`, v: c.ask });
      if (c.unknown && editDenyRules.length > 0) uncertain.push(`'${short(cmd.text, 60)}' writes a file named by an expansion (${c.unknown}) and Edit deny rules exist (${editDenyRules[0]!.source})`);
      const hit = c.verdicts.map((v) => protectedPath(v.candidates, p.bases.home)).find((h) => h !== undefined);
      if (hit) protectedWrites.push({ cmd, what: `'${short(cmd.text, 60)}' writes ${hit.path}`, hit, verdicts: c.verdicts });
    }
    for (const [list, into] of [
      [access.recursiveReads, recursiveReads],
      [access.recursiveWrites, recursiveWrites],
    ] as const) {
      for (const w of list) {
        const c = checkWord(list === access.recursiveReads ? 'Read' : 'Write', w);
        if (c.deny) return deniedPath(cmd, c.deny);
        if (c.unknown && (list === access.recursiveReads ? readDenyRules : editDenyRules).length > 0) uncertain.push(`'${short(cmd.text, 60)}' works through a directory named by an expansion (${c.unknown})`);
        for (const v of c.verdicts) into.push({ cmd, dir: v.absolute });
      }
    }
    // git diff / show / log -p without a pathspec read the whole repository.
    if (access.repoWide) recursiveReads.push({ cmd, dir: discoverGitRepo(shellCwd)?.top ?? shellCwd });
  }

  const redirectVerdicts: Array<{ redirect: ShellRedirect; verdict: PathVerdict | 'harmless' | 'network' | undefined }> = [];
  for (const r of redirects) {
    if (r.kind !== 'write' && r.kind !== 'read') continue;
    // A target named by an expansion is neither harmless nor a connection: it is checked below.
    // Stryker disable next-line StringLiteral: any text that names neither would do the same.
    const target = r.target.value ?? '';
    if (r.kind === 'write' && (HARMLESS_WRITE_TARGETS.has(target) || /^\/dev\/fd\/[12]$/.test(target))) {
      redirectVerdicts.push({ redirect: r, verdict: 'harmless' });
      continue;
    }
    if (NETWORK_TARGET.test(target)) {
      redirectVerdicts.push({ redirect: r, verdict: 'network' });
      continue;
    }
    const c = checkWord(r.kind === 'write' ? 'Write' : 'Read', r.target);
    if (c.deny) return { behavior: 'deny', reason: `redirect ${r.op} ${c.deny.absolute} is denied by rule ${c.deny.rule!.source}`, rule: c.deny.rule!.source };
    // `<>` opens for reading too.
    const alsoRead = r.op === '<>' ? checkWord('Read', r.target) : undefined;
    if (alsoRead?.deny) return { behavior: 'deny', reason: `redirect ${r.op} ${alsoRead.deny.absolute} is denied by rule ${alsoRead.deny.rule!.source}`, rule: alsoRead.deny.rule!.source };
    if (c.unknown && (r.kind === 'read' ? readDenyRules : editDenyRules).length > 0) uncertain.push(`redirect ${r.op} ${short(r.target.raw, 40)} names a file only known when the command runs, and ${r.kind === 'read' ? 'Read' : 'Edit'} deny rules exist`);
    if (r.kind === 'write') {
      const hit = c.verdicts.map((v) => protectedPath(v.candidates, p.bases.home)).find((h) => h !== undefined);
      if (hit) protectedWrites.push({ what: `redirect ${r.op} ${hit.path}`, hit, verdicts: c.verdicts });
    }
    // Judged by its worst spelling (outside, then not allowed by a rule); unknown when it cannot be resolved.
    const verdict = c.unknown ? undefined : (c.verdicts.find((v) => !v.inside) ?? c.verdicts.find((v) => v.outcome !== 'allow') ?? c.verdicts[0]);
    redirectVerdicts.push({ redirect: r, verdict });
  }

  // ---- 2. a deny rule might apply but cannot be checked: ask, whatever the mode ----
  for (const { cmd, dir } of recursiveReads) {
    const rule = denyBelow(p, 'Read', dir);
    if (rule) uncertain.push(`'${short(cmd.text, 60)}' reads everything under ${dir}, which holds a path denied by rule ${rule.source}`);
  }
  for (const { cmd, dir } of recursiveWrites) {
    const rule = denyBelow(p, 'Write', dir);
    if (rule) uncertain.push(`'${short(cmd.text, 60)}' changes everything under ${dir}, which holds a path denied by rule ${rule.source}`);
    const hit = protectedBelow(dir, p.bases.home);
    if (hit) protectedWrites.push({ cmd, what: `'${short(cmd.text, 60)}' changes everything under ${dir}, including ${hit.path}`, hit, verdicts: [] });
  }
  if (uncertain.length > 0) {
    return { behavior: 'ask', reason: `${uncertain[0]}; a deny rule may cover it, so it needs approval${uncertain.length > 1 ? ` (and ${uncertain.length - 1} more)` : ''}` };
  }

  if (p.mode === 'bypassPermissions') return { behavior: 'allow', reason: 'bypassPermissions mode' };

  // ---- 3. ask rules ----
  for (const cmd of commands) {
    const ask = commandRule(p, 'ask', cmd);
    if (ask) return { behavior: 'ask', reason: `'${short(cmd.text)}' needs approval (rule ${ask.source})`, rule: ask.source, ...suggestions([cmd]) };
    if (cmd.opaque !== undefined && askCommands.length > 0) {
      return { behavior: 'ask', reason: `'${short(cmd.text, 60)}': ${cmd.opaque}, and rule ${askCommands[0]!.source} asks about some commands`, rule: askCommands[0]!.source };
    }
  }
  for (const { redirect, verdict } of redirectVerdicts) {
    if (typeof verdict === 'object' && verdict.outcome === 'ask') {
      return { behavior: 'ask', reason: `redirect ${redirect.op} ${verdict.absolute} needs approval (rule ${verdict.rule!.source})`, rule: verdict.rule!.source };
    }
  }
  if (askPaths.length > 0) return { behavior: 'ask', reason: `${askPaths[0]!.what}, which needs approval (rule ${askPaths[0]!.v.rule!.source})`, rule: askPaths[0]!.v.rule!.source };

  // ---- 4. plan mode ----
  if (p.mode === 'plan') {
    const sideEffect = commands.find((c) => !c.derived && !readOnlyVerdict(c).readOnly);
    const writes = redirectVerdicts.some((r) => !r.redirect.derived && r.redirect.kind === 'write' && r.verdict !== 'harmless');
    if (sideEffect || writes) {
      const what = sideEffect ? `'${short(sideEffect.text)}' may change things` : 'the command writes to a file';
      return { behavior: 'deny', reason: `${what}; ${PLAN_REASON}` };
    }
  }

  // ---- 5. protected paths ----
  for (const w of protectedWrites) {
    if (namedByAllowRule(p, w.hit, w.verdicts, w.cmd)) continue;
    return {
      behavior: 'ask',
      reason: `${short(w.what, 120)}: a protected path (${w.hit.why}), which needs approval even when edits or the command are allowed`,
      suggestedRule: suggestPathRule('Edit', w.hit.path, p.bases.projectRoot),
    };
  }

  // ---- 6. allow rules and read-only commands: every piece must be allowed ----
  const shellInside = p.roots.some((root) => isWithin(path.resolve(shellCwd), root));
  /** Undefined when the command is read-only inside the working directories; else why not (possibly ''). */
  const notReadOnly = (cmd: SubCommand): string | undefined => {
    const v = readOnlyVerdict(cmd);
    if (!v.readOnly) return v.why ?? '';
    if (!shellInside) return '';
    const inBounds = (pth: string) => {
      // After a `cd`, a relative path could point anywhere.
      // Stryker disable next-line OptionalChaining: only a named program's verdict has paths, so there is a first word here.
      if (changesDirectory && !path.isAbsolute(pth) && cmd.words[0]?.value !== 'cd') return false;
      const check = p.checkPath('Read', pth, shellCwd);
      return check.inside || check.outcome === 'allow';
    };
    if (!v.paths.every(inBounds)) return '';
    if (!v.globDirs.every((d) => inBounds(d) && noLinksOut(p, path.resolve(shellCwd, d)))) return '';
    if (v.git && (dirs === undefined || !gitRunsTrusted(dirs))) return 'git would use a repository outside a .git directory, whose configuration could run programs';
    return undefined;
  };

  const bareBash = first(p, 'allow', 'Bash', (r) => r.specifier === undefined);
  const usedRules: string[] = [];
  const pendingCommands: SubCommand[] = [];
  const pendingWhy = new Map<SubCommand, string>();
  for (const cmd of commands) {
    if (cmd.derived) continue;
    const allow = commandRule(p, 'allow', cmd);
    if (allow) {
      usedRules.push(allow.source);
      continue;
    }
    const why = notReadOnly(cmd);
    if (why === undefined) continue;
    pendingCommands.push(cmd);
    if (why !== '') pendingWhy.set(cmd, why);
  }
  const pendingRedirects: string[] = [];
  const redirectSuggestions: string[] = [];
  // acceptEdits allowed a redirect into the working directory: the sandbox must let it write there.
  let editsByMode = false;
  for (const { redirect, verdict } of redirectVerdicts) {
    if (verdict === 'harmless' || redirect.derived) continue;
    if (verdict === 'network') {
      pendingRedirects.push(`${redirect.op} ${redirect.target.value} (a network connection)`);
      continue;
    }
    if (verdict === undefined) {
      pendingRedirects.push(`${redirect.op} ${redirect.target.raw} (a target that cannot be resolved before running)`);
      continue;
    }
    if (verdict.outcome === 'allow') {
      usedRules.push(verdict.rule!.source);
      continue;
    }
    const relativeAfterCd = changesDirectory && !path.isAbsolute(expandHome(redirect.target.value ?? redirect.target.raw, p.bases.home));
    if (verdict.inside && !relativeAfterCd) {
      if (redirect.kind === 'read') continue;
      if (p.mode === 'acceptEdits') {
        editsByMode = true;
        continue;
      }
      // A rule for every command also covers where those commands write inside the working directories.
      if (bareBash) {
        usedRules.push(bareBash.source);
        continue;
      }
    }
    pendingRedirects.push(`${redirect.op} ${verdict.absolute}${verdict.inside ? '' : ' (outside the working directory)'}`);
    redirectSuggestions.push(suggestPathRule(redirect.kind === 'write' ? 'Edit' : 'Read', verdict.absolute, p.bases.projectRoot));
  }

  if (pendingCommands.length === 0 && pendingRedirects.length === 0) {
    const rules = [...new Set(usedRules)];
    if (commands.length === 0 && redirectVerdicts.length === 0) return { behavior: 'allow', reason: 'nothing to run' };
    if (rules.length === 0 && editsByMode) return { behavior: 'allow', reason: 'acceptEdits mode: writes inside the working directory', sandbox: 'workspace' };
    if (rules.length === 0) return { behavior: 'allow', reason: 'read-only command inside the working directory' };
    return { behavior: 'allow', reason: `allowed by rule ${rules.join(', ')}`, rule: rules.join(', ') };
  }
  const parts = [...pendingCommands.map((c) => `'${short(c.text, 60)}'${pendingWhy.has(c) ? ` (${short(pendingWhy.get(c)!, 90)})` : ''}`), ...pendingRedirects.map((r) => `redirect ${r}`)];
  const s = suggestions(pendingCommands, redirectSuggestions);
  return { behavior: 'ask', reason: `${parts.join(', ')} need${parts.length === 1 ? 's' : ''} approval`, ...s };
}

/**
 * A path spelled for matching the /proc and /dev/fd links: `..` is resolved by name only before
 * the link, never after it. `/proc/self/cwd` is a link to the shell's directory, so
 * `/proc/self/cwd/../x` is the `x` beside that directory, not `/proc/self/x` as a plain
 * normalization would have it (which let a denied file be read by that spelling).
 */
export function procSpelling(p: string): string {
  if (!p.startsWith('/')) return p;
  const out: string[] = [];
  const segments = p.split('/');
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg === '' || seg === '.') continue;
    if (out.length === 3 && out[0] === 'proc' && /^(cwd|root|fd|map_files)$/.test(out[2]!)) return `/${[...out, ...segments.slice(i)].join('/')}`;
    // /dev/fd is a link to /proc/self/fd: `/dev/fd/../cwd` is `/proc/self/cwd`.
    if (out.length === 2 && out[0] === 'dev' && out[1] === 'fd') return `/${[...(/^\d+$/.test(seg) ? out : ['proc', 'self', 'fd']), ...segments.slice(i)].join('/')}`;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** Whether an allow rule spells out this protected path (and covers it): `Edit(.git/hooks/**)`, not `Edit(**)`. */
export function namedByAllowRule(p: PolicyView, hit: ProtectedHit, verdicts: PathVerdict[], cmd?: SubCommand): boolean {
  return p.rules.allow.some((r) => {
    if (!ruleNamesProtected(r.specifier, hit)) return false;
    if (r.tool === 'Bash') return cmd !== undefined && r.command !== undefined && r.command.test(cmd.text);
    if (!ruleCoversTool(r, 'Write') || !r.paths) return false;
    const candidates = verdicts.length > 0 ? verdicts.flatMap((v) => v.candidates) : [hit.path];
    return candidates.every((c) => r.paths!.some((re) => re.test(c)));
  });
}

/** A deny rule covering some path below `dir` (where a recursive command would reach it). */
function denyBelow(p: PolicyView, tool: 'Read' | 'Write', dir: string): ParsedRule | undefined {
  const spellings = [...new Set([dir, realpathLoose(dir)])];
  for (const rule of p.rules.deny) {
    if (!ruleCoversTool(rule, tool)) continue;
    if (!rule.anchored || !rule.paths) return rule;
    for (const [i, glob] of rule.anchored.entries()) {
      const cut = glob.search(/[*?[]/);
      const fixed = cut === -1 ? glob.replace(/\/+$/, '') || '/' : glob.slice(0, glob.lastIndexOf('/', cut)) || '/';
      const re = rule.paths[i]!;
      for (const d of spellings) {
        if (isWithin(fixed, d)) return rule;
        if (isWithin(d, fixed) && walkFinds(d, re)) return rule;
      }
    }
  }
  return undefined;
}

/** Walks a bounded number of entries below `dir` for one a matcher accepts (a link counts by its target too). */
function walkFinds(dir: string, re: RegExp, budget = 5000): boolean {
  let found = false;
  const complete = walkBounded(dir, budget, (full, e) => {
    if (re.test(full) || (e.isSymbolicLink() && re.test(realpathLoose(full)))) {
      found = true;
      return 'stop';
    }
  });
  // A tree too large to look through may hold what the rule names.
  return found || !complete;
}

/** A glob expands to a directory's entries: none of them may be a symlink leading outside. */
function noLinksOut(p: PolicyView, dir: string): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return true; // nothing to expand to
  }
  if (entries.length > 5000) return false;
  return entries.every((e) => {
    if (!e.isSymbolicLink()) return true;
    const real = realpathLoose(path.join(dir, e.name));
    return p.roots.some((root) => isWithin(real, root));
  });
}

/**
 * `source f`, `. f`, `bash f`: the commands in the file are what runs. When the file can be read
 * (and this command does not write it first), its commands are checked as if run by the
 * command; otherwise the command could be anything.
 */
async function includeScriptFiles(p: PolicyView, analysis: ShellAnalysis, shellCwd: string, depth: number): Promise<void> {
  const withFiles = analysis.commands.filter((c) => c.scriptFiles && c.scriptFiles.length > 0);
  if (withFiles.length === 0) return;
  const written = new Set<string>();
  for (const r of analysis.redirects) if (r.kind === 'write' && r.target.value !== undefined) written.add(path.resolve(shellCwd, r.target.value));
  for (const c of analysis.commands) for (const w of fileAccess(c).writes) if (w.value !== undefined) written.add(path.resolve(shellCwd, w.value));
  for (const cmd of withFiles) {
    for (const w of cmd.scriptFiles!) {
      if (w.value === undefined) {
        cmd.opaque ??= `it runs a script file named by an expansion (${short(w.raw, 40)}), so it could run any command`;
        continue;
      }
      const file = path.resolve(shellCwd, expandHome(w.value, p.bases.home));
      if ((analysis.changesDirectory && !path.isAbsolute(w.value)) || written.has(file) || pathCandidates(file, shellCwd, p.bases.home).some((c) => written.has(c))) {
        cmd.opaque ??= `it runs ${w.value}, which cannot be read before the command runs, so it could run any command`;
        continue;
      }
      let text: string;
      try {
        const st = fs.statSync(file);
        if (!st.isFile()) {
          // /dev/stdin, a FIFO, /proc/self/fd/N: the script comes from somewhere this cannot read.
          cmd.opaque ??= `it runs ${w.value}, which is not a regular file, so it could run any command`;
          continue;
        }
        if (st.size > MAX_SCRIPT_FILE || depth >= 2) {
          cmd.opaque ??= `it runs ${w.value}, which is too large or nested too deeply to check, so it could run any command`;
          continue;
        }
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue; // no such file: the shell fails without running anything
      }
      try {
        const inner = await analyzeShell(text.replace(/\r\n/g, '\n'), { home: p.bases.home, cwd: shellCwd });
        await includeScriptFiles(p, inner, shellCwd, depth + 1);
        for (const c of inner.commands) c.derived = true;
        for (const r of inner.redirects) r.derived = true;
        analysis.commands.push(...inner.commands);
        analysis.redirects.push(...inner.redirects);
      } catch (err) {
        if (!(err instanceof ShellParseError)) throw err;
        cmd.opaque ??= `it runs ${w.value}, which cannot be parsed, so it could run any command`;
      }
    }
  }
}
