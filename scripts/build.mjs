// Bundles src/cli/main.ts into dist/. Code splitting keeps heavy modules (the AWS SDK,
// the emulator) in chunks that load only when a command needs them, so `--version`,
// `--help` and print mode's first request stay fast.
import { build } from 'esbuild';
import { rmSync, readFileSync, chmodSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
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
chmodSync(new URL('../dist/cli.js', import.meta.url), 0o755);
