/**
 * Custom slash commands: `<.claude>/commands/**\/*.md`. A file in a sub-folder is namespaced by
 * it: `.claude/commands/frontend/component.md` is `/frontend:component`. Header fields:
 * `description`, `argument-hint`, `allowed-tools`, `model`; the body is the prompt.
 */
import { FrontmatterError, parseFrontmatter, textField, toolListField, warnUnknownFields } from '../frontmatter.js';
import { byNameLastWins, markdownFiles, type ExtensionSource, type SourceDir, type WarnFn } from '../sources.js';

export interface CommandDefinition {
  /** Without the slash: `review`, `frontend:component`. */
  name: string;
  description: string;
  argumentHint?: string;
  /** Rules allowed without asking while the command's turn runs (deny rules still apply). */
  allowedTools?: string[];
  /** A model for the command's turn, resolved like the main model. */
  model?: string;
  /** The prompt template ($ARGUMENTS, $1…$9, !`command`, @file). */
  body: string;
  file: string;
  source: ExtensionSource;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export async function discoverCommands(dirs: readonly SourceDir[], warn: WarnFn): Promise<CommandDefinition[]> {
  const found: CommandDefinition[] = [];
  for (const { dir, source } of dirs) {
    for (const md of await markdownFiles(`${dir}/commands`, true)) {
      const segments = md.relName.split('/');
      if (!segments.every((s) => SEGMENT.test(s))) {
        warn(`skipped the command ${md.file}: its path makes no command name (use letters, digits, ., - and _ in file and folder names)`);
        continue;
      }
      try {
        const { data, body } = await parseFrontmatter(md.text, md.file);
        // The model never invokes custom commands in bcode, so disable-model-invocation holds already.
        warnUnknownFields(data, ['description', 'argument-hint', 'allowed-tools', 'model', 'disable-model-invocation'], md.file, warn);
        const description = textField(data, 'description', md.file) || firstLine(body) || `custom command (${source})`;
        found.push({
          name: segments.join(':'),
          description: description.replace(/\s+/g, ' '),
          argumentHint: textField(data, 'argument-hint', md.file) || undefined,
          allowedTools: toolListField(data, 'allowed-tools', md.file),
          model: textField(data, 'model', md.file) || undefined,
          body,
          file: md.file,
          source,
        });
      } catch (err) {
        if (!(err instanceof FrontmatterError)) throw err;
        warn(`skipped the command ${md.file}: ${err.message.slice(md.file.length + 2)} (${err.hint ?? ''})`);
      }
    }
  }
  return byNameLastWins(found);
}

function firstLine(body: string): string {
  const line = body.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('!`'));
  const text = (line ?? '').replace(/^#+\s*/, '').trim();
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
