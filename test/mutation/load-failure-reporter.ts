// Vitest reporter for `npm run mutate` only (vitest.stryker.config.ts). A mutant that makes a
// module throw while it loads (a constant the module parses at import, say) leaves its test files
// with no tests at all; Stryker's vitest runner builds its verdict from the tests it finds, finds
// none failing, and reports the mutant Survived (stryker-js#6150). This gives every test file
// that failed without running a test one failing test, so such a mutant counts as killed.
import type { Reporter } from 'vitest/reporters';
import type { RunnerTestFile, RunnerTestCase } from 'vitest';

function hasTests(tasks: RunnerTestFile['tasks']): boolean {
  return tasks.some((t) => t.type === 'test' || (t.type === 'suite' && hasTests(t.tasks)));
}

export default class LoadFailureReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = []): void {
    for (const file of files) {
      if (file.result?.state !== 'fail' || hasTests(file.tasks)) continue;
      const test = {
        type: 'test',
        id: `${file.id}_load`,
        name: '(the test file failed to load)',
        mode: 'run',
        context: {} as RunnerTestCase['context'],
        file,
        suite: file,
        meta: {},
        timeout: 0,
        annotations: [],
        result: { state: 'fail', errors: file.result.errors ?? [{ message: 'the test file failed to load' }], duration: 0 },
      } as unknown as RunnerTestCase;
      file.tasks.push(test);
    }
  }
}
