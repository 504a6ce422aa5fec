/**
 * `/model` without a name: a picker over the aliases, the models the configuration names, and
 * the region's inference profiles (ListInferenceProfiles), which fill in once listed — the
 * picker is drawn at once with a "loading profiles…" row. Profile ids and application-profile
 * ARNs are offered as they are (the request goes to exactly that id).
 */
import type { Config } from '../../config/types.js';
import type { InferenceProfileSummary } from '../../bedrock/profiles.js';
import type { Picker, PickerItem } from './picker.js';

export interface ModelChoice {
  /** What the next request goes to; undefined for a row that only says something (loading, failed). */
  id?: string;
  label: string;
  detail?: string;
}

export const MODEL_PICKER_TITLE = 'Switch the model (the next request uses it)';
export const LOADING_PROFILES = 'loading profiles…';

/** The aliases, then the configured ids that are not already an alias's. */
export function configuredChoices(config: Config): ModelChoice[] {
  const out: ModelChoice[] = [];
  const seen = new Set<string>();
  const add = (id: string | undefined, label: string, detail: string) => {
    if (!id || seen.has(`${label}\u0000${id}`)) return;
    seen.add(`${label}\u0000${id}`);
    out.push({ id, label, detail });
  };
  for (const [alias, id] of Object.entries(config.models.aliases)) add(id, alias, id);
  const ids = new Set(out.map((c) => c.id));
  const configured: Array<[string | undefined, string]> = [
    [config.models.main.id, 'main model'],
    [config.models.smallFast.id, 'small/fast model'],
    ...(config.models.failover?.models ?? []).map((id): [string, string] => [id, 'failover model']),
  ];
  for (const [id, why] of configured) if (id && !ids.has(id)) add(id, id, why);
  return out;
}

/** The region's profiles bcode can talk to (Anthropic models), active ones only: system ones by id, application ones by ARN. */
export function profileChoices(profiles: readonly InferenceProfileSummary[], already: ReadonlySet<string>): ModelChoice[] {
  const out: ModelChoice[] = [];
  for (const p of profiles) {
    if (p.status !== 'ACTIVE') continue;
    if (!/anthropic\./.test(p.id) && !p.modelArns.some((a) => /anthropic\./.test(a))) continue;
    const id = p.type === 'APPLICATION' ? p.arn : p.id;
    if (!id || already.has(id)) continue;
    out.push({ id, label: id, detail: `${p.type === 'APPLICATION' ? 'application profile' : 'profile'}: ${p.name}` });
  }
  return out.sort((a, b) => a.label.localeCompare(b.label));
}

export function choiceItems(choices: readonly ModelChoice[], current: string): PickerItem[] {
  return choices.map((c) => ({ label: c.id === current ? `${c.label} (current)` : c.label, detail: c.detail }));
}

/** The picker over `choices()` (read at each key: the profiles arrive later). */
export function modelPicker(choices: () => readonly ModelChoice[], current: string, o: { choose(c: ModelChoice & { id: string }): void; cancel(): void }): Picker {
  const list = choices();
  const at = list.findIndex((c) => c.id === current);
  return {
    title: MODEL_PICKER_TITLE,
    items: choiceItems(list, current),
    selected: Math.max(0, at),
    footer: '↑/↓ move · Enter switch · Esc keep the current model',
    choose: (i) => {
      const c = choices()[i];
      if (c?.id !== undefined) o.choose({ ...c, id: c.id });
    },
    cancel: o.cancel,
  };
}
