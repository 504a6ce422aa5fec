/**
 * The permission engine: turns a tool call into allow / ask / deny.
 *
 * Order, for every tool: deny rules first (a deny always wins, in every mode), then
 * bypassPermissions (allow), then ask rules, then plan mode's restrictions, then allow rules,
 * then the mode's defaults (reads inside the working directories are allowed; edits are
 * allowed there in acceptEdits; everything else asks).
 */
import path from 'node:path';
import { READ_TOOLS, EDIT_TOOLS, parseRule, parseRules, ruleCoversTool, type ParsedRule, type RuleBases, type RuleList } from './rules.js';
import { isWithin, pathCandidates, realBase, expandHome } from './paths.js';
import { decideBash, namedByAllowRule, PLAN_REASON, type PathVerdict, type PolicyView } from './bash-policy.js';
import { hardLinkedProtected, protectedPath } from './protected-paths.js';
import { suggestPathRule } from './suggest.js';
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
  /** Deny and ask path rules match any letter case (default: on macOS and Windows, whose file systems usually ignore it). */
  caseInsensitivePaths?: boolean;
  /**
   * Deny and ask rules from managed settings: an organisation's policy, which nothing inside a
   * session (an Agent SDK host's removeRules / replaceRules included) may take away.
   */
  managed?: { deny: readonly string[]; ask: readonly string[] };
}

/** Tools that only read or only coordinate; a sub-agent's own tool calls are checked separately. */
const ALWAYS_ALLOWED = new Set(['TodoWrite', 'BashOutput', 'KillShell', 'KillBash', 'Task', 'Agent', 'ExitPlanMode', 'Skill']);

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export class RulePolicy implements PermissionPolicy, PolicyView {
  mode: PermissionMode;
  readonly decisions: DecisionRecord[] = [];
  readonly rules: Record<RuleList, ParsedRule[]>;
  readonly roots: string[];
  readonly bases: RuleBases;
  private readonly now: () => number;

  get additionalDirectories(): readonly string[] {
    return [...this.options.additionalDirectories, ...this.addedDirectories];
  }

  constructor(private readonly options: PolicyOptions) {
    this.mode = options.mode;
    this.bases = {
      cwd: path.resolve(options.cwd),
      projectRoot: path.resolve(options.projectRoot),
      home: options.home,
      caseInsensitive: options.caseInsensitivePaths ?? (process.platform === 'darwin' || process.platform === 'win32'),
    };
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

  /** Rules changed while the session runs (an Agent SDK host's updatedPermissions); saving them is the caller's (updates.ts). */
  changeRules(list: RuleList, op: 'add' | 'remove' | 'replace', rules: readonly string[]): void {
    // Parsed first: a bad rule changes nothing.
    const parsed = rules.map((r) => parseRule(r, list, this.bases));
    const current = this.rules[list];
    const fixed = new Set(list === 'allow' ? [] : (this.options.managed?.[list] ?? []).map((r) => r.trim()));
    if (op === 'replace') current.splice(0, current.length, ...current.filter((r) => fixed.has(r.source)));
    if (op === 'remove') {
      const gone = new Set(parsed.map((p) => p.source).filter((r) => !fixed.has(r)));
      current.splice(0, current.length, ...current.filter((r) => !gone.has(r.source)));
      return;
    }
    for (const p of parsed) if (!current.some((r) => r.source === p.source)) current.push(p);
  }

  /** More working directories for this session (reads, and edits where the mode allows them). */
  addDirectories(dirs: readonly string[]): void {
    for (const d of dirs) {
      const abs = path.resolve(this.bases.projectRoot, expandHome(d, this.options.home));
      for (const r of [abs, realBase(abs)]) if (!this.roots.includes(r)) this.roots.push(r);
      if (!this.addedDirectories.includes(d)) this.addedDirectories.push(d);
    }
  }

  private readonly addedDirectories: string[] = [];

  addRule(list: RuleList, rule: string): boolean {
    const parsed = parseRule(rule, list, this.bases);
    if (this.rules[list].some((r) => r.source === parsed.source)) return false;
    this.rules[list].push(parsed);
    return true;
  }

  removeRule(list: RuleList, rule: string): boolean {
    const at = this.rules[list].findIndex((r) => r.source === rule.trim());
    if (at < 0) return false;
    this.rules[list].splice(at, 1);
    return true;
  }

  setMode(mode: PermissionMode): void {
    this.options.checkMode?.(mode);
    this.mode = mode;
  }

  listRules() {
    const sources = (list: RuleList) => this.rules[list].map((r) => r.source);
    return { allow: sources('allow'), ask: sources('ask'), deny: sources('deny'), additionalDirectories: [...this.additionalDirectories] };
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
    if (toolName === 'Bash') return decideBash(this, obj, context);
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

  checkPath(toolName: string, raw: string, cwd: string): PathVerdict {
    const candidates = pathCandidates(raw, cwd, this.bases.home);
    const absolute = candidates[0]!;
    const inside = candidates.every((c) => this.roots.some((root) => isWithin(c, root)));
    const deny = this.pathRule('deny', toolName, candidates);
    if (deny) return { outcome: 'deny', rule: deny, inside, absolute, candidates };
    const ask = this.pathRule('ask', toolName, candidates);
    if (ask) return { outcome: 'ask', rule: ask, inside, absolute, candidates };
    const allow = this.pathRule('allow', toolName, candidates);
    if (allow) return { outcome: 'allow', rule: allow, inside, absolute, candidates };
    return { outcome: 'none', inside, absolute, candidates };
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
    // toolPaths never gives an empty list today; if a change ever did, asking stays the safe answer.
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: equivalent while toolPaths gives at least one path (docs/mutation.md)
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
    const suggestion = (v: PathVerdict) => suggestPathRule(isEdit ? 'Edit' : 'Read', v.absolute, this.bases.projectRoot, !isEdit && toolName !== 'Read' && toolName !== 'NotebookRead');
    if (asked) return { behavior: 'ask', reason: `${toolName} of ${asked.absolute} needs approval (rule ${asked.rule!.source})`, rule: asked.rule!.source, suggestedRule: suggestion(asked) };
    if (isEdit && this.mode === 'plan') return { behavior: 'deny', reason: `${toolName}: ${PLAN_REASON}` };
    if (isEdit) {
      // Files that change what runs or what is allowed: neither acceptEdits nor a broad rule covers them.
      for (const v of verdicts) {
        const hit = protectedPath(v.candidates, this.bases.home) ?? hardLinkedProtected(v.absolute, this.roots, this.bases.home);
        if (hit && !namedByAllowRule(this, hit, [v])) {
          return {
            behavior: 'ask',
            reason: `${toolName} of ${v.absolute}: ${hit.path === v.absolute ? 'a protected path' : `it leads to ${hit.path}, a protected path`} (${hit.why}), which needs approval even when edits are allowed`,
            suggestedRule: suggestion(v),
          };
        }
      }
    }
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
    return { behavior: 'ask', reason, suggestedRule: suggestion(p) };
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
