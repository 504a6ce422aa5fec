/**
 * Permission rules, in the reference product's syntax: `Tool` or `Tool(specifier)`.
 * Parsing validates every rule up front (a bad rule is a ConfigError naming it) and compiles
 * its specifier into a matcher, so that deciding a tool call is only regex tests.
 */
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { compileCommandGlob, compilePathGlob } from './glob.js';
import { realBase } from './paths.js';

export type RuleList = 'allow' | 'ask' | 'deny';

/** Tools whose path input `Read(...)` rules govern. */
export const READ_TOOLS = new Set(['Read', 'Glob', 'Grep', 'LS', 'NotebookRead']);
/** Tools whose path input `Edit(...)` rules govern. */
export const EDIT_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

const KNOWN_TOOLS = [
  'Bash',
  ...READ_TOOLS,
  ...EDIT_TOOLS,
  'WebFetch',
  'WebSearch',
  'TodoWrite',
  'Task',
  'Agent',
  'BashOutput',
  'KillShell',
  'KillBash',
  'ExitPlanMode',
  'SlashCommand',
  'Skill',
];

export interface RuleBases {
  cwd: string;
  projectRoot: string;
  home: string;
  /**
   * The file system ignores letter case (macOS, Windows): deny and ask rules then match any
   * case, so `Read(./.env)` also stops `cat .ENV`. Allow rules stay exact (the stricter reading).
   */
  caseInsensitive?: boolean;
}

export interface ParsedRule {
  /** The rule as written, e.g. `Bash(npm run test:*)`. */
  source: string;
  list: RuleList;
  tool: string;
  specifier?: string;
  /** Bash: the compiled command pattern. */
  command?: RegExp;
  /** Path tools: one matcher per spelling of the base directory (as given and symlink-resolved). */
  paths?: RegExp[];
  /** Path tools: the anchored globs behind `paths`, in the same order (the sandbox masks what they name). */
  anchored?: string[];
  /** WebFetch: `example.com` (exact) or `.example.com` (any subdomain). */
  domain?: { host: string; subdomains: boolean };
  /** `Tool(key:value)` for other tools (e.g. `Task(subagent_type:general-purpose)`, `Agent(model:opus)`). */
  param?: { key: string; value: string };
}

const SHAPE = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\((.*)\))?$/s;
/** `mcp__server__*`: every tool of one server, the same as `mcp__server`. */
const MCP_SERVER_WILDCARD = /^(mcp__[A-Za-z0-9_-]+?)__\*$/;
const HINT = 'rules look like Tool or Tool(specifier), e.g. "Bash(npm run test:*)", "Read(./.env)", "Edit(/src/**)", "WebFetch(domain:example.com)", "mcp__github"';

function invalid(rule: string, list: RuleList, why: string): ConfigError {
  return new ConfigError(`invalid permission rule '${rule}' in permissions.${list}: ${why}`, { hint: HINT });
}

/** Turns a Read/Edit specifier into an absolute glob, per the gitignore-style anchoring rules. */
export function anchorPathPattern(spec: string, base: RuleBases): string[] {
  const variants = (dir: string) => [...new Set([dir, realBase(dir)])];
  const join = (dir: string, rest: string) => path.posix.normalize(`${dir}/${rest}`);
  // (`normalize` turns the leading `//` into one slash.)
  if (spec.startsWith('//')) return [path.posix.normalize(spec)];
  if (spec === '~') return variants(base.home);
  if (spec.startsWith('~/')) return variants(base.home).map((d) => join(d, spec.slice(2)));
  // (`join` normalizes: the leading `/` or `./` of the spec needs no stripping.)
  if (spec.startsWith('/')) return variants(base.projectRoot).map((d) => join(d, spec));
  // As in gitignore, a bare name without a slash (other than trailing ones) matches at any depth below its base.
  const floating = !spec.startsWith('./') && !/\/[^/]/.test(spec) && spec !== '**';
  return variants(base.cwd).map((d) => join(d, floating ? `**/${spec}` : spec));
}

function parseDomain(rule: string, list: RuleList, spec: string): ParsedRule['domain'] {
  if (!spec.startsWith('domain:')) throw invalid(rule, list, 'WebFetch rules take a domain, e.g. WebFetch(domain:example.com) or WebFetch(domain:*.example.com)');
  let host = spec.slice('domain:'.length).trim().toLowerCase();
  const subdomains = host.startsWith('*.');
  if (subdomains) host = host.slice(2);
  if (host === '*' && !subdomains) return { host, subdomains: true };
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?$/.test(host)) throw invalid(rule, list, `'${spec.slice(7)}' is not a domain name`);
  return { host, subdomains };
}

export function parseRule(rule: string, list: RuleList, base: RuleBases): ParsedRule {
  if (typeof rule !== 'string') throw invalid(String(rule), list, 'a rule must be a string');
  const source = rule.trim();
  if (source === '') throw invalid(rule, list, 'the rule is empty');
  const wildcard = MCP_SERVER_WILDCARD.exec(source);
  if (wildcard) return { source, list, tool: wildcard[1]! };
  const m = SHAPE.exec(source);
  if (!m) {
    const why = source.includes('(') && !source.endsWith(')') ? 'missing the closing parenthesis' : 'expected Tool or Tool(specifier)';
    throw invalid(source, list, why);
  }
  const tool = m[1]!;
  const spec = m[2];
  const known = KNOWN_TOOLS.find((t) => t.toLowerCase() === tool.toLowerCase());
  if (known && known !== tool) throw invalid(source, list, `unknown tool '${tool}' (tool names are case-sensitive: did you mean '${known}'?)`);
  if (spec !== undefined && spec.trim() === '') throw invalid(source, list, `empty parentheses: write ${tool} to match every use, or give a specifier`);
  const parsed: ParsedRule = { source, list, tool };
  if (spec === undefined) return parsed;
  parsed.specifier = spec;

  if (tool.startsWith('mcp__')) throw invalid(source, list, 'MCP rules take no specifier: use mcp__server (all its tools) or mcp__server__tool');
  if (tool === 'Bash') {
    // `Bash(*)` is the same as `Bash`; `:*` is recognized only at the very end.
    if (spec.trim() === '*') return { source, list, tool };
    const pattern = spec.endsWith(':*') ? `${spec.slice(0, -2)} *` : spec;
    parsed.command = compileCommandGlob(pattern);
    return parsed;
  }
  if (READ_TOOLS.has(tool) || EDIT_TOOLS.has(tool)) {
    parsed.anchored = anchorPathPattern(spec.trim(), base);
    parsed.paths = parsed.anchored.map((g) => compilePathGlob(g, base.caseInsensitive === true && list !== 'allow'));
    return parsed;
  }
  if (tool === 'WebFetch') {
    parsed.domain = parseDomain(source, list, spec.trim());
    return parsed;
  }
  const colon = spec.indexOf(':');
  if (colon > 0) parsed.param = { key: spec.slice(0, colon).trim(), value: spec.slice(colon + 1).trim() };
  else if (tool === 'Task' || tool === 'Agent') parsed.param = { key: 'subagent_type', value: spec.trim() };
  return parsed;
}

export function parseRules(rules: readonly string[] | undefined, list: RuleList, base: RuleBases): ParsedRule[] {
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) throw new ConfigError(`permissions.${list} must be a list of rules`, { hint: HINT });
  return rules.map((r) => parseRule(r, list, base));
}

/** Whether the rule's tool part covers this tool (before looking at the specifier). */
export function ruleCoversTool(rule: ParsedRule, toolName: string): boolean {
  if (rule.tool === toolName) return true;
  if (rule.tool === 'Read' && READ_TOOLS.has(toolName)) return true;
  if (rule.tool === 'Edit' && EDIT_TOOLS.has(toolName)) return true;
  if ((rule.tool === 'Task' && toolName === 'Agent') || (rule.tool === 'Agent' && toolName === 'Task')) return true;
  if ((rule.tool === 'KillShell' && toolName === 'KillBash') || (rule.tool === 'KillBash' && toolName === 'KillShell')) return true;
  // `mcp__server` covers every tool of that server.
  if (rule.tool.startsWith('mcp__') && rule.tool.split('__').length === 2 && toolName.startsWith(`${rule.tool}__`)) return true;
  return false;
}

export function defaultBases(cwd: string, projectRoot: string, home = os.homedir()): RuleBases {
  return { cwd: path.resolve(cwd), projectRoot: path.resolve(projectRoot), home };
}
