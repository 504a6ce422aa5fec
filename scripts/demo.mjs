#!/usr/bin/env node
// `npm run demo`: a real bcode session with no AWS account. The local Bedrock emulator (same
// wire protocol: SigV4-signed InvokeModelWithResponseStream, event-stream frames) plays a
// scripted model that fixes a failing test in a copy of examples/demo/project. bcode itself
// runs unmodified: it reads the file, edits it, runs the tests with its own tools.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repo, 'dist', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('demo: dist/cli.js is missing — run `npm run build` first\n');
  process.exit(2);
}

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const keep = process.argv.includes('--keep');

const work = mkdtempSync(path.join(os.tmpdir(), 'bcode-demo-'));
const project = path.join(work, 'project');
const home = path.join(work, 'home');
cpSync(path.join(repo, 'examples', 'demo', 'project'), project, { recursive: true });
mkdirSync(home);

// The emulator is TypeScript source; bundle it once into the temp dir and load it in-process.
const { build } = await import('esbuild');
const emulatorFile = path.join(work, 'emulator.mjs');
await build({
  entryPoints: [path.join(repo, 'src', 'emulator', 'index.ts')],
  outfile: emulatorFile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'error',
  banner: { js: "import { createRequire as __demoRequire } from 'node:module'; const require = __demoRequire(import.meta.url);" },
});
const { startEmulator, TEST_CREDENTIALS } = await import(pathToFileURL(emulatorFile).href);
const scenario = JSON.parse(readFileSync(path.join(repo, 'examples', 'scenarios', 'demo.json'), 'utf8'));
const emulator = await startEmulator({ scenario });

const runTests = () => spawnSync(process.execPath, ['--test'], { cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
const summary = (r) => (r.stdout.match(/^# (pass|fail) \d+$/gm) ?? []).map((l) => l.slice(2)).join(', ');

let code = 1;
try {
  process.stdout.write(`${bold('bcode demo')} ${dim(`— sample project copied to ${project}`)}\n`);
  process.stdout.write(`${dim(`Bedrock emulator listening on ${emulator.url} (scripted model: examples/scenarios/demo.json)`)}\n`);
  const before = runTests();
  process.stdout.write(`${dim(`tests before: ${summary(before)}`)}\n\n`);
  process.stdout.write(`${bold('$ bcode -p "Fix the failing test" --verbose')}\n`);

  const cred = TEST_CREDENTIALS[0];
  const cliCode = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, '-p', 'Fix the failing test', '--verbose'], {
      cwd: project,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        LANG: process.env.LANG ?? 'C.UTF-8',
        TERM: process.env.TERM ?? 'dumb',
        CLAUDE_CODE_USE_BEDROCK: '1',
        AWS_REGION: emulator.region,
        AWS_ACCESS_KEY_ID: cred.accessKeyId,
        AWS_SECRET_ACCESS_KEY: cred.secretAccessKey,
        ANTHROPIC_BEDROCK_BASE_URL: emulator.url,
      },
    });
    child.on('error', reject);
    child.on('close', (c, signal) => resolve(signal ? 128 : c));
  });

  const after = runTests();
  const calls = emulator.requests.filter((r) => r.operation === 'InvokeModelWithResponseStream');
  const signed = calls.every((r) => r.auth.ok && r.auth.kind === 'sigv4');
  process.stdout.write(`\n${dim(`${calls.length} model calls, all SigV4-signed and verified by the emulator: ${signed ? 'yes' : 'NO'}`)}\n`);
  process.stdout.write(`tests after: ${summary(after)}\n`);
  if (cliCode === 0 && after.status === 0 && signed) {
    process.stdout.write(`${bold('✓ the sample project\'s tests pass')}\n`);
    code = 0;
  } else {
    process.stdout.write(`${bold('✗ the demo did not finish cleanly')} (bcode exit ${cliCode}, tests exit ${after.status})\n`);
  }
} finally {
  await emulator.close();
  if (keep) process.stdout.write(dim(`kept ${work}\n`));
  else rmSync(work, { recursive: true, force: true });
}
process.exit(code);
