import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm ci` (npm ≥ 11) warns about every dependency with an install script that package.json's
// `allowScripts` does not cover. esbuild's postinstall is needed (it puts the native binary in
// place); every such script is reviewed here, so a fresh install prints no warning.

const REPO = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };

describe('npm ci is quiet', () => {
  it('every dependency with an install script is named in allowScripts', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([where]) => where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts).toContain('esbuild');
    for (const name of withScripts) expect(pkg.allowScripts?.[name], `${name} has an install script: review it, then npm approve-scripts ${name}`).toBe(true);
  });
});
