import { it } from 'vitest';
import { analyzeShell } from '../../src/permissions/shell.js';
it('probe', async () => {
  for (const l of (process.env.PROBE ?? '').split('\n').filter(Boolean)) {
    const a = await analyzeShell(l, { home: '/h', cwd: '/c' });
    console.log(JSON.stringify(l), JSON.stringify(a.commands.map((c) => [c.text, c.kind, c.derived ?? null, c.opaque ?? null, c.unsafe ?? null])));
  }
});
