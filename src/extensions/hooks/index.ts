/**
 * The one entry the session engine calls: the session's hooks, or undefined when no settings
 * file has any (then nothing of src/extensions/hooks is loaded). Decides folder trust for the
 * project's own hooks: an earlier trust, BCODE_TRUST_PROJECT=1 in the shell, or the front end's
 * question (the terminal UI); otherwise one warning names the skipped hooks.
 */
import type { Config } from '../../config/types.js';
import type { CommandSandbox } from '../../tools/types.js';
import type { AgentHooks, BaseFields } from './api.js';
import type { ConfiguredHook } from './types.js';

export interface TrustQuestion {
  folder: string;
  /** One line per hook: `PreToolUse (Bash): ./scripts/guard.sh`. */
  hooks: string[];
}

export interface LoadHooksOptions {
  /** The shell's own environment (trust is never read from settings `env`). */
  shellEnv: Record<string, string | undefined>;
  childEnv: Record<string, string>;
  sandbox?: CommandSandbox;
  base: () => BaseFields;
  notice: (text: string) => void;
  /** The terminal UI asks; print mode and the SDK do not. */
  askTrust?: (question: TrustQuestion) => Promise<boolean>;
  /** Hooks given as functions (an Agent SDK app's callbacks): they run after the settings files' hooks of an event. */
  extra?: readonly ConfiguredHook[];
}

export async function loadSessionHooks(config: Config, o: LoadHooksOptions): Promise<AgentHooks | undefined> {
  const layers = config.hookLayers ?? [];
  const extra = o.extra ?? [];
  if (!layers.some((l) => l.hooks !== undefined) && extra.length === 0) return undefined;
  const [{ resolveHooks, untrustedWarning, oneLine }, { isFolderTrusted, trustFolder }, { createSessionHooks }] = await Promise.all([
    import('./config.js'),
    import('../../config/trust.js'),
    import('./session-hooks.js'),
  ]);
  const folder = config.projectRoot || config.cwd;
  const resolved = resolveHooks(layers, { isTrusted: () => isFolderTrusted(folder, o.shellEnv).trusted });
  for (const n of resolved.notes) o.notice(`bcode: warning: ${n}`);
  const hooks = [...resolved.hooks];
  if (resolved.untrusted.length > 0) {
    const lines = resolved.untrusted.map((h) => `${h.event}${h.matcher ? ` (${h.matcher})` : ''}: ${oneLine(h.command ?? '', 100)}`);
    const yes = o.askTrust ? await o.askTrust({ folder, hooks: lines }) : false;
    if (yes) {
      await trustFolder(folder, o.shellEnv);
      hooks.push(...resolved.untrusted);
    } else {
      o.notice(untrustedWarning(resolved.untrusted, folder, o.askTrust !== undefined));
    }
  }
  if (extra.length > 0) {
    // The organisation's switches hold for an app's hook callbacks too: they are not managed hooks.
    const managedOff = layers.some((l) => l.scope === 'managed' && (l.disableAllHooks === true || l.allowManagedHooksOnly === true));
    if (managedOff) o.notice(`bcode: warning: the app's ${extra.length} hook callback${extra.length === 1 ? '' : 's'} not run: managed settings allow no hooks but their own (disableAllHooks / allowManagedHooksOnly)`);
    else hooks.push(...extra);
  }
  if (hooks.length === 0) return undefined;
  return createSessionHooks({
    hooks,
    runner: { cwd: config.cwd, projectDir: folder, env: o.childEnv, sandbox: o.sandbox, notice: o.notice },
    base: o.base,
    notice: o.notice,
    verbose: config.verbose,
  });
}
