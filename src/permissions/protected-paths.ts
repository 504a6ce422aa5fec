/**
 * Files that change what runs or what is allowed: git's configuration and hooks, the settings
 * of bcode and the reference product, MCP server definitions, shell start-up files, direnv and
 * package-manager configuration, ssh / AWS / git user configuration. Writing one of them is
 * never allowed by acceptEdits or by a broad rule (`Edit`, `Edit(**)`, `Bash`): only
 * bypassPermissions or an allow rule that spells out the protected name (`Edit(.git/hooks/**)`,
 * `Edit(./.envrc)`) covers it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isWithin } from './paths.js';
import { walkBounded } from '../util/bounded-walk.js';

export interface ProtectedHit {
  /** The spelling of the path that matched. */
  path: string;
  /** Why writing it needs approval, for the reason string. */
  why: string;
  /** The names a rule must spell to count as naming this path specifically. */
  names: string[];
}

interface Entry {
  names: string[];
  why: string;
  /** Matches a path given as its segments (lower-cased) and, for home entries, relative to home. */
  test(segments: string[], homeRel: string[] | undefined): boolean;
}

const lower = (s: string) => s.toLowerCase();
const anySegment = (name: string) => (segs: string[]) => segs.includes(name);
const base = (...names: string[]) => (segs: string[]) => names.includes(segs[segs.length - 1]!);
const underHome =
  (...prefix: string[]) =>
  (_: string[], rel: string[] | undefined) =>
    rel !== undefined && prefix.every((p, i) => rel[i] === p);

const SHELL_STARTUP = ['.bashrc', '.bash_profile', '.bash_login', '.bash_logout', '.profile', '.zshrc', '.zshenv', '.zprofile', '.zlogin', '.zlogout', '.kshrc', '.mkshrc', '.cshrc', '.tcshrc', '.inputrc'];

const ENTRIES: Entry[] = [
  { names: ['.git'], why: 'git runs the programs its configuration and hooks name', test: anySegment('.git') },
  { names: ['.gitattributes', 'attributes'], why: 'git attributes choose the filters and diff programs git runs', test: base('.gitattributes') },
  { names: ['.gitmodules'], why: 'submodule definitions choose what git fetches and runs', test: base('.gitmodules') },
  { names: ['.claude'], why: "bcode's and the reference product's settings, commands, agents and hooks decide what runs and what is allowed", test: anySegment('.claude') },
  { names: ['.mcp.json'], why: 'MCP server definitions start programs', test: base('.mcp.json') },
  { names: ['.envrc'], why: 'direnv runs it on entering the directory', test: base('.envrc') },
  { names: ['.npmrc', '.yarnrc', '.yarnrc.yml'], why: 'package-manager settings choose the shell and programs scripts run with', test: base('.npmrc', '.yarnrc', '.yarnrc.yml') },
  { names: ['.husky'], why: 'husky installs these as git hooks', test: anySegment('.husky') },
  { names: ['.pre-commit-config.yaml'], why: 'pre-commit runs the hooks it lists', test: base('.pre-commit-config.yaml') },
  { names: ['tasks.json', 'settings.json', '.vscode'], why: 'the editor runs the tasks and programs they name', test: (s) => s[s.length - 2] === '.vscode' && ['tasks.json', 'settings.json'].includes(s[s.length - 1]!) },
  { names: SHELL_STARTUP, why: 'shell start-up files run in every new shell', test: (_, rel) => rel?.length === 1 && SHELL_STARTUP.includes(rel[0]!) },
  { names: ['fish'], why: 'shell start-up files run in every new shell', test: underHome('.config', 'fish') },
  { names: ['.ssh'], why: 'ssh keys and configuration (which can run programs) live there', test: underHome('.ssh') },
  { names: ['.aws'], why: 'AWS credentials and configuration (which can run programs) live there', test: underHome('.aws') },
  { names: ['.gitconfig'], why: 'git runs the programs its configuration names', test: underHome('.gitconfig') },
  { names: ['git'], why: 'git runs the programs its configuration names', test: underHome('.config', 'git') },
  { names: ['claude-code'], why: 'managed settings decide what is allowed', test: (s) => s[0] === 'etc' && s[1] === 'claude-code' },
  { names: ['claudecode'], why: 'managed settings decide what is allowed', test: (s) => s[0] === 'library' && s[1] === 'application support' && s[2] === 'claudecode' },
  { names: ['profile', 'bash.bashrc', 'profile.d', 'zshrc', 'zprofile', 'zshenv'], why: 'system shell start-up files run in every new shell', test: (s) => s[0] === 'etc' && ['profile', 'bash.bashrc', 'profile.d', 'zshrc', 'zprofile', 'zshenv', 'zsh'].includes(s[1]!) },
];

/** The protected entry any of these spellings of a path falls under (names compared case-insensitively, as on macOS). */
export function protectedPath(candidates: readonly string[], home: string): ProtectedHit | undefined {
  const homes = [...new Set([home, realOr(home)])];
  for (const candidate of candidates) {
    const segs = candidate.split('/').filter(Boolean).map(lower);
    // (The home directory itself gives one empty segment, which no entry matches.)
    const homeDir = homes.find((h) => isWithin(candidate, h));
    const rel = homeDir ? path.relative(homeDir, candidate).split(path.sep).map(lower) : undefined;
    for (const e of ENTRIES) if (e.test(segs, rel)) return { path: candidate, why: e.why, names: e.names };
  }
  return undefined;
}

function realOr(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}

/** Whether an allow rule's pattern spells out a protected name (rather than reaching it through wildcards). */
export function ruleNamesProtected(specifier: string | undefined, hit: ProtectedHit): boolean {
  if (specifier === undefined) return false;
  const spec = specifier.toLowerCase();
  return hit.names.some((n) => new RegExp(`(^|[/\\s])${n.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[/\\s:)])`).test(spec));
}

/** The protected files a hard link could share an inode with (a second name would dodge the path check). */
function knownProtectedFiles(roots: readonly string[], home: string): string[] {
  const out = [...SHELL_STARTUP, '.gitconfig', '.ssh/config', '.ssh/authorized_keys', '.aws/config', '.aws/credentials', '.claude/settings.json', '.npmrc'].map((f) => path.join(home, f));
  for (const r of roots) {
    for (const f of ['.git/config', '.git/config.worktree', '.git/info/attributes', '.gitattributes', '.gitmodules', '.mcp.json', '.envrc', '.npmrc', '.claude/settings.json', '.claude/settings.local.json']) out.push(path.join(r, f));
    try {
      for (const h of fs.readdirSync(path.join(r, '.git', 'hooks'))) out.push(path.join(r, '.git', 'hooks', h));
    } catch {
      // no hooks directory
    }
  }
  return out;
}

/** A protected file this path is a hard link to, if it is one. */
export function hardLinkedProtected(absolute: string, roots: readonly string[], home: string): ProtectedHit | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(absolute);
  } catch {
    return undefined;
  }
  if (!st.isFile() || st.nlink <= 1) return undefined;
  for (const f of knownProtectedFiles(roots, home)) {
    try {
      const o = fs.statSync(f);
      if (o.ino === st.ino && o.dev === st.dev) return { ...protectedPath([f], home)!, path: f };
    } catch {
      // not there
    }
  }
  return undefined;
}

/**
 * Whether a protected path lies below a directory (for `rm -r`, `chmod -R`), walking breadth
 * first through a bounded number of entries: the protected names that matter sit near the top
 * (`.git`, `.claude`, `.envrc`), so a huge tree such as node_modules is not a reason to ask.
 */
export function protectedBelow(dir: string, home: string, budget = 5000): ProtectedHit | undefined {
  const direct = protectedPath([dir], home);
  if (direct) return direct;
  // Home-level entries (~/.ssh, ~/.bashrc …) are below a directory that holds the home directory.
  if (isWithin(home, dir) || isWithin(realOr(home), dir)) return protectedPath([path.join(home, '.ssh')], home);
  let hit: ProtectedHit | undefined;
  walkBounded(dir, budget, (full) => {
    hit = protectedPath([full], home);
    return hit ? 'stop' : undefined;
  });
  return hit;
}
