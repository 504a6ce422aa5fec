/**
 * `/permissions allow|ask|deny <rule>` and `/permissions remove <rule>`: the session's engine
 * changes at once, and the rule is saved to (or taken out of) the settings file it belongs to —
 * new rules go to the project's .claude/settings.local.json, a removed one leaves every file it
 * came from. A rule from managed settings is never touched.
 */
import path from 'node:path';
import type { Config } from '../../config/types.js';
import { localSettingsPath } from '../../permissions/settings-file.js';
import { editRuleInFile, ruleOrigins } from '../../permissions/rule-files.js';
import type { PermissionPolicy } from '../../permissions/types.js';

export type RuleKind = 'allow' | 'ask' | 'deny';
const KINDS: RuleKind[] = ['allow', 'ask', 'deny'];

/** Says why a rule could not be changed (shown as one red line). */
export class RuleEditRefused extends Error {}

function shown(config: Config, file: string): string {
  const rel = path.relative(config.cwd, file);
  return rel !== '' && !rel.startsWith('..') ? rel : file;
}

export async function addRule(config: Config, policy: PermissionPolicy, list: RuleKind, raw: string): Promise<string> {
  const rule = raw.trim();
  if (!policy.addRule) throw new RuleEditRefused('this session cannot take new rules');
  // Checked (and in force) before anything is written; undone if the file cannot be.
  const added = policy.addRule(list, rule);
  const file = localSettingsPath(config.projectRoot || config.cwd);
  try {
    await editRuleInFile(file, list, rule, 'add');
  } catch (err) {
    if (added) policy.removeRule?.(list, rule);
    throw err;
  }
  return `${list === 'allow' ? 'Allowed' : list === 'deny' ? 'Denied' : 'Will ask for'}: ${rule} (saved to ${shown(config, file)})`;
}

export async function removeRule(config: Config, policy: PermissionPolicy, raw: string): Promise<string> {
  const rule = raw.trim();
  const rules = policy.listRules?.();
  const lists = KINDS.filter((k) => rules?.[k].includes(rule));
  if (lists.length === 0) throw new RuleEditRefused(`no rule '${rule}' is in force (/permissions lists them, as written)`);
  const plans: Array<{ list: RuleKind; files: string[] }> = [];
  for (const list of lists) {
    const origins = await ruleOrigins(config, list, rule);
    const managed = origins.find((o) => o.scope === 'managed');
    if (managed) throw new RuleEditRefused(`${list} rule ${rule} comes from managed settings (${managed.path}): only an administrator can remove it`);
    plans.push({ list, files: origins.map((o) => o.path) });
  }
  const said: string[] = [];
  for (const { list, files } of plans) {
    for (const file of files) await editRuleInFile(file, list, rule, 'remove');
    policy.removeRule?.(list, rule);
    said.push(files.length > 0 ? `${list} rule ${rule} from ${files.map((f) => shown(config, f)).join(', ')}` : `${list} rule ${rule} for this session (it came from the command line or an extension, not a settings file)`);
  }
  return `Removed ${said.join('; ')}.`;
}
