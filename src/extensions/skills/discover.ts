/**
 * Skills: folders `<.claude>/skills/<name>/SKILL.md` whose header gives `name`, `description`
 * and optionally `allowed-tools`. Only the name and description are read into the session's
 * prompt; the body and the folder's other files are loaded when the model uses the skill.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { FrontmatterError, parseFrontmatter, textField, toolListField, warnUnknownFields } from '../frontmatter.js';
import { byNameLastWins, type ExtensionSource, type SourceDir, type WarnFn } from '../sources.js';

export interface SkillDefinition {
  name: string;
  description: string;
  /** Tools the skill may use without asking while it is active (deny rules still apply). */
  allowedTools?: string[];
  /** The skill's folder: the model reads bundled files from here. */
  dir: string;
  file: string;
  source: ExtensionSource;
}

/** The Agent Skills format's names: lowercase letters, digits and hyphens. */
const SKILL_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** The list offered to the model is paid on every request: each description is kept short. */
export const MAX_SKILL_DESCRIPTION = 1024;

export async function discoverSkills(dirs: readonly SourceDir[], warn: WarnFn): Promise<SkillDefinition[]> {
  const found: SkillDefinition[] = [];
  for (const { dir, source } of dirs) {
    const root = path.join(dir, 'skills');
    let names: string[];
    try {
      names = (await readdir(root)).filter((n) => !n.startsWith('.')).sort();
    } catch {
      continue;
    }
    for (const folder of names) {
      const file = path.join(root, folder, 'SKILL.md');
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      try {
        found.push(await parseSkill(text, file, folder, source, warn));
      } catch (err) {
        if (!(err instanceof FrontmatterError)) throw err;
        warn(`skipped the skill ${file}: ${err.message.slice(file.length + 2)} (${err.hint ?? ''})`);
      }
    }
  }
  return byNameLastWins(found);
}

/** The Agent Skills format's informational fields (license, compatibility, metadata) change nothing. */
const SKILL_FIELDS = ['name', 'description', 'allowed-tools', 'license', 'compatibility', 'metadata'];

async function parseSkill(text: string, file: string, folder: string, source: ExtensionSource, warn: WarnFn): Promise<SkillDefinition> {
  const { data } = await parseFrontmatter(text, file);
  warnUnknownFields(data, SKILL_FIELDS, file, warn);
  const name = textField(data, 'name', file) || folder;
  if (!SKILL_NAME.test(name)) throw new FrontmatterError(`${file}: the skill name '${name}' is not valid`, { hint: 'use lowercase letters, digits and hyphens, at most 64 characters' });
  const description = textField(data, 'description', file);
  if (!description) throw new FrontmatterError(`${file}: the header has no description`, { hint: 'add description: <what the skill does and when to use it>; the model picks skills by it' });
  if (description.length > MAX_SKILL_DESCRIPTION) throw new FrontmatterError(`${file}: the description is longer than ${MAX_SKILL_DESCRIPTION} characters`, { hint: 'shorten it: it is sent with every request; details belong in the body' });
  const allowedTools = toolListField(data, 'allowed-tools', file);
  return { name, description: oneLine(description), allowedTools, dir: path.dirname(file), file, source };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The body of SKILL.md, read when the model uses the skill (it may have changed since start-up). */
export async function loadSkillBody(skill: SkillDefinition): Promise<string> {
  const text = await readFile(skill.file, 'utf8');
  const { body } = await parseFrontmatter(text, skill.file);
  return body.trim();
}
