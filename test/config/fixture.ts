import { expect } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig, type ConfigFlags, type LoadResult } from '../../src/config/load.js';
import { ConfigError, formatError } from '../../src/errors.js';

/** A temporary HOME, project (with .git) and managed-settings directory. */
export class Fixture {
  readonly root = mkdtempSync(join(tmpdir(), 'bcode-config-'));
  readonly home = join(this.root, 'home');
  readonly project = join(this.root, 'project');
  readonly managed = join(this.root, 'managed');

  constructor() {
    mkdirSync(this.home, { recursive: true });
    mkdirSync(join(this.project, '.git'), { recursive: true });
    mkdirSync(this.managed, { recursive: true });
  }

  write(path: string, content: unknown): string {
    const full = path.startsWith('/') ? path : join(this.root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content));
    return full;
  }

  get userSettings() {
    return join(this.home, '.claude', 'settings.json');
  }
  get projectSettings() {
    return join(this.project, '.claude', 'settings.json');
  }
  get localSettings() {
    return join(this.project, '.claude', 'settings.local.json');
  }
  get managedSettings() {
    return join(this.managed, 'managed-settings.json');
  }

  /** The base environment: region set, HOME and the managed dir pointing into the fixture. */
  env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return { HOME: this.home, AWS_REGION: 'us-east-1', BCODE_MANAGED_SETTINGS_DIR: this.managed, ...extra };
  }

  load(extraEnv: Record<string, string | undefined> = {}, flags: ConfigFlags = {}, cwd = this.project): Promise<LoadResult> {
    return loadConfig({ cwd, env: this.env(extraEnv), flags });
  }

  /** The printed error (message line + hint line) of a load that must fail with exit code 2. */
  async error(extraEnv: Record<string, string | undefined> = {}, flags: ConfigFlags = {}, cwd = this.project): Promise<string> {
    try {
      await this.load(extraEnv, flags, cwd);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      expect(err.exitCode).toBe(2);
      return formatError(err);
    }
    throw new Error('expected loadConfig to fail');
  }

  /** Only the first line of the printed error. */
  async errorLine(extraEnv: Record<string, string | undefined> = {}, flags: ConfigFlags = {}, cwd = this.project): Promise<string> {
    return (await this.error(extraEnv, flags, cwd)).split('\n')[0];
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
