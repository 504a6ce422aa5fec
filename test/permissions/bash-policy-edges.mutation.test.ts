/**
 * The Bash decision's edges that need a world of their own (src/permissions/bash-policy.ts):
 * protected writes and the allow rules that do or do not name them (a symlink spelling, a
 * recursive write, a redirect), recursive reads and writes of trees a deny rule reaches into
 * (found by the rule's fixed prefix or by walking, a symlink counted by its target), the size of
 * a glob's directory, and script files (nested, at and over the size limit, unparseable, CRLF,
 * written through another spelling). Each case pins the whole decision.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, policyFor, type PolicySettings } from './fixture.js';
import { decideBash, type PolicyView } from '../../src/permissions/bash-policy.js';
import type { PermissionDecision, PermissionMode } from '../../src/permissions/types.js';

const w = makeWorld();
const MAX_SCRIPT = 256 * 1024;
beforeAll(() => {
  const P = w.project;
  const file = (rel: string, text = '') => {
    fs.mkdirSync(path.dirname(path.join(P, rel)), { recursive: true });
    fs.writeFileSync(path.join(P, rel), text);
  };
  fs.mkdirSync(path.join(P, '.git', 'hooks'), { recursive: true });
  fs.symlinkSync(path.join(P, '.git'), path.join(P, 'gitlink'));
  file('src/lib/deep/secret.txt');
  file('src/other/secret.txt');
  file('src/lib/secret');
  fs.mkdirSync(path.join(P, 'walk', 'x'), { recursive: true });
  fs.symlinkSync(path.join(P, 'src', 'other', 'secret.txt'), path.join(P, 'walk', 'x', 'pointer'));
  fs.mkdirSync(path.join(P, 'calm'));
  fs.symlinkSync(path.join(P, 'src', 'a.ts'), path.join(P, 'calm', 'harmless'));
  file('script.sh', 'rm -rf build\n');
  fs.symlinkSync(path.join(P, 'script.sh'), path.join(P, 'slink.sh'));
  file('n1.sh', 'source n2.sh\n');
  file('n2.sh', 'source n3.sh\n');
  file('n3.sh', 'rm x\n');
  file('bad.sh', 'echo "unterminated\n');
  file('crlf.sh', 'echo a\r\nrm x\r\n');
  file('tilde.sh', 'cat ~/.ssh/id_rsa\n');
  file('w.sh', 'echo x > out.txt\n');
  file('big.sh', `rm x\n${'#'.repeat(MAX_SCRIPT - 5)}`);
  file('bigger.sh', `rm x\n${'#'.repeat(MAX_SCRIPT - 4)}`);
});

/**
 * The reason for a recursive write that reaches a protected path: which entry the walk meets
 * first depends on the directory order, and the text is cut at 120 characters, inside the temp
 * root, whose length depends on TMPDIR (a mutation run's is longer) — so only its form is pinned.
 */
const PROTECTED_BELOW_PROJECT = /^'rm -rf \.' changes everything under <R>\/project, including \S+: a protected path \(git runs the programs its configuration and hooks name\), which needs approval even when edits or the command are allowed$/;

/** The two directories a glob's size limit is tested with, made only by the tests that need them (mutation runs repeat the setup). */
function bigDirs(): void {
  for (const [dir, n] of [['many', 5000], ['more', 5001]] as const) {
    if (fs.existsSync(path.join(w.project, dir))) continue;
    fs.mkdirSync(path.join(w.project, dir));
    for (let i = 0; i < n; i++) fs.writeFileSync(path.join(w.project, dir, `f${i}`), '');
  }
}
afterAll(() => fs.rmSync(w.root, { recursive: true, force: true }));

const cases: Array<[name: string, command: string, settings: PolicySettings, expected: PermissionDecision]> = [
  ["a redirect into a hook is not allowed by a Bash rule that names it (a redirect has no command to match)", "echo x > .git/hooks/pre-commit", {allow: ["Bash", "Bash(echo x > .git/hooks/pre-commit)"]}, {"behavior": "ask", "reason": "redirect > <R>/project/.git/hooks/pre-commit: a protected path (git runs the programs its configuration and hooks name), which needs approval even when edits or the command are allowed", "suggestedRule": "Edit(/.git/hooks/**)"}],
  ["a Bash rule naming a protected path allows the command it matches", "cp a .git/hooks/pre-commit", {allow: ["Bash(cp a .git/hooks/pre-commit)"]}, {"behavior": "allow", "reason": "allowed by rule Bash(cp a .git/hooks/pre-commit)", "rule": "Bash(cp a .git/hooks/pre-commit)", "sandbox": "workspace"}],
  ["a Bash rule naming a protected path does not allow another command", "cp a .git/hooks/pre-commit", {allow: ["Bash", "Bash(cp b .git/hooks/pre-commit)"]}, {"behavior": "ask", "reason": "'cp a .git/hooks/pre-commit' writes <R>/project/.git/hooks/pre-commit: a protected path (git runs the programs its configuration and hooks name), which needs approval even when edits or the command are allowed", "suggestedRule": "Edit(/.git/hooks/**)"}],
  ["an Edit rule must cover every spelling of a protected write (a symlink to .git)", "echo x > gitlink/hooks/pre-commit", {allow: ["Bash", "Edit(.git/hooks/**)"]}, {"behavior": "ask", "reason": "redirect > <R>/project/.git/hooks/pre-commit: a protected path (git runs the programs its configuration and hooks name), which needs approval even when edits or the command are allowed", "suggestedRule": "Edit(/.git/hooks/**)"}],
  ["an Edit rule covering the protected path allows the write", "echo x > .git/hooks/pre-commit", {allow: ["Bash", "Edit(.git/hooks/**)"]}, {"behavior": "allow", "reason": "allowed by rule Bash, Edit(.git/hooks/**)", "rule": "Bash, Edit(.git/hooks/**)", "sandbox": "workspace"}],
  ["a recursive write below a protected path: an Edit rule covering it allows", "rm -rf .", {allow: ["Bash", "Edit(/.git/**)"]}, {"behavior": "allow", "reason": "allowed by rule Bash", "rule": "Bash", "sandbox": "workspace"}],
  ["a recursive write below a protected path: a rule that names but does not cover it asks", "rm -rf .", {allow: ["Bash", "Edit(/.git/hooks/nothing)"]}, {"behavior": "ask", "reason": expect.stringMatching(PROTECTED_BELOW_PROJECT), "suggestedRule": "Edit(/**)"}],
  ["a recursive read: Edit deny rules are not read rules", "grep -r x .", {allow: ["Bash"], deny: ["Edit(./secrets/**)"]}, {"behavior": "allow", "reason": "allowed by rule Bash", "rule": "Bash", "sandbox": "workspace"}],
  ["a recursive write: Read deny rules are not write rules", "rm -rf src", {allow: ["Bash"], deny: ["Read(./src/lib/**)"]}, {"behavior": "allow", "reason": "allowed by rule Bash", "rule": "Bash", "sandbox": "workspace"}],
  ["git diff reads the whole repository: a whole-tool Read deny asks", "git diff", {allow: ["Bash"], deny: ["Read"]}, {"behavior": "ask", "reason": "'git diff' reads everything under <R>/project, which holds a path denied by rule Read; a deny rule may cover it, so it needs approval"}],
  ["a recursive read above a denied path that does not exist yet asks (no walk needed)", "grep -r x .", {allow: ["Bash"], deny: ["Read(./nothere)"]}, {"behavior": "ask", "reason": "'grep -r x .' reads everything under <R>/project, which holds a path denied by rule Read(./nothere); a deny rule may cover it, so it needs approval"}],
  ["a recursive read below a glob rule walks and finds a match", "grep -r x src/lib", {allow: ["Bash"], deny: ["Read(./src/*/secret)"]}, {"behavior": "ask", "reason": "'grep -r x src/lib' reads everything under <R>/project/src/lib, which holds a path denied by rule Read(./src/*/secret); a deny rule may cover it, so it needs approval"}],
  ["a recursive read below a ** rule walks and finds a match deep down", "grep -r x src/lib", {allow: ["Bash"], deny: ["Read(./**/secret.txt)"]}, {"behavior": "ask", "reason": "'grep -r x src/lib' reads everything under <R>/project/src/lib, which holds a path denied by rule Read(./**/secret.txt); a deny rule may cover it, so it needs approval"}],
  ["a recursive read below a ** rule with only an unrelated symlink is allowed", "grep -r x calm", {allow: ["Bash"], deny: ["Read(./**/secret.txt)"]}, {"behavior": "allow", "reason": "allowed by rule Bash", "rule": "Bash", "sandbox": "workspace"}],
  ["a recursive read below a ** rule finds a symlink whose target matches", "grep -r x walk", {allow: ["Bash"], deny: ["Read(./**/secret.txt)"]}, {"behavior": "ask", "reason": "'grep -r x walk' reads everything under <R>/project/walk, which holds a path denied by rule Read(./**/secret.txt); a deny rule may cover it, so it needs approval"}],
  ["a glob over a directory of 5000 entries is checked", "cat many/*", {}, {"behavior": "allow", "reason": "read-only command inside the working directory", "sandbox": "read-only"}],
  ["a glob over more than 5000 entries asks", "cat more/*", {}, {"behavior": "ask", "reason": "'cat more/*' needs approval", "suggestedRule": "Bash(cat:*)"}],
  ["scripts nested three deep are not read", "source n1.sh", {allow: ["Bash"], deny: ["Bash(rm:*)"]}, {"behavior": "deny", "reason": "'source n3.sh': it runs n3.sh, which is too large or nested too deeply to check, so it could run any command, and rule Bash(rm:*) denies some commands, so it was not run", "rule": "Bash(rm:*)"}],
  ["a script of exactly the size limit is read", "source big.sh", {allow: ["Bash"], deny: ["Bash(rm:*)"]}, {"behavior": "deny", "reason": "'rm x' is denied by rule Bash(rm:*)", "rule": "Bash(rm:*)"}],
  ["a script over the size limit is not read", "source bigger.sh", {allow: ["Bash"], deny: ["Bash(rm:*)"]}, {"behavior": "deny", "reason": "'source bigger.sh': it runs bigger.sh, which is too large or nested too deeply to check, so it could run any command, and rule Bash(rm:*) denies some commands, so it was not run", "rule": "Bash(rm:*)"}],
  ["a script that cannot be parsed could run anything", "source bad.sh", {allow: ["Bash"], deny: ["Bash(rm:*)"]}, {"behavior": "deny", "reason": "'source bad.sh': it runs bad.sh, which cannot be parsed, so it could run any command, and rule Bash(rm:*) denies some commands, so it was not run", "rule": "Bash(rm:*)"}],
  ["a script with CRLF line ends is read line by line", "source crlf.sh", {allow: ["Bash"], deny: ["Bash(rm:*)"]}, {"behavior": "deny", "reason": "'rm x' is denied by rule Bash(rm:*)", "rule": "Bash(rm:*)"}],
  ["a script is analysed with the home directory", "source tilde.sh", {allow: ["Bash"], deny: ["Read(~/.ssh/**)"]}, {"behavior": "deny", "reason": "'cat ~/.ssh/id_rsa' touches <R>/home/.ssh/id_rsa, denied by rule Read(~/.ssh/**)", "rule": "Read(~/.ssh/**)"}],
  ["a redirect inside an allowed script is covered by the command that runs it", "source w.sh", {allow: ["Bash(source w.sh)"]}, {"behavior": "allow", "reason": "allowed by rule Bash(source w.sh)", "rule": "Bash(source w.sh)", "sandbox": "workspace"}],
  ["a write through an expansion next to a script file is ignored for the script check", "touch $F; source script.sh", {allow: ["Bash"], deny: ["Bash(curl:*)"]}, {"behavior": "allow", "reason": "allowed by rule Bash", "rule": "Bash", "sandbox": "workspace"}],
  ["a script written through a symlink spelling is unknown", "echo rm > script.sh; source slink.sh", {allow: ["Bash"], deny: ["Bash(ls:*)"]}, {"behavior": "deny", "reason": "'source slink.sh': it runs slink.sh, which cannot be read before the command runs, so it could run any command, and rule Bash(ls:*) denies some commands, so it was not run", "rule": "Bash(ls:*)"}],
  // ---- command texts: the 80-character cut of a reason, spellings deny and ask rules see ----
  ['a command of 80 characters is named whole', `echo ${'a'.repeat(75)}`, { ask: ['Bash(echo:*)'] }, { behavior: 'ask', reason: `'echo ${'a'.repeat(75)}' needs approval (rule Bash(echo:*))`, rule: 'Bash(echo:*)', suggestedRule: `Bash(echo ${'a'.repeat(75)})` }],
  ['a command of 81 characters is cut to 79 and an ellipsis', `echo ${'a'.repeat(75)}b`, { ask: ['Bash(echo:*)'] }, { behavior: 'ask', reason: `'echo ${'a'.repeat(74)}…' needs approval (rule Bash(echo:*))`, rule: 'Bash(echo:*)', suggestedRule: `Bash(echo ${'a'.repeat(75)}b)` }],
  ['a git global option named by an expansion is skipped to find the subcommand', 'git $X push', { allow: ['Bash'], deny: ['Bash(git push:*)'] }, { behavior: 'deny', reason: "'git $X push' is denied by rule Bash(git push:*)", rule: 'Bash(git push:*)' }],
  ['a rule for git alone catches a possible alias', 'git co main', { allow: ['Bash'], deny: ['Bash(git)'] }, { behavior: 'deny', reason: "'git co main' is denied by rule Bash(git) (it could be a git alias for a denied command)", rule: 'Bash(git)' }],
  ['a rule for another program starting with git does not', 'git co main', { allow: ['Bash'], deny: ['Bash(gitx:*)'] }, { behavior: 'allow', reason: 'allowed by rule Bash', rule: 'Bash', sandbox: 'workspace' }],
  ['a possible alias asks an ask rule for git', 'git co main', { allow: ['Bash'], ask: ['Bash(git push:*)'] }, { behavior: 'ask', reason: "'git co main' needs approval (rule Bash(git push:*))", rule: 'Bash(git push:*)', suggestedRule: 'Bash(git co:*)' }],
  ['ask rules see the program name behind a path and an assignment', 'FOO=1 /bin/rm x', { allow: ['Bash'], ask: ['Bash(rm:*)'] }, { behavior: 'ask', reason: "'FOO=1 /bin/rm x' needs approval (rule Bash(rm:*))", rule: 'Bash(rm:*)' }],
  ['deny rules see the command unquoted', '"rm" x', { allow: ['Bash'], deny: ['Bash(rm x)'] }, { behavior: 'deny', reason: "'rm x' is denied by rule Bash(rm x)", rule: 'Bash(rm x)' }],
];

describe('bash-policy edges, pinned', () => {
  for (const [name, command, settings, expected] of cases) {
    it(name, { timeout: 60_000 }, async () => {
      if (command.includes('many/') || command.includes('more/')) bigDirs();
      const d = await policyFor(w, settings).decide('Bash', { command });
      expect(JSON.parse(JSON.stringify(d).replaceAll(w.root, '<R>'))).toEqual(expected);
    });
  }
});

/**
 * decideBash's survivors of the s26 mutation run (docs/mutation.md, "decideBash survivors (s26)"):
 * each case is a behaviour no other test pinned. `$P` project, `$H` home, `$O` outside in commands;
 * `<R>` the world's root in expectations.
 */
type Survivor = [name: string, command: string, settings: PolicySettings, expected: PermissionDecision, options?: { mode?: PermissionMode; shellCwd?: string }];
const at = (s: string) => s.replaceAll('$P', w.project).replaceAll('$O', w.outside).replaceAll('$H', w.home);
const SSH_DENY: PolicySettings = { allow: ['Bash'], deny: ['Read(~/.ssh/**)'] };
const sshDenied = (command: string): PermissionDecision => ({ behavior: 'deny', reason: `'${command}' touches <R>/home/.ssh/id_rsa, denied by rule Read(~/.ssh/**)`, rule: 'Read(~/.ssh/**)' });
const ENV_DENY: PolicySettings = { allow: ['Bash'], deny: ['Read(./.env)'] };
const envDenied = (command: string): PermissionDecision => ({ behavior: 'deny', reason: `'${command}' touches <R>/project/.env, denied by rule Read(./.env)`, rule: 'Read(./.env)' });
const envUnknown = (command: string, why: string): PermissionDecision => ({
  behavior: 'ask',
  reason: `'${command}' reads a file named by an expansion (${why}) and Read deny rules exist (Read(./.env)); a deny rule may cover it, so it needs approval`,
});
const GIT_PROTECTED = 'a protected path (git runs the programs its configuration and hooks name), which needs approval even when edits or the command are allowed';
/** A protected write's reason: what it writes is cut at 120 characters, inside the temp root, whose length follows TMPDIR. */
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const protectedCut = (what: string): string => expect.stringMatching(new RegExp(`^${escapeRe(what)}(<R>/project/\\.git/hooks/pre-commit|.*…): ${escapeRe(GIT_PROTECTED)}$`)) as string;
const BASH_ALLOWS: PermissionDecision = { behavior: 'allow', reason: 'allowed by rule Bash', rule: 'Bash', sandbox: 'workspace' };

const survivors: Survivor[] = [
  // ---- words shaped like an assignment: bash expands `~` after the `=`, `key=file` programs open that part ----
  ['an assignment-shaped operand names its path after the = (bash expands the ~)', 'cat x=~/.ssh/id_rsa', SSH_DENY, sshDenied('cat x=~/.ssh/id_rsa')],
  ['dd if=~/… reads the file (not an unknown word)', 'dd if=~/.ssh/id_rsa of=/dev/null', SSH_DENY, sshDenied('dd if=~/.ssh/id_rsa of=/dev/null')],
  ['a link named x= made first does not open a way round the rule', 'ln -s / x= && cat x=~/.ssh/id_rsa', SSH_DENY, sshDenied('cat x=~/.ssh/id_rsa')],
  ['a longer name with digits and _ is an assignment shape too', 'cat ab_1=~/.ssh/id_rsa', SSH_DENY, sshDenied('cat ab_1=~/.ssh/id_rsa')],
  ['so is name+= (bash expands the ~ there as well)', 'cat x+=~/.ssh/id_rsa', SSH_DENY, sshDenied("cat 'x+=~/.ssh/id_rsa'")],
  ['an absolute path after the = is checked as written', 'cat x=/etc/shadow', { allow: ['Bash'], deny: ['Read(//etc/shadow)'] }, { behavior: 'deny', reason: "'cat x=/etc/shadow' touches /etc/shadow, denied by rule Read(//etc/shadow)", rule: 'Read(//etc/shadow)' }],
  ['a quoted one too: programs that read key=file may expand ~ themselves (git does)', "cat 'x=~/.ssh/id_rsa'", SSH_DENY, sshDenied("cat 'x=~/.ssh/id_rsa'")],
  ['a write through the part after the = meets Edit deny rules', 'cp a out=~/.ssh/id_rsa', { allow: ['Bash'], deny: ['Edit(~/.ssh/**)'] }, { behavior: 'deny', reason: "'cp a out=~/.ssh/id_rsa' touches <R>/home/.ssh/id_rsa, denied by rule Edit(~/.ssh/**)", rule: 'Edit(~/.ssh/**)' }],
  ['an ask rule sees the part after the = too', 'cat x=~/.ssh/id_rsa', { allow: ['Bash'], ask: ['Read(~/.ssh/**)'] }, { behavior: 'ask', reason: "'cat x=~/.ssh/id_rsa' reads <R>/home/.ssh/id_rsa, which needs approval (rule Read(~/.ssh/**))", rule: 'Read(~/.ssh/**)' }],
  ['a path after the = that no rule names changes nothing', 'cat x=~/.bashrc', SSH_DENY, BASH_ALLOWS],
  ['a word starting with a digit is no assignment: bash keeps the ~ and cat opens ./1x=~/…', 'cat 1x=~/.ssh/id_rsa', SSH_DENY, BASH_ALLOWS],
  ['nor one starting with a dash', 'cat -- -x=~/.ssh/id_rsa', SSH_DENY, BASH_ALLOWS],
  ['a relative path after the = is part of one file name', 'cat x=.env', { allow: ['Bash'], deny: ['Read(./.env)'] }, BASH_ALLOWS],

  // ---- checkWord: glob options, a glob after cd, /proc and /dev/fd spellings ----
  ['shopt -s dotglob: * reaches dot files', 'shopt -s dotglob; cat *', ENV_DENY, envDenied('cat *')],
  ['shopt -s nocaseglob: a glob in another case reaches the file', 'shopt -s nocaseglob; cat .EN?', ENV_DENY, envDenied('cat .EN?')],
  // s26-shell, a bug: the globbing options were found by matching the command's source text only
  ['shopt -s with the option name quoted in parts still reaches dot files', `shopt -s dot""glob; cat *`, ENV_DENY, envDenied('cat *')],
  ['so does one split by a backslash', 'shopt -s dot\\glob; cat *', ENV_DENY, envDenied('cat *')],
  ['a shopt option named by an expansion may be any option', 'shopt -s $X; cat *', ENV_DENY, envDenied('cat *')],
  ['shopt through builtin, quoted in parts', `builtin shopt -s dot''glob; cat *`, ENV_DENY, envDenied('cat *')],
  ['GLOBIGNORE set by declare, quoted in parts, also shows dot files', `declare GLOB''IGNORE=x; cat *`, ENV_DENY, envDenied('cat *')],
  ['so does a name given to declare by an expansion', 'declare "$X"; cat *', ENV_DENY, envDenied('cat *')],
  ['declare -r of another variable changes no globbing option', 'declare -r y=1; cat *', ENV_DENY, BASH_ALLOWS],
  ['a relative glob after a cd is unknown (not expanded where the shell started)', 'cd src && cat .e*', ENV_DENY, envUnknown('cat .e*', "'.e*' expands after a cd")],
  ['a descriptor above 9 is unknown', 'cat /dev/fd/12', ENV_DENY, envUnknown('cat /dev/fd/12', "'/dev/fd/12' reaches a file through another process or an open descriptor")],
  ["the root of a process with a pid of two digits is unknown", 'cat /proc/12/root/x', ENV_DENY, envUnknown('cat /proc/12/root/x', "'/proc/12/root/x' reaches a file through another process or an open descriptor")],
  ['a path that only holds proc/self/root further down is an ordinary path', 'cat $O/proc/self/root$P/.env', ENV_DENY, BASH_ALLOWS],
  ['a path that only holds dev/fd/N further down is an ordinary path', 'cat $O/dev/fd/5', ENV_DENY, BASH_ALLOWS],
  ['/proc/self/fdx is not the fd link', 'cat /proc/self/fdx', ENV_DENY, BASH_ALLOWS],

  // ---- protected writes, recursive reads and writes, the repository git diff reads ----
  ['a write after a cd is protected when any directory the shell may be in makes it so', 'cd .git && touch hooks/pre-commit', { allow: ['Bash'] }, { behavior: 'ask', reason: protectedCut("'touch hooks/pre-commit' writes "), suggestedRule: 'Edit(/.git/hooks/**)' }],
  ['so is a redirect after a cd', 'cd .git && echo x > hooks/pre-commit', { allow: ['Bash'] }, { behavior: 'ask', reason: protectedCut('redirect > '), suggestedRule: 'Edit(/.git/hooks/**)' }],
  ['a recursive read of a denied directory with no operand (grep -r in it) is denied', 'grep -r x', { allow: ['Bash'], deny: ['Read(./secrets)'] }, { behavior: 'deny', reason: "'grep -r x' touches <R>/project/secrets, denied by rule Read(./secrets)", rule: 'Read(./secrets)' }, { shellCwd: '$P/secrets' }],
  ['find -delete of a directory an Edit rule denies is denied', 'find src -delete', { allow: ['Bash'], deny: ['Edit(./src)'] }, { behavior: 'deny', reason: "'find src -delete' touches <R>/project/src, denied by rule Edit(./src)", rule: 'Edit(./src)' }],
  ['find -delete of a directory named by an expansion asks when Edit deny rules exist', 'find $D -delete', { allow: ['Bash'], deny: ['Edit(./src)'] }, { behavior: 'ask', reason: "'find $D -delete' works through a directory named by an expansion ('$D' is only known when the command runs); a deny rule may cover it, so it needs approval" }],
  ['git diff in a subdirectory reads the whole repository', 'git diff', { allow: ['Bash'], deny: ['Read(./secrets/**)'] }, { behavior: 'ask', reason: "'git diff' reads everything under <R>/project, which holds a path denied by rule Read(./secrets/**); a deny rule may cover it, so it needs approval" }, { shellCwd: '$P/src' }],
  ['git diff outside any repository reads the directory it runs in', 'git diff', { allow: ['Bash'], deny: ['Read(./secrets/**)'] }, BASH_ALLOWS, { shellCwd: '$O' }],

  // ---- redirects: harmless and other targets, <>, read redirects, the spelling a redirect is judged by ----
  ['a path ending in dev/fd/1 is not the standard output', 'ls > x/dev/fd/1', {}, { behavior: 'ask', reason: 'redirect > <R>/project/x/dev/fd/1 needs approval', suggestedRule: 'Edit(/x/dev/fd/**)' }],
  ['only <> reads its target: a Read deny rule does not stop a > into the file', 'echo x > .env', { allow: ['Bash'], deny: ['Read(./.env)'] }, BASH_ALLOWS],
  ['a read redirect from a protected path is a read, not a protected write', 'cat < .git/config', {}, { behavior: 'allow', reason: 'read-only command inside the working directory', sandbox: 'read-only' }],
  ['a redirect target with a part that cannot be resolved is unknown as a whole', 'echo x > {a,/dev/fd/5}', { allow: ['Bash'] }, { behavior: 'ask', reason: 'redirect > {a,/dev/fd/5} (a target that cannot be resolved before running) needs approval' }],
  ['after a cd, a redirect is judged by its spelling outside the working directory', 'cd $O && echo x > f', { allow: ['Bash'] }, { behavior: 'ask', reason: 'redirect > <R>/outside/f (outside the working directory) needs approval', suggestedRule: 'Edit(/<R>/outside/**)' }],
  ['after a cd, a redirect is judged by a spelling no rule allows', 'cd src && echo x > f', { allow: ['Bash', 'Edit(./f)'] }, { behavior: 'ask', reason: 'redirect > <R>/project/src/f needs approval', suggestedRule: 'Edit(/src/**)' }],

  // ---- the parse-error path, command rules, the read-only check, what is left to allow ----
  ['an unparseable command is matched by deny rules trimmed and with its blanks made one space', '  rm   -rf\t"unterminated  ', { deny: ['Bash(rm -rf:*)'] }, { behavior: 'deny', reason: 'command is denied by rule Bash(rm -rf:*)', rule: 'Bash(rm -rf:*)' }],
  ['a rule for every command denies a possible git alias as it is (no alias note)', 'git co main', { allow: ['Bash'], deny: ['Bash'] }, { behavior: 'deny', reason: "'git co main' is denied by rule Bash", rule: 'Bash' }],
  ['a Bash ask rule asks about commands that could be anything, not about every command', 'ls', { allow: ['Bash'], ask: ['Bash(rm:*)'] }, BASH_ALLOWS],
  ['ask rules for files are not asked about a command that could be anything (only deny rules make it uncertain)', '$CMD .env', { allow: ['Bash'], ask: ['Read(./.env)'] }, BASH_ALLOWS],
  ['a read-only command in an additional directory is inside the working directories', 'cat f', { additionalDirectories: ['$P/../extra'] }, { behavior: 'allow', reason: 'read-only command inside the working directory', sandbox: 'read-only' }, { shellCwd: '$P/../extra' }],
  ['a read-only command run from outside the working directories needs approval', 'ls', {}, { behavior: 'ask', reason: "'ls' needs approval", suggestedRule: 'Bash(ls)' }, { shellCwd: '$O' }],
  ['after a cd out of the project, a relative path is not read from the project', 'cd .. && cat passwd', {}, { behavior: 'ask', reason: "'cd ..', 'cat passwd' need approval", suggestedRule: 'Bash(cd:*)', suggestedRules: ['Bash(cd:*)', 'Bash(cat passwd)'] }],
  ['after a cd, an absolute path inside is still read-only', 'cd src && cat $P/src/a.ts', {}, { behavior: 'allow', reason: 'read-only command inside the working directory', sandbox: 'read-only' }],
  ['git after a cd to a directory only known when it runs may use any repository', 'cd $X && git status', {}, { behavior: 'ask', reason: "'cd $X', 'git status' (git would use a repository outside a .git directory, whose configuration could run progra…) need approval", suggestedRule: 'Bash(cd:*)', suggestedRules: ['Bash(cd:*)', 'Bash(git status)'] }],
  ['after a cd, a quoted absolute redirect target is absolute', 'cd src && echo x > "$P/out.txt"', { allow: ['Bash'] }, BASH_ALLOWS],
  ['a line of only a harmless redirect is a read-only command, not nothing', '> /dev/null', {}, { behavior: 'allow', reason: 'read-only command inside the working directory', sandbox: 'read-only' }],
  ['a line of only a comment is nothing to run', '# hi', {}, { behavior: 'allow', reason: 'nothing to run', sandbox: 'read-only' }],
];

describe('decideBash survivors (s26), pinned', () => {
  for (const [name, command, settings, expected, options] of survivors) {
    it(name, { timeout: 60_000 }, async () => {
      const policy = policyFor(w, JSON.parse(at(JSON.stringify(settings))) as PolicySettings, options?.mode ? { mode: options.mode } : {});
      const d = await policy.decide('Bash', { command: at(command) }, options?.shellCwd ? { shellCwd: at(options.shellCwd) } : undefined);
      expect(JSON.parse(JSON.stringify(d).replaceAll(w.root, '<R>'))).toEqual(expected);
    });
  }
});

describe('decideBash survivors (s26): calls that are not a command line', () => {
  for (const [name, input] of [['no command at all', {}], ['a command that is not a string', { command: 42 }]] as const) {
    it(`${name} asks`, async () => {
      expect(await policyFor(w).decide('Bash', input)).toEqual({ behavior: 'ask', reason: 'Bash was called without a command' });
    });
  }

  it('an analysis that fails for another reason than the syntax is not taken for an unparseable command (which bypassPermissions allows)', async () => {
    const view: PolicyView = {
      mode: 'bypassPermissions',
      bases: {
        cwd: w.project,
        projectRoot: w.project,
        get home(): string {
          throw new Error('home directory lookup failed');
        },
      },
      roots: [w.project],
      rules: { allow: [], ask: [], deny: [] },
      additionalDirectories: [],
      checkPath: () => {
        throw new Error('not reached');
      },
    };
    await expect(decideBash(view, { command: 'ls' }, {})).rejects.toThrow('home directory lookup failed');
  });
});

/**
 * A link opens its target to whatever runs after it: in the same command line, the path a later
 * command names through the link does not exist yet when the policy looks, so the link itself is
 * judged as reading and changing everything below its target (file-access.ts, `linking`).
 */
describe('links made in the command line are judged by what they point to', () => {
  const HOME_ENV_DENY: PolicySettings = { allow: ['Bash'], deny: ['Read(~/.ssh/**)'] };
  const table: Array<[name: string, command: string, settings: PolicySettings, behavior: PermissionDecision['behavior'], reason?: RegExp]> = [
    ['a symbolic link to home, then a read through it', 'ln -s ~ h && cat h/.ssh/id_rsa', HOME_ENV_DENY, 'ask', /^'ln -s ~ h' reads everything under <R>\/home, which holds a path denied by rule Read\(~\/\.ssh\/\*\*\)/],
    ['a symbolic link to home with the target directory option', 'ln -s -t lnk ~', HOME_ENV_DENY, 'ask', /reads everything under <R>\/home,/],
    ['a link with the name left out (made in the current directory)', 'ln -s $H/.ssh', HOME_ENV_DENY, 'deny'],
    ['a hard link to the denied file itself', 'ln $H/.ssh/id_rsa k', HOME_ENV_DENY, 'deny'],
    ['cp -s makes links too', 'cp -s $H/.ssh/id_rsa k', HOME_ENV_DENY, 'deny'],
    ['cp --link makes hard links', 'cp -r --link $H h2', HOME_ENV_DENY, 'ask', /reads everything under <R>\/home,/],
    // `../../home` counts from the link's directory (src/h → <R>/home), or from the destination when
    // that is a directory (src/h/ → <R>/project/home): both readings are judged.
    ['a relative target counts from the link directory', 'ln -s ../../home src/h', HOME_ENV_DENY, 'ask', /under <R>\/home,/],
    ['a link to a tree with nothing denied is allowed', 'ln -s src/lib l2', HOME_ENV_DENY, 'allow'],
    ['a plain copy is not a link', 'cp $O/passwd p2', HOME_ENV_DENY, 'allow'],
  ];
  for (const [name, command, settings, behavior, reason] of table) {
    it(name, { timeout: 60_000 }, async () => {
      const d = await policyFor(w, settings).decide('Bash', { command: at(command) });
      const got = JSON.parse(JSON.stringify(d).replaceAll(w.root, '<R>')) as PermissionDecision;
      expect(got.behavior, got.reason).toBe(behavior);
      if (reason) expect(got.reason).toMatch(reason);
    });
  }
});
