/**
 * The parts of bcode the bench drives in-process (the emulator, the tools), bundled from src/
 * with esbuild at run time. A part that has not been written yet yields a reason instead, so
 * its figures print "n/a (reason)" and the rest of the bench still runs.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EmulatorHandle, EmulatorOptions } from '../../src/emulator/types.js';
import type { AnyTool } from '../../src/tools/types.js';

export type Piece<T> = { ok: true; value: T } | { ok: false; reason: string };

export type StartEmulator = (options: EmulatorOptions) => Promise<EmulatorHandle>;

function runCacheDir(root: string): string {
  return path.join(root, 'node_modules', '.cache', 'bcode-bench', `run-${process.pid}`);
}

function cacheDir(root: string, name: string): string {
  const dir = path.join(runCacheDir(root), name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Removes this run's bundles. */
export function cleanPieces(root: string): void {
  rmSync(runCacheDir(root), { recursive: true, force: true });
}

async function bundle(root: string, name: string, entryPoints: string[]): Promise<string[]> {
  const outdir = cacheDir(root, name);
  await build({
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
    outExtension: { '.js': '.mjs' },
  });
  return entryPoints.map((e) => path.join(outdir, `${path.basename(e, '.ts')}.mjs`));
}

function messageOf(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.split('\n')[0].slice(0, 160);
}

export async function loadEmulator(root: string): Promise<Piece<StartEmulator>> {
  const entry = path.join(root, 'src', 'emulator', 'index.ts');
  if (!existsSync(entry)) return { ok: false, reason: 'emulator not built yet: src/emulator/index.ts is missing' };
  try {
    const [out] = await bundle(root, 'emulator', [entry]);
    const mod = (await import(pathToFileURL(out).href)) as { startEmulator?: StartEmulator };
    if (typeof mod.startEmulator !== 'function') return { ok: false, reason: 'src/emulator/index.ts exports no startEmulator' };
    return { ok: true, value: mod.startEmulator };
  } catch (err) {
    return { ok: false, reason: `emulator does not bundle/load: ${messageOf(err)}` };
  }
}

function isTool(x: unknown): x is AnyTool {
  return typeof x === 'object' && x !== null && typeof (x as AnyTool).name === 'string' && typeof (x as AnyTool).run === 'function' && 'inputSchema' in x;
}

/**
 * Finds the built tools by shape (an exported object with name, inputSchema and run), in every
 * module under src/tools, so the bench does not depend on how the tools' files are named.
 * Arrays of tools (a registry list) count too.
 */
export async function loadTools(root: string): Promise<Piece<Map<string, AnyTool>>> {
  const dir = path.join(root, 'src', 'tools');
  const files = existsSync(dir)
    ? readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts') && f !== 'types.ts').map((f) => path.join(dir, f))
    : [];
  if (files.length === 0) return { ok: false, reason: 'tools not built yet: no modules in src/tools besides types.ts' };
  const found = new Map<string, AnyTool>();
  const failures: string[] = [];
  let outs: string[];
  try {
    outs = await bundle(root, 'tools', files);
  } catch (err) {
    return { ok: false, reason: `tools do not bundle: ${messageOf(err)}` };
  }
  for (const out of outs) {
    try {
      const mod = (await import(pathToFileURL(out).href)) as Record<string, unknown>;
      for (const value of Object.values(mod)) {
        const candidates = Array.isArray(value) ? value : [value];
        for (const c of candidates) if (isTool(c) && !found.has(c.name)) found.set(c.name, c);
      }
    } catch (err) {
      failures.push(`${path.basename(out)}: ${messageOf(err)}`);
    }
  }
  if (found.size === 0) return { ok: false, reason: `no tool objects exported from src/tools${failures.length ? ` (${failures.join('; ')})` : ''}` };
  return { ok: true, value: found };
}
