// Bundles src/cli/main.ts into dist/. Code splitting keeps heavy modules (the AWS SDK,
// the emulator) in chunks that load only when a command needs them, so `--version`,
// `--help` and print mode's first request stay fast.
import { build } from 'esbuild';
import { rmSync, readFileSync, chmodSync, renameSync, existsSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Build beside dist/ and swap it in, so a test running the CLI never sees a half-written tree.
const tmp = `dist.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: tmp,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  minifySyntax: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  // Only the ripgrep binary package stays outside: it resolves a platform binary at run time.
  external: ['@vscode/ripgrep'],
  define: { BCODE_VERSION: JSON.stringify(pkg.version) },
  banner: {
    // Some bundled CommonJS dependencies call require() for Node built-ins.
    js: "#!/usr/bin/env node\nimport { createRequire as __bcodeCreateRequire } from 'node:module';\nconst require = __bcodeCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync(`${tmp}/cli.js`, 0o755);
const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(tmp, 'dist');
rmSync(old, { recursive: true, force: true });
