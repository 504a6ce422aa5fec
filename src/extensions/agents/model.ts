/**
 * A sub-agent's `model` goes through the same rules as the main model: aliases map to the
 * configured targets (ANTHROPIC_DEFAULT_HAIKU_MODEL …, with the region's prefix), ids, profile
 * ids and ARNs are checked for shape. An unconfigured alias target can therefore never be sent.
 */
import type { Config } from '../../config/types.js';
import { parseModelSpec, type AliasName } from '../../config/models.js';

/** Throws ConfigError (naming `label`) for a value Bedrock would not accept. */
export function resolveAgentModel(model: string | undefined, label: string, aliases: Config['models']['aliases'], mainId: string): string {
  if (model === undefined || model.trim() === '' || model.trim().toLowerCase() === 'inherit') return mainId;
  const spec = parseModelSpec(label, model, { allowAlias: true });
  if (spec.kind === 'default') return mainId;
  if (spec.kind === 'alias') return aliases[spec.value as AliasName];
  return spec.value;
}
