/**
 * The Agent SDK's permission updates (`PermissionUpdate[]`, sent by a host with an allow answer
 * to `can_use_tool`): rules added, replaced or removed, the mode set, directories added. Every
 * update applies to the running session at once; one whose destination is a settings file
 * (`localSettings`, `projectSettings`, `userSettings`) is also saved there, atomically and with
 * every other key kept, the way "always allow" saves a rule. `session` and `cliArg` live only as
 * long as the session.
 */
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { editPermissions } from './settings-file.js';
import type { PermissionMode, PermissionPolicy } from './types.js';

export interface UpdateTargets {
  projectRoot: string;
  /** The user's settings folder (CLAUDE_CONFIG_DIR, else ~/.claude). */
  userDir: string;
}

const MODES: readonly PermissionMode[] = ['default', 'acceptEdits', 'plan', 'bypassPermissions'];
const BEHAVIORS = ['allow', 'ask', 'deny'] as const;
const RULE_OPS = { addRules: 'add', replaceRules: 'replace', removeRules: 'remove' } as const;

type Edit = (permissions: Record<string, unknown>) => void;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(what: string): ConfigError {
  return new ConfigError(`a permission update ${what}`, { hint: 'updatedPermissions takes the SDK\'s PermissionUpdate shapes, e.g. {"type":"addRules","rules":[{"toolName":"Bash","ruleContent":"npm test:*"}],"behavior":"allow","destination":"session"}' });
}

/** `{ toolName: 'Bash', ruleContent: 'npm test:*' }` → `Bash(npm test:*)`. */
export function ruleString(value: unknown): string {
  if (!isObject(value) || typeof value.toolName !== 'string' || value.toolName === '') throw bad('has a rule without a toolName');
  if (value.ruleContent === undefined) return value.toolName;
  if (typeof value.ruleContent !== 'string') throw bad(`has a rule for ${value.toolName} whose ruleContent is not a string`);
  return `${value.toolName}(${value.ruleContent})`;
}

function settingsFile(destination: unknown, t: UpdateTargets): string | undefined {
  switch (destination) {
    case 'session':
    case 'cliArg':
      return undefined;
    case 'localSettings':
      return path.join(t.projectRoot, '.claude', 'settings.local.json');
    case 'projectSettings':
      return path.join(t.projectRoot, '.claude', 'settings.json');
    case 'userSettings':
      return path.join(t.userDir, 'settings.json');
    default:
      throw bad(`has the destination ${JSON.stringify(destination ?? null)} (expected session, cliArg, localSettings, projectSettings or userSettings)`);
  }
}

function listOf(perms: Record<string, unknown>, key: string): string[] {
  const v = perms[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Checks the shape of every update first (one malformed update applies none), then applies them in order. Returns
 * the settings files written.
 */
export async function applyPermissionUpdates(policy: PermissionPolicy, updates: readonly unknown[], targets: UpdateTargets): Promise<string[]> {
  const steps: Array<{ now: () => void; file?: string; save: Edit }> = [];
  for (const u of updates) {
    if (!isObject(u)) throw bad('is not an object');
    const file = settingsFile(u.destination, targets);
    if (u.type === 'addRules' || u.type === 'replaceRules' || u.type === 'removeRules') {
      const behavior = u.behavior;
      if (!BEHAVIORS.includes(behavior as (typeof BEHAVIORS)[number])) throw bad(`${u.type} has the behavior ${JSON.stringify(behavior ?? null)} (expected allow, ask or deny)`);
      const list = behavior as (typeof BEHAVIORS)[number];
      if (!Array.isArray(u.rules)) throw bad(`${u.type} has no rules list`);
      const rules = u.rules.map(ruleString);
      const op = RULE_OPS[u.type];
      if (!policy.changeRules) throw bad('cannot be applied: this session cannot change its rules');
      steps.push({
        now: () => policy.changeRules!(list, op, rules),
        file,
        save: (perms) => {
          const current = op === 'replace' ? [] : listOf(perms, list);
          perms[list] = op === 'remove' ? current.filter((r) => !rules.includes(r)) : [...current, ...rules.filter((r) => !current.includes(r))];
        },
      });
    } else if (u.type === 'setMode') {
      const mode = u.mode;
      if (!MODES.includes(mode as PermissionMode)) throw bad(`sets the mode ${JSON.stringify(mode ?? null)}, which bcode does not have (it has ${MODES.join(', ')})`);
      if (!policy.setMode) throw bad('cannot be applied: this session cannot change its mode');
      steps.push({ now: () => policy.setMode!(mode as PermissionMode), file, save: (perms) => void (perms.defaultMode = mode) });
    } else if (u.type === 'addDirectories') {
      if (!Array.isArray(u.directories) || u.directories.some((d) => typeof d !== 'string' || d === '')) throw bad('addDirectories needs a list of directory paths');
      const dirs = u.directories as string[];
      if (!policy.addDirectories) throw bad('cannot be applied: this session cannot add directories');
      steps.push({
        now: () => policy.addDirectories!(dirs),
        file,
        save: (perms) => {
          const current = listOf(perms, 'additionalDirectories');
          perms.additionalDirectories = [...current, ...dirs.filter((d) => !current.includes(d))];
        },
      });
    } else if (u.type === 'removeDirectories') {
      // Taking a working directory away mid-session would leave the sandbox's binds and the tools' grants behind.
      throw bad('removeDirectories is not supported by bcode; start a new session without the directory');
    } else {
      throw bad(`has the type ${JSON.stringify(u.type ?? null)}`);
    }
  }
  const written: string[] = [];
  for (const step of steps) {
    step.now();
    if (step.file) {
      await editPermissions(step.file, step.save);
      if (!written.includes(step.file)) written.push(step.file);
    }
  }
  return written;
}
