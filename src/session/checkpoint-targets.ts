/**
 * Which files a tool call is about to change, for checkpoints (A14): the file of Write, Edit and
 * MultiEdit; for Bash, best effort, the files the permission engine's shell analysis sees it
 * write (redirect targets, the operands of cp, mv, rm, sed -i …). A program that writes files it
 * does not name (`make`, a script) is not covered; docs/sessions.md says so.
 */
import path from 'node:path';

/** At most this many files per call are snapshotted (a glob that expands to a tree is not a checkpoint). */
const MAX_FILES = 64;

export async function filesTouchedBy(toolName: string, input: unknown, cwd: string, shellCwd: string, home: string): Promise<string[]> {
  const obj = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  if (toolName === 'Write' || toolName === 'Edit' || toolName === 'MultiEdit') {
    return typeof obj.file_path === 'string' && obj.file_path !== '' ? [path.resolve(cwd, obj.file_path)] : [];
  }
  if (toolName !== 'Bash' || typeof obj.command !== 'string') return [];
  try {
    const [{ analyzeShell }, { fileAccess }] = await Promise.all([import('../permissions/shell.js'), import('../permissions/file-access.js')]);
    const analysis = await analyzeShell(obj.command, { home, cwd: shellCwd });
    const words = [...analysis.redirects.filter((r) => r.kind === 'write').map((r) => r.target), ...analysis.commands.flatMap((c) => fileAccess(c).writes)];
    const out = new Set<string>();
    for (const w of words) {
      const v = w.value;
      if (v === undefined || v === '' || /[*?[]/.test(v)) continue;
      const expanded = v === '~' || v.startsWith('~/') ? path.join(home, v.slice(1)) : v;
      // After a cd, a relative name is relative to a directory only known when the command runs.
      if (analysis.changesDirectory && !path.isAbsolute(expanded)) continue;
      const abs = path.resolve(shellCwd, expanded);
      if (abs.startsWith('/dev/') || abs.startsWith('/proc/')) continue;
      out.add(abs);
      if (out.size >= MAX_FILES) break;
    }
    return [...out];
  } catch {
    return []; // a command the analysis cannot read: no snapshot (the permission engine asked about it)
  }
}
