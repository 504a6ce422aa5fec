// Builds dist/: the launcher (cli.js), print mode's CommonJS bundle (print.cjs, vendor/) and the
// ES-module build of every command (chunks/). Code splitting keeps heavy modules (the AWS SDK,
// the emulator) in chunks that load only when a command needs them, so `--version`, `--help`
// and print mode's first request stay fast.
import { build } from 'esbuild';
import { rmSync, readFileSync, readdirSync, chmodSync, renameSync, existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// With code splitting, esbuild gives a dynamically imported CommonJS package (the AWS SDK) a
// chunk that exports only `default`, so `const { X } = await import('pkg')` finds no X. Route
// such imports through a small ESM wrapper that re-exports the package's names explicitly.
const requireFromRepo = createRequire(new URL('../package.json', import.meta.url));
const cjsDynamicImports = {
  name: 'cjs-dynamic-imports',
  setup(b) {
    b.onResolve({ filter: /^[@a-z]/ }, (args) => {
      if (args.kind !== 'dynamic-import' || args.path.startsWith('node:')) return undefined;
      let names;
      try {
        names = Object.keys(requireFromRepo(args.path)).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
      } catch {
        return undefined; // not loadable as CommonJS (an ES module): esbuild handles it as is
      }
      return { path: args.path, namespace: 'cjs-wrap', pluginData: { resolveDir: args.resolveDir, names } };
    });
    b.onLoad({ filter: /.*/, namespace: 'cjs-wrap' }, (args) => {
      const { names } = args.pluginData;
      const spec = JSON.stringify(args.path);
      const contents = `import * as ns from ${spec};\n${names.map((n) => `export const ${n} = ns.${n};`).join('\n')}\nexport default ns;\n`;
      return { contents, loader: 'js', resolveDir: args.pluginData.resolveDir };
    });
  },
};
// Temporary build files (each build's own: builds may run side by side).
const buildCache = 'node_modules/.cache/bcode-build';
// Each build removes its own temporary files; a build that was killed leaves them, so
// clear those of builds no longer running (a concurrent build's are left alone).
function clearDeadBuildsFiles() {
  let names;
  try {
    names = readdirSync(buildCache);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^[a-z-]+-(\d+)(\.mjs)?$/.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (err) {
      if (err.code === 'ESRCH') rmSync(`${buildCache}/${name}`, { recursive: true, force: true });
    }
  }
}
clearDeadBuildsFiles();

// The built-in tools' JSON definitions, computed here from the registry and inlined into the
// bundle (src/tools/specs.ts): print mode's first request then needs neither zod nor the tools.
async function toolSpecsJson() {
  const out = `${buildCache}/specs-${process.pid}.mjs`;
  await build({ entryPoints: ['src/tools/registry.ts'], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' });
  try {
    const registry = await import(new URL(`../${out}`, import.meta.url).href);
    return JSON.stringify(registry.toolSpecs(registry.builtinTools()));
  } finally {
    rmSync(out, { force: true });
  }
}
const specs = await toolSpecsJson();

// The SDK parts print mode's requests need (src/bedrock/transport.ts: the SigV4 signer, the
// event-stream codec) are bundled on their own first, so that each becomes one small tree-shaken
// module. Bundled as they are, the packages' barrel files would tie them to the chunks of the
// whole SDK core that the lazily loaded SDK clients share (~200 KB before the first request).
// Each build writes them to a directory of its own (builds may run side by side); they enter
// the output under fixed names (`vendored:signer.mjs`), so that it does not change from one
// build to the next (nor does the code cache keyed on its hash).
const vendorDir = `${buildCache}/vendor-${process.pid}`;
const VENDORED = {
  '@smithy/signature-v4': 'signer',
  '@smithy/hash-node': 'signer',
  '@smithy/core/event-streams': 'event-streams',
};
async function vendorBundles() {
  const sources = {
    signer: "export { SignatureV4 } from '@smithy/signature-v4';\nexport { Hash } from '@smithy/hash-node';\n",
    'event-streams': "export { EventStreamCodec, getChunkedStream } from '@smithy/core/event-streams';\n",
  };
  for (const [name, contents] of Object.entries(sources)) {
    await build({
      stdin: { contents, resolveDir: process.cwd(), loader: 'js' },
      outfile: `${vendorDir}/${name}.mjs`,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      mainFields: ['module', 'main'],
      legalComments: 'none',
      logLevel: 'warning',
    });
  }
}
const vendored = {
  name: 'vendored-sdk-parts',
  setup(b) {
    b.onResolve({ filter: /^@smithy\/(signature-v4|hash-node|core\/event-streams)$/ }, (args) => {
      if (!args.importer.replace(/\\/g, '/').endsWith('src/bedrock/transport.ts')) return undefined;
      return { path: `${VENDORED[args.path]}.mjs`, namespace: 'vendored' };
    });
    b.onLoad({ filter: /.*/, namespace: 'vendored' }, (args) => ({ contents: readFileSync(`${vendorDir}/${args.path}`, 'utf8'), resolveDir: process.cwd(), loader: 'js' }));
  },
};

// zod bundles the error messages of 40-odd languages (~350 KB, half its size, compiled every
// time the tools load). bcode only ever uses the default English ones, so `z.locales` gets
// just `en`.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      return { path: `${args.resolveDir}/../locales/index.js`, namespace: 'zod-locales', pluginData: { dir: `${args.resolveDir}/../locales` } };
    });
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({ contents: "export { default as en } from './en.js';\n", resolveDir: args.pluginData.dir, loader: 'js' }));
  },
};

// ink connects to React DevTools when DEV=true; that module pulls in `ws` and an optional
// package bcode does not ship, so the build leaves it out (the import is then a no-op).
const inkWithoutDevtools = {
  name: 'ink-without-devtools',
  setup(b) {
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]ink[\\/]/.test(args.importer)) return undefined;
      return { path: 'ink-devtools', namespace: 'ink-devtools-stub' };
    });
    b.onLoad({ filter: /.*/, namespace: 'ink-devtools-stub' }, () => ({ contents: 'export {};\n', loader: 'js' }));
  },
};

// yoga-layout (ink's layout engine) is WebAssembly inlined as a data: URL. Its Emscripten loader
// fetches that URL when a global fetch exists, and touching Node's fetch loads undici and zlib
// (~60 ms before the UI can draw). Without fetch it decodes the same bytes itself.
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/][^\\/]+\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('typeof fetch')) throw new Error(`build: ${args.path} no longer has the expected fetch check`);
      return { contents: `const fetch = undefined;\n${text}`, loader: 'js' };
    });
  },
};

const UNUSED_PROXY_AGENTS = ['pac-proxy-agent', 'socks-proxy-agent'];

// Build beside dist/ and swap it in, so a test running the CLI never sees a half-written tree.
const tmp = `dist.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });

const define = { BCODE_VERSION: JSON.stringify(pkg.version), BCODE_TOOL_SPECS_JSON: JSON.stringify(specs) };

// Steps 1 and 2 use the vendored SDK parts; their temporary files go whatever happens.
try {
  await vendorBundles();

  // 1. The ES-module build (dist/chunks/): every command; commander reads the command line and
  //    each command's code loads on demand.
  await build({
    entryPoints: { 'chunks/main': 'src/cli/main.ts' },
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Prefer packages' ES module builds: the AWS SDK's are tree-shakable, so a chunk carries only
    // what bcode uses (the signer alone would otherwise drag in all of @smithy/core).
    mainFields: ['module', 'main'],
    sourcemap: false,
    minifySyntax: true,
    legalComments: 'none',
    chunkNames: 'chunks/[name]-[hash]',
    // Only the ripgrep binary package stays outside: it resolves a platform binary at run time.
    // PAC and SOCKS proxies are refused by bcode (src/net/proxy-env.ts): proxy-agent's loaders for
    // them stay unresolved rather than bundling a JavaScript engine for PAC files. OpenTelemetry and
    // the STS client load only with telemetry / request attribution on: taken from node_modules
    // when needed, not carried in the chunks.
    external: ['@vscode/ripgrep', ...UNUSED_PROXY_AGENTS, '@opentelemetry/*', '@aws-sdk/client-sts'],
    // React's production build (the interactive UI's chunk); nothing else reads NODE_ENV.
    define: { ...define, 'process.env.NODE_ENV': '"production"' },
    banner: {
      // Some bundled CommonJS dependencies call require() for Node built-ins.
      js: "import { createRequire as __bcodeCreateRequire } from 'node:module';\nconst require = __bcodeCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
    plugins: [vendored, zodEnglishOnly, cjsDynamicImports, inkWithoutDevtools, yogaWithoutFetch],
  });
  writeFileSync(`${tmp}/chunks/package.json`, '{ "type": "module" }\n');
  writeFileSync(`${tmp}/package.json`, '{ "type": "commonjs" }\n');

  // 2. Print mode as one CommonJS bundle (dist/print.cjs), run by the launcher through V8's code
  //    cache (src/cli/compile-cache.ts). All of bcode's own modules are in it (no module exists
  //    twice in a process); packages that are big and not always needed are separate files,
  //    required on first use (through the code cache too): zod, the AWS credential chain and the
  //    shell parser, and the YAML parser of skills, agents and commands pre-bundled in dist/vendor/; the SDK clients for profile hints straight from
  //    node_modules.
  // proxy-agent and undici load only when a proxy or extra CA is configured (src/net/); yaml only
  // when a skill, agent or command file has a header.
  const VENDOR = { zod: 'zod', '@aws-sdk/credential-providers': 'credential-providers', 'mvdan-sh': 'mvdan-sh', 'proxy-agent': 'proxy-agent', undici: 'undici', yaml: 'yaml' };
  // What print.cjs and its vendor files are built with.
  const printWorldOptions = {
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    mainFields: ['module', 'main'],
    // vm.Script (the code-cache loader) has no dynamic import() on Node 20: every import() of a
    // package becomes a require.
    supported: { 'dynamic-import': false },
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  };
  for (const [pkgName, file] of Object.entries(VENDOR)) {
    await build({
      // mvdan-sh is used through its default export (its module.exports), so it stays CommonJS.
      stdin: { contents: pkgName === 'mvdan-sh' ? `module.exports = require('${pkgName}');\n` : `export * from '${pkgName}';\n`, resolveDir: process.cwd(), loader: 'js' },
      outfile: `${tmp}/vendor/${file}.cjs`,
      ...printWorldOptions,
      external: UNUSED_PROXY_AGENTS,
      plugins: [zodEnglishOnly],
    });
  }
  const printWorldExternals = {
    name: 'print-world-externals',
    setup(b) {
      b.onResolve({ filter: /^[@a-z]/ }, (args) => {
        if (args.path.startsWith('node:')) return undefined;
        if (VENDOR[args.path]) return { path: `./vendor/${VENDOR[args.path]}.cjs`, external: true };
        // The MCP SDK loads only when a server is configured: from node_modules, not inside print.cjs.
        if (/^(commander|@vscode\/ripgrep|@aws-sdk\/|@smithy\/node-http-handler|@opentelemetry\/|@modelcontextprotocol\/sdk)/.test(args.path)) return { path: args.path, external: true };
        return undefined;
      });
    },
  };
  await build({
    entryPoints: ['src/cli/print-world.ts'],
    outfile: `${tmp}/print.cjs`,
    ...printWorldOptions,
    define,
    plugins: [vendored, printWorldExternals],
  });

  // 3. The interactive UI as one CommonJS bundle (dist/tui.cjs), run by the launcher through the
  //    code cache like print mode: `bcode` in a terminal draws its input box without compiling
  //    ES modules first. It is print.cjs's world plus ink and React (only one of the two bundles
  //    loads in a process). yoga-layout, ink's layout engine, loads with a top-level await,
  //    which CommonJS cannot have: here it loads through a promise the UI waits for before
  //    drawing (src/ui/tui/layout-ready.ts), overlapping with the configuration's loading.
  const yogaDir = `${process.cwd()}/node_modules/yoga-layout/dist`;
  const yogaAsPromise = {
    name: 'yoga-as-promise',
    setup(b) {
      b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: 'yoga', namespace: 'yoga-shim' }));
      b.onResolve({ filter: /[\\/]layout-ready\.js$/ }, (args) => (/[\\/]src[\\/]ui[\\/]tui$/.test(args.resolveDir) ? { path: 'layout-ready', namespace: 'yoga-shim' } : undefined));
      b.onLoad({ filter: /^yoga$/, namespace: 'yoga-shim' }, () => ({
        contents: [
          `import loadYoga from ${JSON.stringify(`${yogaDir}/binaries/yoga-wasm-base64-esm.js`)};`,
          `import wrapAssembly from ${JSON.stringify(`${yogaDir}/src/wrapAssembly.js`)};`,
          `export * from ${JSON.stringify(`${yogaDir}/src/generated/YGEnums.js`)};`,
          'let yoga;',
          'export const yogaReady = loadYoga().then((lib) => { yoga = wrapAssembly(lib); });',
          // ink reaches yoga only when it lays out, after the UI waited for yogaReady.
          'export default new Proxy({}, { get: (_, key) => yoga[key] });',
        ].join('\n'),
        resolveDir: process.cwd(),
        loader: 'js',
      }));
      // ink's two other top-level awaits serve DEV=true only (React DevTools, which the build
      // leaves out anyway): in CommonJS that mode is simply not offered.
      b.onLoad({ filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const out = text.replace("await import('./devtools.js');", '').replace('? await loadPackageJson()', '? { name: undefined, version: undefined }');
        if (/\bawait (import|loadPackageJson)\b/.test(out.replace(/async function loadPackageJson\(\) \{[^}]*\}/, ''))) throw new Error(`build: ${args.path} has a top-level await the build does not know`);
        return { contents: out, loader: 'js' };
      });
      b.onLoad({ filter: /^layout-ready$/, namespace: 'yoga-shim' }, () => ({ contents: "export { yogaReady as layoutReady } from 'yoga-layout';\n", resolveDir: process.cwd(), loader: 'js' }));
      // The loader's own directory (import.meta.url) is only used for a wasm file it does not have.
      b.onLoad({ filter: /[\\/]node_modules[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/][^\\/]+\.js$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('typeof fetch') || !text.includes('import.meta.url')) throw new Error(`build: ${args.path} no longer has the expected shape`);
        return { contents: `const fetch = undefined;\n${text.replaceAll('import.meta.url', 'undefined')}`, loader: 'js' };
      });
    },
  };
  await build({
    entryPoints: ['src/cli/interactive-main.ts'],
    outfile: `${tmp}/tui.cjs`,
    ...printWorldOptions,
    define: { ...define, 'process.env.NODE_ENV': '"production"' },
    plugins: [vendored, printWorldExternals, inkWithoutDevtools, yogaAsPromise],
  });

  // esbuild reaches a Node built-in's default export (`import path from 'node:path'`) through
  // __toESM, which copies every property of the module into a new object, once per importing
  // file (~1 ms before the first request). An object that inherits from the module reads the
  // same, without the copies.
  for (const file of [`${tmp}/print.cjs`, `${tmp}/tui.cjs`]) {
    const text = readFileSync(file, 'utf8');
    const pattern = /__toESM\(require\("(node:[a-z_/]+)"\), 1\)/g;
    if (!pattern.test(text) || !text.startsWith('"use strict";\n')) throw new Error(`build: ${file} no longer has the expected shape for the built-in interop step`);
    writeFileSync(file, text.replace('"use strict";\n', '"use strict";\nvar __bcodeBuiltin = (m) => ({ __proto__: m, default: m });\n').replace(pattern, '__bcodeBuiltin(require("$1"))'));
  }
} finally {
  rmSync(vendorDir, { recursive: true, force: true });
}

// 3. The launcher (dist/cli.js, CommonJS): --version, then print mode or the ES-module build.
const printHash = createHash('sha256').update(readFileSync(`${tmp}/print.cjs`)).digest('hex').slice(0, 16);
const tuiHash = createHash('sha256').update(readFileSync(`${tmp}/tui.cjs`)).digest('hex').slice(0, 16);
await build({
  entryPoints: ['src/cli/launch.ts'],
  outfile: `${tmp}/cli.js`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'none',
  define: { ...define, BCODE_PRINT_HASH: JSON.stringify(printHash), BCODE_TUI_HASH: JSON.stringify(tuiHash) },
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
chmodSync(`${tmp}/cli.js`, 0o755);
const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(tmp, 'dist');
rmSync(old, { recursive: true, force: true });
