// `npm run bench` entry: bundles the TypeScript harness in bench/lib with esbuild (a dev
// dependency already installed) into node_modules/.cache, then runs it. The harness bundles
// the emulator and the tools it measures from src/ the same way, at run time, so a piece that
// has not landed yet makes its figures print "n/a" instead of breaking the whole bench.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = path.join(root, 'node_modules', '.cache', 'bcode-bench');
mkdirSync(outDir, { recursive: true });
const outfile = path.join(outDir, `harness-${process.pid}.mjs`);
await build({
  entryPoints: [path.join(root, 'bench', 'lib', 'main.ts')],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
try {
  const { main } = await import(pathToFileURL(outfile).href);
  process.exitCode = await main(process.argv.slice(2), root);
} finally {
  const { rmSync } = await import('node:fs');
  rmSync(outfile, { force: true });
}
