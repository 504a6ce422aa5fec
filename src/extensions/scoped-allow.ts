/**
 * `allowed-tools` of a skill or custom command: rules that allow calls without asking while it
 * is active (the rest of the turn). They only turn an "ask" into "allow": a deny rule, a call
 * outside the rules, plan mode, and everything the policy itself decides stay as they are.
 */
import type { DecideContext, PermissionDecision, PermissionMode, PermissionPolicy } from '../permissions/types.js';

export class ScopedAllowPolicy implements PermissionPolicy {
  private rules: string[] = [];
  private sources: string[] = [];
  private extra: PermissionPolicy | undefined;

  /** `build` makes a policy with the session's rules plus these allow rules (throws ConfigError on a bad rule). */
  constructor(
    private readonly base: PermissionPolicy,
    private readonly build: (allow: string[]) => PermissionPolicy,
  ) {}

  get mode(): PermissionMode {
    return this.base.mode;
  }
  get decisions() {
    return this.base.decisions;
  }

  /** Adds rules until `reset()`; `source` names who asked (`/deploy`, `skill pdf`). */
  grant(rules: readonly string[], source: string): void {
    if (rules.length === 0) return;
    const next = [...new Set([...this.rules, ...rules])];
    this.extra = this.build(next);
    this.rules = next;
    if (!this.sources.includes(source)) this.sources.push(source);
  }

  reset(): void {
    this.rules = [];
    this.sources = [];
    this.extra = undefined;
  }

  get granted(): readonly string[] {
    return this.rules;
  }

  async decide(toolName: string, input: unknown, context?: DecideContext): Promise<PermissionDecision> {
    const decision = await this.base.decide(toolName, input, context);
    if (decision.behavior !== 'ask' || !this.extra || this.base.mode === 'plan') return decision;
    const widened = await this.extra.decide(toolName, input, context);
    if (widened.behavior !== 'allow' || !widened.rule) return decision;
    return { ...widened, reason: `${widened.reason} (allowed-tools of ${this.sources.join(', ')})` };
  }

  rememberAllow(rule: string): Promise<void> {
    return this.base.rememberAllow(rule);
  }
  addRule(list: 'allow' | 'ask' | 'deny', rule: string): boolean {
    if (!this.base.addRule) throw new Error('this permission policy cannot take rules');
    return this.base.addRule(list, rule);
  }
  removeRule(list: 'allow' | 'ask' | 'deny', rule: string): boolean {
    return this.base.removeRule?.(list, rule) ?? false;
  }
  isDenied(toolName: string, absolutePath: string): boolean {
    return this.base.isDenied?.(toolName, absolutePath) ?? false;
  }
  changeRules(list: 'allow' | 'ask' | 'deny', op: 'add' | 'remove' | 'replace', rules: readonly string[]): void {
    if (!this.base.changeRules) throw new Error('this permission policy cannot change its rules');
    this.base.changeRules(list, op, rules);
  }
  addDirectories(dirs: readonly string[]): void {
    if (!this.base.addDirectories) throw new Error('this permission policy cannot add directories');
    this.base.addDirectories(dirs);
  }
  setMode(mode: PermissionMode): void {
    if (!this.base.setMode) throw new Error('this permission policy cannot change modes');
    this.base.setMode(mode);
  }
  sandboxPaths() {
    if (!this.base.sandboxPaths) throw new Error('this permission policy has no sandbox paths');
    return this.base.sandboxPaths();
  }
  listRules() {
    const rules = this.base.listRules?.() ?? { allow: [], ask: [], deny: [], additionalDirectories: [] };
    return { ...rules, allow: [...rules.allow, ...this.rules.filter((r) => !rules.allow.includes(r))] };
  }
}
