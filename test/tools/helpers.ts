import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { disposeBackgroundShells } from '../../src/tools/background-shells.js';
import { validateToolInput } from '../../src/tools/registry.js';
import type { AnyTool, ToolContext, ToolResult } from '../../src/tools/types.js';

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** A fresh directory that is removed after the test. Real path, so tool output paths compare equal. */
export function tempDir(prefix = 'bcode-tools-'): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function makeCtx(cwd: string, overrides: Partial<ToolContext> = {}): ToolContext {
  const scratchDir = path.join(tempDir('bcode-scratch-'), 'scratch');
  const ctx: ToolContext = {
    cwd,
    signal: new AbortController().signal,
    childEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, LANG: 'C.UTF-8' },
    readFiles: new Map(),
    scratchDir,
    shell: { cwd },
    ...overrides,
  };
  cleanups.push(() => disposeBackgroundShells(ctx));
  return ctx;
}

/** Runs a tool the way the agent does: validate first, then run. */
export async function call(tool: AnyTool, input: unknown, ctx: ToolContext): Promise<ToolResult> {
  const v = validateToolInput(tool, input);
  if (!v.ok) throw new Error(`validation failed: ${v.message}`);
  return tool.run(v.value, ctx);
}

export function text(result: ToolResult): string {
  if (typeof result.forModel === 'string') return result.forModel;
  return result.forModel.map((b) => (b.type === 'text' ? b.text : `[image ${b.source.media_type}]`)).join('\n');
}
