import type { Config } from '../config/types.js';
import type { PermissionDecision, PermissionMode, PermissionPolicy } from './types.js';
import path from 'node:path';

/**
 * Interim policy until the permissions issue lands: tools may act inside the working directory
 * only. Replaced by the full rule engine (modes, allow/ask/deny rules) in src/permissions/.
 */
export function createPermissionPolicy(config: Config, options: { cwd: string; mode?: PermissionMode }): PermissionPolicy {
  const root = path.resolve(options.cwd);
  const inside = (p: unknown) => typeof p === 'string' && (path.resolve(root, p) === root || path.resolve(root, p).startsWith(root + path.sep));
  return {
    mode: options.mode ?? config.permissions.defaultMode ?? 'default',
    async decide(_toolName: string, input: unknown): Promise<PermissionDecision> {
      const obj = (input ?? {}) as Record<string, unknown>;
      const target = obj.file_path ?? obj.path ?? obj.notebook_path;
      if (target !== undefined && !inside(target)) {
        return { behavior: 'deny', reason: `${String(target)} is outside the working directory ${root}` };
      }
      return { behavior: 'allow', reason: 'inside the working directory' };
    },
    async rememberAllow(): Promise<void> {},
  };
}
