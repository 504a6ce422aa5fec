/**
 * Which configured hooks run in this session, decided once at its start (a `hooks` change made
 * while the session runs takes effect in the next session, after the user has seen it).
 *
 * - Every scope's `hooks` add up; managed settings can turn off all hooks (`disableAllHooks`) or
 *   every hook that is not their own (`allowManagedHooksOnly`); `disableAllHooks` anywhere else
 *   turns off the non-managed hooks only (a user cannot switch off what the organisation set).
 * - Hooks from the project's own files (`.claude/settings.json`, `.claude/settings.local.json`)
 *   run only in a trusted folder (src/config/trust.ts); otherwise they are listed as skipped.
 * - Events and hook types bcode does not run are named in a note, never dropped silently.
 */
import type { HookLayer } from '../../config/types.js';
import { compileMatcher } from './matcher.js';
import { DEFAULT_HOOK_TIMEOUT_S, HOOK_EVENTS, type ConfiguredHook, type HookEvent } from './types.js';

export interface ResolvedHooks {
  hooks: ConfiguredHook[];
  /** Project hooks not run because the folder is not trusted. */
  untrusted: ConfiguredHook[];
  /** One line each, for the user. */
  notes: string[];
}

export interface ResolveOptions {
  /** Asked only when there are project hooks. */
  isTrusted: () => boolean;
}

const PROJECT_SCOPES = new Set(['project', 'local']);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** All hooks a layer lists (the schema has checked the types). */
function hooksOfLayer(layer: HookLayer, notes: string[]): ConfiguredHook[] {
  if (!isObject(layer.hooks)) return [];
  const out: ConfiguredHook[] = [];
  for (const [event, groups] of Object.entries(layer.hooks)) {
    if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
      notes.push(`${layer.origin}: hooks.${event}: bcode does not run hooks for this event (it runs ${HOOK_EVENTS.join(', ')}); skipped`);
      continue;
    }
    if (!Array.isArray(groups)) continue;
    for (const group of groups) {
      if (!isObject(group) || !Array.isArray(group.hooks)) continue;
      const matcher = typeof group.matcher === 'string' ? group.matcher : undefined;
      const compiled = compileMatcher(matcher);
      if ('error' in compiled) {
        notes.push(`${layer.origin}: hooks.${event}: ${compiled.error}; its hooks never run`);
        continue;
      }
      for (const h of group.hooks) {
        if (!isObject(h)) continue;
        if (h.type !== 'command' || typeof h.command !== 'string') {
          notes.push(`${layer.origin}: hooks.${event}: hooks of type '${String(h.type)}' are not run by bcode (only 'command'); skipped`);
          continue;
        }
        out.push({ event: event as HookEvent, matcher, command: h.command, timeout: typeof h.timeout === 'number' ? h.timeout : DEFAULT_HOOK_TIMEOUT_S, scope: layer.scope, origin: layer.origin });
      }
    }
  }
  return out;
}

export function resolveHooks(layers: readonly HookLayer[], options: ResolveOptions): ResolvedHooks {
  const notes: string[] = [];
  const managed = layers.filter((l) => l.scope === 'managed');
  if (managed.some((l) => l.disableAllHooks === true)) return { hooks: [], untrusted: [], notes };
  const managedOnly = managed.some((l) => l.allowManagedHooksOnly === true);
  const othersOff = layers.some((l) => l.scope !== 'managed' && l.disableAllHooks === true);
  for (const l of layers) {
    if (l.scope !== 'managed' && l.allowManagedHooksOnly !== undefined) notes.push(`${l.origin}: allowManagedHooksOnly has effect only in managed settings; ignored here`);
  }
  const hooks: ConfiguredHook[] = [];
  const untrusted: ConfiguredHook[] = [];
  let trusted: boolean | undefined;
  for (const layer of layers) {
    const isManaged = layer.scope === 'managed';
    const listed = hooksOfLayer(layer, notes);
    if (listed.length === 0) continue;
    if (!isManaged && managedOnly) {
      notes.push(`${layer.origin}: its hooks are not run: managed settings allow managed hooks only (allowManagedHooksOnly)`);
      continue;
    }
    if (!isManaged && othersOff) continue;
    if (PROJECT_SCOPES.has(layer.scope)) {
      trusted ??= options.isTrusted();
      if (!trusted) {
        untrusted.push(...listed);
        continue;
      }
    }
    hooks.push(...listed);
  }
  return { hooks, untrusted, notes };
}

/** The one-line warning for project hooks skipped in an untrusted folder. */
export function untrustedWarning(untrusted: readonly ConfiguredHook[], folder: string, declined = false): string {
  const files = [...new Set(untrusted.map((h) => h.origin))].join(', ');
  const shown = untrusted.slice(0, 3).map((h) => `${h.event}: ${oneLine(h.command ?? '')}`);
  const more = untrusted.length > 3 ? ` and ${untrusted.length - 3} more` : '';
  return `bcode: warning: ${untrusted.length} project hook${untrusted.length === 1 ? '' : 's'} from ${files} not run (${shown.join('; ')}${more}): ${declined ? `you did not trust ${folder}; bcode asks again next time` : `the folder ${folder} is not trusted — run bcode here once without -p and trust it, or set BCODE_TRUST_PROJECT=1 for one run`}`;
}

export function oneLine(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
