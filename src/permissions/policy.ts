/**
 * The permission engine: turns a tool call into allow / ask / deny.
 *
 * Order, for every tool: deny rules first (a deny always wins, in every mode), then
 * bypassPermissions (allow), then ask rules, then plan mode's restrictions, then allow rules,
 * then the mode's defaults (reads inside the working directories are allowed; edits are
 * allowed there in acceptEdits; everything else asks).
 */
import fs from 'node:fs';
import path from 'node:path';
import { READ_TOOLS, EDIT_TOOLS, parseRule, parseRules, ruleCoversTool, type ParsedRule, type RuleBases, type RuleList } from './rules.js';
import { isWithin, pathCandidates, realBase, realpathLoose, expandHome } from './paths.js';
import { analyzeShell, ShellParseError, type ShellAnalysis, type SubCommand } from './shell.js';
import { readOnlyVerdict, READS_FILES, WRITES_FILES } from './read-only-commands.js';
import { suggestBashRule, suggestPathRule } from './suggest.js';
import { appendAllowRule } from './settings-file.js';
import type { DecideContext, DecisionRecord, PermissionDecision, PermissionMode, PermissionPolicy, SandboxPaths } from './types.js';

export interface PolicyOptions {
  cwd: string;
  projectRoot: string;
  home: string;
  mode: PermissionMode;
  allow: readonly string[];
  ask: readonly string[];
  deny: readonly string[];
  additionalDirectories: readonly string[];
  now?: () => number;
  /** Throws when a mode may not be used here (bypassPermissions as root outside a sandbox). */
  checkMode?: (mode: PermissionMode) => void;
}

/** Tools that only read or only coordinate; a sub-agent's own tool calls are checked separately. */
const ALWAYS_ALLOWED = new Set(['TodoWrite', 'BashOutput', 'KillShell', 'KillBash', 'Task', 'Agent', 'ExitPlanMode']);
const HARMLESS_WRITE_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty']);
const PLAN_REASON = 'plan mode is on: only reading and proposing is allowed, so this was not run (the user can leave plan mode to make changes)';

type Outcome = 'deny' | 'ask' | 'allow' | 'none';

interface PathVerdict {
  outcome: Outcome;
  rule?: ParsedRule;
  inside: boolean;
  /** The normalized absolute path, for messages and suggestions. */
  absolute: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function short(s: string, max = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export class RulePolicy implements PermissionPolicy {
  mode: PermissionMode;
  readonly decisions: DecisionRecord[] = [];
  private readonly rules: Record<RuleList, ParsedRule[]>;
  private readonly roots: string[];
  private readonly bases: RuleBases;
  private readonly now: () => number;

  constructor(private readonly options: PolicyOptions) {
    this.mode = options.mode;
    this.bases = { cwd: path.resolve(options.cwd), projectRoot: path.resolve(options.projectRoot), home: options.home };
    this.now = options.now ?? Date.now;
    this.rules = {
      deny: parseRules(options.deny, 'deny', this.bases),
      ask: parseRules(options.ask, 'ask', this.bases),
      allow: parseRules(options.allow, 'allow', this.bases),
    };
    const dirs = [this.bases.cwd, ...options.additionalDirectories.map((d) => path.resolve(this.bases.projectRoot, expandHome(d, options.home)))];
    this.roots = [...new Set(dirs.flatMap((d) => [d, realBase(d)]))];
  }

  private saving: Promise<unknown> = Promise.resolve();

  async rememberAllow(rule: string): Promise<void> {
    const parsed = parseRule(rule, 'allow', this.bases);
    // One read-modify-write at a time, so two quick answers cannot overwrite each other.
    const save = this.saving.then(() => appendAllowRule(this.bases.projectRoot, parsed.source));
    this.saving = save.catch(() => undefined);
    await save;
    if (!this.rules.allow.some((r) => r.source === parsed.source)) this.rules.allow.push(parsed);
  }

  setMode(mode: PermissionMode): void {
    this.options.checkMode?.(mode);
    this.mode = mode;
  }

  listRules() {
    const sources = (list: RuleList) => this.rules[list].map((r) => r.source);
    return { allow: sources('allow'), ask: sources('ask'), deny: sources('deny'), additionalDirectories: [...this.options.additionalDirectories] };
  }

  sandboxPaths(): SandboxPaths {
    const matchers = (tool: 'Read' | 'Edit') =>
      this.rules.deny
        .filter((r) => ruleCoversTool(r, tool) && r.anchored)
        .flatMap((r) =>
          r.anchored!.map((glob, i) => {
            const re = r.paths![i]!;
            const cut = glob.search(/[*?[]/);
            const fixed = cut === -1 ? glob.replace(/\/+$/, '') || '/' : glob.slice(0, glob.lastIndexOf('/', cut)) || '/';
            return { source: r.source, fixed, test: (p: string) => re.test(p) };
          }),
        );
    return { writableRoots: [...this.roots], denyRead: matchers('Read'), denyWrite: matchers('Edit') };
  }

  isDenied(toolName: string, absolutePath: string): boolean {
    return this.pathRule('deny', toolName, pathCandidates(absolutePath, this.bases.cwd, this.bases.home)) !== undefined;
  }

  async decide(toolName: string, input: unknown, context: DecideContext = {}): Promise<PermissionDecision> {
    const decision = await this.evaluate(toolName, input, context);
    if (toolName === 'Bash' && decision.behavior === 'allow' && decision.sandbox === undefined) {
      // Plan mode never writes; bypass is unlimited; what a rule allowed writes in the workspace.
      decision.sandbox = this.mode === 'plan' ? 'read-only' : this.mode === 'bypassPermissions' ? 'unrestricted' : decision.rule ? 'workspace' : 'read-only';
    }
    this.decisions.push({ tool: toolName, input, behavior: decision.behavior, reason: decision.reason, rule: decision.rule, at: this.now() });
    return decision;
  }

  private evaluate(toolName: string, input: unknown, context: DecideContext): Promise<PermissionDecision> | PermissionDecision {
    const obj = (input !== null && typeof input === 'object' ? input : {}) as Record<string, unknown>;
    if (toolName === 'Bash') return this.decideBash(obj, context);
    if (READ_TOOLS.has(toolName) || EDIT_TOOLS.has(toolName)) return this.decidePathTool(toolName, obj);
    if (toolName === 'WebFetch') return this.decideWebFetch(obj);
    return this.decideOther(toolName, obj);
  }

  // ---- rule lookup -------------------------------------------------------------------

  private first(list: RuleList, toolName: string, matches: (r: ParsedRule) => boolean): ParsedRule | undefined {
    return this.rules[list].find((r) => ruleCoversTool(r, toolName) && matches(r));
  }

  /** Deny/ask rules catch a path under any of its spellings; allow rules must cover all of them. */
  private pathRule(list: RuleList, toolName: string, candidates: string[]): ParsedRule | undefined {
    return this.first(list, toolName, (r) => {
      if (r.specifier === undefined) return true;
      if (!r.paths) return false;
      const hit = (c: string) => r.paths!.some((re) => re.test(c));
      return list === 'allow' ? candidates.every(hit) : candidates.some(hit);
    });
  }

  private checkPath(toolName: string, raw: string, cwd: string): PathVerdict {
    const candidates = pathCandidates(raw, cwd, this.bases.home);
    const absolute = candidates[0]!;
    const inside = candidates.every((c) => this.roots.some((root) => isWithin(c, root)));
    const deny = this.pathRule('deny', toolName, candidates);
    if (deny) return { outcome: 'deny', rule: deny, inside, absolute };
    const ask = this.pathRule('ask', toolName, candidates);
    if (ask) return { outcome: 'ask', rule: ask, inside, absolute };
    const allow = this.pathRule('allow', toolName, candidates);
    if (allow) return { outcome: 'allow', rule: allow, inside, absolute };
    return { outcome: 'none', inside, absolute };
  }

  // ---- file tools ----------------------------------------------------------------------

  /** The paths a file tool touches: its file or directory, and a Glob pattern's fixed prefix. */
  private toolPaths(toolName: string, obj: Record<string, unknown>): string[] | undefined {
    if (toolName === 'NotebookEdit' || toolName === 'NotebookRead') {
      const p = str(obj.notebook_path) ?? str(obj.file_path);
      return p === undefined ? undefined : [p];
    }
    if (toolName === 'Glob' || toolName === 'Grep' || toolName === 'LS') {
      const base = str(obj.path) ?? this.bases.cwd;
      const out = [base];
      const pattern = toolName === 'Glob' ? str(obj.pattern) : undefined;
      if (pattern !== undefined) {
        // Only the part before the first wildcard can point elsewhere (`../../etc/*`, `/etc/**`).
        const fixed: string[] = [];
        for (const seg of expandHome(pattern, this.bases.home).split('/')) {
          if (/[*?[{]/.test(seg)) break;
          fixed.push(seg);
        }
        const prefix = fixed.join('/') || (pattern.startsWith('/') ? '/' : '.');
        const root = path.resolve(this.bases.cwd, base);
        out.push(path.resolve(root, prefix));
        // A `..` after a wildcard (`src/*/../../x`) climbs from wherever the wildcard matched.
        const climbs = expandHome(pattern, this.bases.home)
          .split('/')
          .map((seg) => (/[*?[{]/.test(seg) ? 'x' : seg));
        if (climbs.includes('..')) out.push(path.resolve(root, climbs.join('/')));
      }
      return out;
    }
    const p = str(obj.file_path) ?? str(obj.path);
    return p === undefined ? undefined : [p];
  }

  private decidePathTool(toolName: string, obj: Record<string, unknown>): PermissionDecision {
    const isEdit = EDIT_TOOLS.has(toolName);
    const paths = this.toolPaths(toolName, obj);
    if (!paths || paths.length === 0) {
      const deny = this.first('deny', toolName, (r) => r.specifier === undefined);
      if (deny) return { behavior: 'deny', reason: `${toolName} is denied by rule ${deny.source}`, rule: deny.source };
      return { behavior: 'ask', reason: `${toolName} was called without a path` };
    }
    const verdicts = paths.map((p) => this.checkPath(toolName, p, this.bases.cwd));
    const denied = verdicts.find((v) => v.outcome === 'deny');
    if (denied) return { behavior: 'deny', reason: `${toolName} of ${denied.absolute} is denied by rule ${denied.rule!.source}`, rule: denied.rule!.source };
    if (this.mode === 'bypassPermissions') return { behavior: 'allow', reason: 'bypassPermissions mode' };
    const asked = verdicts.find((v) => v.outcome === 'ask');
    const target = verdicts[0]!;
    const suggestion = (v: PathVerdict) => suggestPathRule(isEdit ? 'Edit' : 'Read', v.absolute, this.bases.projectRoot, !isEdit && toolName !== 'Read' && toolName !== 'NotebookRead');
    if (asked) return { behavior: 'ask', reason: `${toolName} of ${asked.absolute} needs approval (rule ${asked.rule!.source})`, rule: asked.rule!.source, suggestedRule: suggestion(asked) };
    if (isEdit && this.mode === 'plan') return { behavior: 'deny', reason: `${toolName}: ${PLAN_REASON}` };
    const pending = verdicts.filter((v) => !(v.outcome === 'allow' || (v.inside && (!isEdit || this.mode === 'acceptEdits'))));
    if (pending.length === 0) {
      const rule = verdicts.find((v) => v.outcome === 'allow')?.rule?.source;
      const why = rule ? `allowed by rule ${rule}` : isEdit ? 'acceptEdits mode: inside the working directory' : 'reading inside the working directory';
      return rule ? { behavior: 'allow', reason: why, rule } : { behavior: 'allow', reason: why };
    }
    const p = pending[0]!;
    const reason = !p.inside
      ? `${toolName} of ${p.absolute} is outside the working director${this.options.additionalDirectories.length > 0 ? 'ies' : 'y'} and needs approval`
      : `${toolName} of ${p.absolute} needs approval`;
    return { behavior: 'ask', reason, suggestedRule: suggestion(p ?? target) };
  }

  // ---- Bash ----------------------------------------------------------------------------

  private commandRule(list: RuleList, cmd: SubCommand): ParsedRule | undefined {
    // Deny and ask also look at the words unquoted, so `"rm" -rf x` cannot dodge `Bash(rm:*)`.
    const texts = list === 'allow' ? [cmd.text] : [cmd.text, cmd.words.map((w) => w.value ?? w.raw).join(' ')];
    return this.first(list, 'Bash', (r) => r.specifier === undefined || (r.command !== undefined && texts.some((t) => r.command!.test(t))));
  }

  private async decideBash(obj: Record<string, unknown>, context: DecideContext): Promise<PermissionDecision> {
    const command = str(obj.command);
    if (command === undefined || command.trim() === '') return { behavior: 'ask', reason: 'Bash was called without a command' };
    const shellCwd = context.shellCwd ?? this.bases.cwd;
    let analysis: ShellAnalysis;
    try {
      analysis = await analyzeShell(command);
    } catch (err) {
      if (!(err instanceof ShellParseError)) throw err;
      const whole: SubCommand = { assigns: [], words: [], text: command.trim().replace(/\s+/g, ' '), kind: 'call' };
      const deny = this.commandRule('deny', whole);
      if (deny) return { behavior: 'deny', reason: `command is denied by rule ${deny.source}`, rule: deny.source };
      if (this.mode === 'bypassPermissions') return { behavior: 'allow', reason: 'bypassPermissions mode' };
      if (this.mode === 'plan') return { behavior: 'deny', reason: `Bash: ${PLAN_REASON}` };
      return { behavior: 'ask', reason: `the command could not be parsed (${err.message}), so it needs approval` };
    }
    const { commands, redirects, changesDirectory } = analysis;

    // 1. Deny: any sub-command, redirect target or file argument that a deny rule covers.
    for (const cmd of commands) {
      const deny = this.commandRule('deny', cmd);
      if (deny) return { behavior: 'deny', reason: `'${short(cmd.text)}' is denied by rule ${deny.source}`, rule: deny.source };
      const name = cmd.words[0]?.value;
      if (name === undefined) continue;
      const fileArgs = cmd.words.slice(1).flatMap((w) => (w.value !== undefined && !w.value.startsWith('-') && w.value !== '' ? [w.value] : []));
      for (const [set, tool] of [
        [READS_FILES, 'Read'],
        [WRITES_FILES, 'Write'],
      ] as const) {
        if (!set.has(name)) continue;
        for (const arg of fileArgs) {
          const v = this.checkPath(tool, arg, shellCwd);
          if (v.outcome === 'deny') return { behavior: 'deny', reason: `'${short(cmd.text)}' touches ${v.absolute}, denied by rule ${v.rule!.source}`, rule: v.rule!.source };
        }
      }
    }
    const redirectVerdicts = redirects
      .filter((r) => r.kind === 'write' || r.kind === 'read')
      .map((r) => {
        const target = r.target.value;
        if (target === undefined) return { redirect: r, verdict: undefined };
        if (r.kind === 'write' && (HARMLESS_WRITE_TARGETS.has(target) || /^\/dev\/fd\/\d+$/.test(target))) return { redirect: r, verdict: 'harmless' as const };
        return { redirect: r, verdict: this.checkPath(r.kind === 'write' ? 'Write' : 'Read', target, shellCwd) };
      });
    for (const { redirect, verdict } of redirectVerdicts) {
      if (typeof verdict === 'object' && verdict.outcome === 'deny') {
        return { behavior: 'deny', reason: `redirect ${redirect.op} ${verdict.absolute} is denied by rule ${verdict.rule!.source}`, rule: verdict.rule!.source };
      }
    }

    if (this.mode === 'bypassPermissions') return { behavior: 'allow', reason: 'bypassPermissions mode' };

    // 2. Ask rules.
    for (const cmd of commands) {
      const ask = this.commandRule('ask', cmd);
      if (ask) return { behavior: 'ask', reason: `'${short(cmd.text)}' needs approval (rule ${ask.source})`, rule: ask.source, ...this.suggestions([cmd]) };
    }
    for (const { redirect, verdict } of redirectVerdicts) {
      if (typeof verdict === 'object' && verdict.outcome === 'ask') {
        return { behavior: 'ask', reason: `redirect ${redirect.op} ${verdict.absolute} needs approval (rule ${verdict.rule!.source})`, rule: verdict.rule!.source };
      }
    }

    // 3. Which sub-commands are read-only with every path inside the working directories.
    // Commands without path arguments read the shell's current directory.
    const shellInside = this.roots.some((root) => isWithin(path.resolve(shellCwd), root));
    const readOnly = (cmd: SubCommand): boolean => {
      const v = readOnlyVerdict(cmd);
      if (!v.readOnly || !shellInside) return false;
      const inBounds = (p: string) => {
        // After a `cd`, a relative path could point anywhere.
        if (changesDirectory && !path.isAbsolute(p) && cmd.words[0]?.value !== 'cd') return false;
        const check = this.checkPath('Read', p, shellCwd);
        return check.inside || check.outcome === 'allow';
      };
      return v.paths.every(inBounds) && v.globDirs.every((d) => inBounds(d) && this.noLinksOut(path.resolve(shellCwd, d)));
    };

    if (this.mode === 'plan') {
      const sideEffect = commands.find((c) => !c.derived && !readOnlyVerdict(c).readOnly);
      const writes = redirectVerdicts.some((r) => !r.redirect.derived && r.redirect.kind === 'write' && r.verdict !== 'harmless');
      if (sideEffect || writes) {
        const what = sideEffect ? `'${short(sideEffect.text)}' may change things` : 'the command writes to a file';
        return { behavior: 'deny', reason: `${what}; ${PLAN_REASON}` };
      }
    }

    // 4. Allow rules and read-only defaults: every piece must be allowed.
    const usedRules: string[] = [];
    const pendingCommands: SubCommand[] = [];
    for (const cmd of commands) {
      if (cmd.derived) continue;
      const allow = this.commandRule('allow', cmd);
      if (allow) usedRules.push(allow.source);
      else if (!readOnly(cmd)) pendingCommands.push(cmd);
    }
    const pendingRedirects: string[] = [];
    const redirectSuggestions: string[] = [];
    for (const { redirect, verdict } of redirectVerdicts) {
      if (verdict === 'harmless' || redirect.derived) continue;
      if (verdict === undefined) {
        pendingRedirects.push(`${redirect.op} ${redirect.target.raw} (a target that cannot be resolved before running)`);
        continue;
      }
      if (verdict.outcome === 'allow') {
        usedRules.push(verdict.rule!.source);
        continue;
      }
      const fine = redirect.kind === 'read' ? verdict.inside : verdict.inside && this.mode === 'acceptEdits';
      if (fine && !(changesDirectory && !path.isAbsolute(redirect.target.value!))) continue;
      pendingRedirects.push(`${redirect.op} ${verdict.absolute}${verdict.inside ? '' : ' (outside the working directory)'}`);
      redirectSuggestions.push(suggestPathRule(redirect.kind === 'write' ? 'Edit' : 'Read', verdict.absolute, this.bases.projectRoot));
    }

    if (pendingCommands.length === 0 && pendingRedirects.length === 0) {
      const rules = [...new Set(usedRules)];
      if (commands.length === 0) return { behavior: 'allow', reason: 'nothing to run' };
      if (rules.length === 0) return { behavior: 'allow', reason: 'read-only command inside the working directory' };
      return { behavior: 'allow', reason: `allowed by rule ${rules.join(', ')}`, rule: rules.join(', ') };
    }
    const parts = [...pendingCommands.map((c) => `'${short(c.text, 60)}'`), ...pendingRedirects.map((r) => `redirect ${r}`)];
    const s = this.suggestions(pendingCommands, redirectSuggestions);
    return { behavior: 'ask', reason: `${parts.join(', ')} need${parts.length === 1 ? 's' : ''} approval`, ...s };
  }

  /** A glob expands to a directory's entries: none of them may be a symlink leading outside. */
  private noLinksOut(dir: string): boolean {
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
      return this.roots.some((root) => isWithin(real, root));
    });
  }

  private suggestions(cmds: SubCommand[], extra: string[] = []): Pick<PermissionDecision, 'suggestedRule' | 'suggestedRules'> {
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

  // ---- WebFetch and the rest -----------------------------------------------------------

  private decideWebFetch(obj: Record<string, unknown>): PermissionDecision {
    let host: string | undefined;
    try {
      host = new URL(str(obj.url) ?? '').hostname.toLowerCase();
    } catch {
      host = undefined;
    }
    const domainMatch = (r: ParsedRule) =>
      r.specifier === undefined || (r.domain !== undefined && host !== undefined && (r.domain.host === '*' || (r.domain.subdomains ? host.endsWith(`.${r.domain.host}`) : host === r.domain.host)));
    const deny = this.first('deny', 'WebFetch', domainMatch);
    if (deny) return { behavior: 'deny', reason: `fetching ${host ?? 'that URL'} is denied by rule ${deny.source}`, rule: deny.source };
    if (this.mode === 'bypassPermissions') return { behavior: 'allow', reason: 'bypassPermissions mode' };
    const suggestedRule = host ? `WebFetch(domain:${host})` : undefined;
    const ask = this.first('ask', 'WebFetch', domainMatch);
    if (ask) return { behavior: 'ask', reason: `fetching ${host} needs approval (rule ${ask.source})`, rule: ask.source, ...(suggestedRule ? { suggestedRule } : {}) };
    const allow = this.first('allow', 'WebFetch', domainMatch);
    if (allow) return { behavior: 'allow', reason: `allowed by rule ${allow.source}`, rule: allow.source };
    if (!host) return { behavior: 'ask', reason: 'WebFetch was called without a valid URL' };
    return { behavior: 'ask', reason: `fetching from ${host} needs approval`, ...(suggestedRule ? { suggestedRule } : {}) };
  }

  private decideOther(toolName: string, obj: Record<string, unknown>): PermissionDecision {
    const paramMatch = (r: ParsedRule) => r.specifier === undefined || (r.param !== undefined && String(obj[r.param.key]) === r.param.value);
    const deny = this.first('deny', toolName, paramMatch);
    if (deny) return { behavior: 'deny', reason: `${toolName} is denied by rule ${deny.source}`, rule: deny.source };
    if (this.mode === 'bypassPermissions') return { behavior: 'allow', reason: 'bypassPermissions mode' };
    const ask = this.first('ask', toolName, paramMatch);
    if (ask) return { behavior: 'ask', reason: `${toolName} needs approval (rule ${ask.source})`, rule: ask.source, suggestedRule: toolName };
    const allow = this.first('allow', toolName, paramMatch);
    if (allow) return { behavior: 'allow', reason: `allowed by rule ${allow.source}`, rule: allow.source };
    if (ALWAYS_ALLOWED.has(toolName)) return { behavior: 'allow', reason: `${toolName} changes nothing by itself` };
    return { behavior: 'ask', reason: `${toolName} needs approval`, suggestedRule: toolName };
  }
}
