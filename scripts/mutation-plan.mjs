// What `npm run mutate` measures: each safety-critical module with the in-process test files that
// can kill its mutants. End-to-end tests are left out on purpose: they run the built bundle
// (dist/cli.js), which Stryker does not rebuild, so they cannot see a mutant and only cost time.
// A module-level ("static") mutant runs every listed test file, so the lists stay narrow.

const bashPath = [
  'test/permissions/adversarial-unit.test.ts',
  'test/permissions/bash-policy.mutation.test.ts',
  'test/permissions/decide.test.ts',
  'test/permissions/shell.mutation.test.ts',
  'test/permissions/wrappers.mutation.test.ts',
  'test/permissions/file-access.mutation.test.ts',
  'test/permissions/program-options.mutation.test.ts',
  'test/permissions/policy.mutation.test.ts',
];
const ruleFiles = ['test/permissions/updates-files.mutation.test.ts', 'test/permissions/updates.test.ts', 'test/permissions/rules-and-state.test.ts'];
const sandboxUnits = ['test/sandbox/runner-prepare.mutation.test.ts', 'test/sandbox/sandbox-units.mutation.test.ts'];

/** @type {{ file: string, tests: string[] }[]} */
export const MODULES = [
  { file: 'src/permissions/arithmetic.ts', tests: ['test/permissions/arithmetic.mutation.test.ts', 'test/permissions/shell.mutation.test.ts', 'test/permissions/adversarial-unit.test.ts'] },
  { file: 'src/permissions/bash-policy.ts', tests: [...bashPath, 'test/permissions/bash-policy-edges.mutation.test.ts'] },
  { file: 'src/permissions/expand.ts', tests: ['test/permissions/expand.mutation.test.ts', ...bashPath] },
  { file: 'src/permissions/file-access.ts', tests: bashPath },
  { file: 'src/permissions/git-repo.ts', tests: ruleFiles },
  { file: 'src/permissions/glob.ts', tests: ['test/permissions/glob-paths.mutation.test.ts', 'test/permissions/decide.test.ts'] },
  { file: 'src/permissions/index.ts', tests: ruleFiles },
  { file: 'src/permissions/paths.ts', tests: ['test/permissions/glob-paths.mutation.test.ts', 'test/permissions/decide.test.ts'] },
  { file: 'src/permissions/policy.ts', tests: ['test/permissions/policy.mutation.test.ts', 'test/permissions/decide.test.ts'] },
  { file: 'src/permissions/program-options.ts', tests: [...bashPath, 'test/permissions/program-tables.mutation.test.ts'] },
  { file: 'src/permissions/protected-paths.ts', tests: ['test/permissions/protected-paths.mutation.test.ts', 'test/permissions/decide.test.ts'] },
  { file: 'src/permissions/read-only-commands.ts', tests: bashPath },
  { file: 'src/permissions/rule-files.ts', tests: ruleFiles },
  { file: 'src/permissions/rules.ts', tests: ['test/permissions/rules.mutation.test.ts', 'test/permissions/decide.test.ts'] },
  { file: 'src/permissions/settings-file.ts', tests: ruleFiles },
  { file: 'src/permissions/shell-words.ts', tests: bashPath },
  { file: 'src/permissions/shell.ts', tests: bashPath },
  { file: 'src/permissions/suggest.ts', tests: ['test/permissions/glob-paths.mutation.test.ts', 'test/permissions/decide.test.ts'] },
  { file: 'src/permissions/updates.ts', tests: ruleFiles },
  { file: 'src/permissions/wrappers.ts', tests: bashPath },
  { file: 'src/sandbox/availability.ts', tests: sandboxUnits },
  { file: 'src/sandbox/bwrap-args.ts', tests: ['test/sandbox/bwrap-args.test.ts', 'test/sandbox/runner.test.ts'] },
  { file: 'src/sandbox/for-config.ts', tests: sandboxUnits },
  { file: 'src/sandbox/masks.ts', tests: [...sandboxUnits, 'test/sandbox/runner.test.ts'] },
  { file: 'src/sandbox/read-only-git.ts', tests: sandboxUnits },
  { file: 'src/sandbox/runner.ts', tests: [...sandboxUnits, 'test/sandbox/runner.test.ts'] },
  { file: 'src/sandbox/seccomp.ts', tests: ['test/sandbox/seccomp.test.ts', 'test/sandbox/runner-prepare.mutation.test.ts'] },
  { file: 'src/sandbox/settings.ts', tests: sandboxUnits },
  { file: 'src/util/redact.ts', tests: ['test/secrets/redact.test.ts', 'test/secrets/redact.mutation.test.ts'] },
  { file: 'src/util/stream-redact.ts', tests: ['test/secrets/stream-redact.test.ts', 'test/secrets/stream-redact.mutation.test.ts'] },
  { file: 'src/util/child-env.ts', tests: ['test/secrets/child-env.test.ts'] },
  { file: 'src/util/atomic-write.ts', tests: ['test/tools/atomic-write.test.ts', 'test/tools/atomic-replace.test.ts', 'test/tools/atomic-write-edges.test.ts'] },
  { file: 'src/emulator/auth.ts', tests: ['test/emulator/auth.mutation.test.ts', 'test/bedrock/sigv4-oracle.test.ts'] },
  { file: 'src/bedrock/retry.ts', tests: ['test/bedrock/units.test.ts', 'test/bedrock/retry.mutation.test.ts'] },
  { file: 'src/bedrock/credential-export.ts', tests: ['test/credentials/export-parse.test.ts', 'test/credentials/export-run.mutation.test.ts'] },
  { file: 'src/bedrock/auth-refresh.ts', tests: ['test/credentials/auth-refresh-run.test.ts'] },
  { file: 'src/agent/caching.ts', tests: ['test/agent/caching.test.ts', 'test/agent/caching.mutation.test.ts'] },
  { file: 'src/session/transcript.ts', tests: ['test/agent/transcript.test.ts', 'test/session/transcript.mutation.test.ts'] },
];

/** The score every module is held to (issue 20). */
export const TARGET = 85;
