/**
 * The shell analysis (src/permissions/shell.ts) as the policy relies on it: every command bash
 * would run is reported, with what could make it "any command" (opaque) or not read-only
 * (unsafe), every redirect with its kind, and the limits past which the command is refused
 * rather than guessed at. Each case is a way a model's command could hide what it runs.
 */
import { describe, expect, it } from 'vitest';
import { analyzeShell, LIMITS, quoteWord, ShellParseError, type ShellAnalysis, type SubCommand } from '../../src/permissions/shell.js';

const analyze = (src: string, options = { home: '/h', cwd: '/c' }) => analyzeShell(src, options);
const texts = (a: ShellAnalysis) => a.commands.map((c) => c.text);
const byText = (a: ShellAnalysis, text: string): SubCommand => {
  const c = a.commands.find((x) => x.text === text);
  if (!c) throw new Error(`no command '${text}' in ${JSON.stringify(texts(a))}`);
  return c;
};
const opaque = async (src: string) => (await analyze(src)).commands.filter((c) => c.opaque !== undefined).map((c) => [c.text, c.opaque]);
const unsafe = async (src: string) => (await analyze(src)).commands.filter((c) => c.unsafe !== undefined).map((c) => [c.text, c.unsafe]);

async function parseError(src: string): Promise<string> {
  try {
    await analyze(src);
  } catch (err) {
    expect(err).toBeInstanceOf(ShellParseError);
    return (err as Error).message;
  }
  throw new Error(`'${src}' parsed`);
}

describe('limits: refuse rather than guess', () => {
  it('refuses control characters that make words look like others, but not tab and newline', async () => {
    expect(await parseError('echo a\u0001b')).toBe('the command contains a control character (code 1)');
    expect(await parseError('echo a\u001fb')).toBe('the command contains a control character (code 31)');
    expect(await parseError('echo a\u007fb')).toBe('the command contains a control character (code 127)');
    expect(await parseError('echo a\u0000b')).toBe('the command contains a control character (code 0)');
    expect(await parseError('echo a\rb')).toBe('the command contains a control character (code 13)');
    expect(texts(await analyze('echo a\tb\nls'))).toEqual(['echo a b', 'ls']);
  });
  it('refuses a command longer than the limit and takes one at it', async () => {
    expect(await parseError(`echo ${'a'.repeat(LIMITS.maxLength)}`)).toBe(`the command is too long to check (${LIMITS.maxLength + 5} characters)`);
    const exact = `: ${'a'.repeat(LIMITS.maxLength - 2)}`;
    expect((await analyze(exact)).commands).toHaveLength(1);
  });
  it('refuses too many pipes and lists, counting | and & alike', async () => {
    const n = LIMITS.maxOperators;
    expect(await parseError(Array.from({ length: n + 2 }, () => 'a').join(' |'))).toBe(`the command has too many pipes and lists to check (${n + 1})`);
    expect((await analyze(Array.from({ length: n + 1 }, () => 'a').join(' |'))).commands).toHaveLength(n + 1);
    expect(await parseError(`${'a & '.repeat(n + 1)}b`)).toBe(`the command has too many pipes and lists to check (${n + 1})`);
    expect((await analyze(`${'a & '.repeat(n)}b`)).commands).toHaveLength(n + 1);
  });
  it('refuses nesting deeper than the limit, counting ( and { alike', async () => {
    const m = LIMITS.maxNesting;
    expect(await parseError(`${'('.repeat(m + 1)}a${')'.repeat(m + 1)}`)).toBe(`the command is nested too deeply to check (${m + 1} levels)`);
    expect(await parseError(`${'{ '.repeat(m + 1)}a;${' }'.repeat(m + 1)}`)).toBe(`the command is nested too deeply to check (${m + 1} levels)`);
    // Exactly at the limit is still checked.
    expect(texts(await analyze(`${'{ '.repeat(m)}a;${' }'.repeat(m)}`))).toEqual(['a']);
    // Closing brackets bring the depth back down: many shallow groups are fine.
    expect((await analyze(Array.from({ length: m + 5 }, () => '(a)').join('; '))).commands).toHaveLength(m + 5);
    expect((await analyze(Array.from({ length: m + 5 }, () => '{ a; }').join('; '))).commands).toHaveLength(m + 5);
  });
  it('reports bad syntax as a parse error', async () => {
    expect(await parseError('echo "unterminated')).toMatch(/./);
    expect(await parseError('echo $(')).not.toContain('command:');
  });
});

describe('every command is reported', () => {
  it('across lists, pipes, substitutions, subshells, loops and functions', async () => {
    const a = await analyze('a && b || c; d | e\nf $(g `h`) <(i) >(j); (k); { l; }; for x in y; do m; done; f() { n; }; if o; then p; fi; while q; do r; done');
    expect(texts(a).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f $(g `h`) <(i) >(j)', 'g `h`', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r'].sort());
  });
  it('normalizes the text: literal words unquoted, quoted again only where needed', async () => {
    const a = await analyze(`"git"   'status' --short "a b" '' x\\ y "it's"`);
    expect(a.commands[0]!.text).toBe(`git status --short 'a b' '' 'x y' 'it'\\''s'`);
    expect(a.commands[0]!.words.map((w) => w.value)).toEqual(['git', 'status', '--short', 'a b', '', 'x y', "it's"]);
  });
  it('keeps leading assignments in the text and marks which values are plain', async () => {
    const c = (await analyze(`A=1 B='x y' C=$(d) D=~/x E=$x rm f`)).commands[0]!;
    expect(c.assigns).toEqual(['A=1', "B='x y'", 'C=$(d)', 'D=~/x', 'E=$x']);
    expect(c.assignments).toEqual([
      { name: 'A', clean: true },
      { name: 'B', clean: true },
      { name: 'C', clean: false },
      { name: 'D', clean: false },
      { name: 'E', clean: false },
    ]);
    expect(c.text).toBe(`A=1 B='x y' C=$(d) D=~/x E=$x rm f`);
    expect((await analyze('E[1]=2')).commands[0]!.assignments).toEqual([{ name: 'E', clean: false }]);
    expect(c.kind).toBe('call');
    const arr = (await analyze('a=(1 2) b=;')).commands[0]!;
    expect(arr).toMatchObject({ kind: 'assign', words: [], text: 'a=(1 2) b=', assignments: [{ name: 'a', clean: false }, { name: 'b', clean: true }] });
    expect((await analyze("x='a;b'")).commands[0]!.assignments).toEqual([{ name: 'x', clean: false }]);
  });
  it('gives each construct its kind', async () => {
    const a = await analyze('[[ a == b ]]; (( 1 + 2 )); let x=1; declare -r y=1; z=1; echo');
    expect(a.commands.map((c) => [c.text, c.kind])).toEqual([
      ['[[ a == b ]]', 'test'],
      ['(( 1 + 2 ))', 'arith'],
      ['let x=1', 'arith'],
      ['declare -r y=1', 'decl'],
      ['z=1', 'assign'],
      ['echo', 'call'],
    ]);
    expect(byText(a, 'declare -r y=1').words.map((w) => [w.raw, w.value])).toEqual([['declare', 'declare'], ['-r', undefined], ['y=1', undefined]]);
  });
  it('reports what a wrapper runs as a derived command', async () => {
    const a = await analyze('sudo rm x');
    expect(a.commands).toEqual([
      expect.objectContaining({ text: 'sudo rm x', kind: 'call' }),
      { assigns: [], words: [{ raw: 'rm', value: 'rm' }, { raw: 'x', value: 'x' }], text: 'rm x', kind: 'call', derived: true },
    ]);
    expect(a.commands[0]!.derived).toBeUndefined();
    expect(byText(await analyze("sudo rm 'a b' $X"), "rm 'a b' $X").derived).toBe(true);
  });
  it('follows scripts given to a shell, marking their commands and redirects derived', async () => {
    const a = await analyze(`bash -c 'rm x > out; cd /; shopt -s dotglob'`);
    expect(byText(a, 'rm x')).toMatchObject({ derived: true });
    expect(a.redirects).toEqual([{ op: '>', kind: 'write', target: { raw: 'out', value: 'out' }, derived: true }]);
    expect(a.changesDirectory).toBe(true);
    expect(a.globOptions).toBe(true);
    expect((await analyze(`bash -c 'ls'`)).changesDirectory).toBe(false);
    expect((await analyze(`bash -c 'ls'`)).globOptions).toBe(false);
  });
  it('carries taint out of a nested script', async () => {
    expect(await opaque(`bash -c 'read x'; (( a[$x] ))`)).toEqual([['(( a[$x] ))', "bash evaluates the expression 'a[$x]' as arithmetic, which can run commands hidden in a subscript, so it could run any command"]]);
    expect(await opaque(`bash -c 'ls'; (( a[$x] ))`)).toEqual([]);
  });
  it('follows nested scripts only so deep', async () => {
    const deep = (n: number): string => (n === 0 ? 'rm x' : `eval ${quoteWord(deep(n - 1))}`);
    const ok = await analyze(deep(LIMITS.maxScriptDepth));
    expect(byText(ok, 'rm x').derived).toBe(true);
    expect(ok.commands.filter((c) => c.opaque !== undefined)).toEqual([]);
    const tooDeep = await analyze(deep(LIMITS.maxScriptDepth + 1));
    expect(tooDeep.commands.find((c) => c.text === 'rm x')).toBeUndefined();
    expect(tooDeep.commands.filter((c) => c.opaque !== undefined).map((c) => c.opaque)).toEqual(['it runs scripts nested too deeply to follow, so it could run any command']);
  });
  it('a script that cannot be parsed makes its shell opaque', async () => {
    expect(await opaque(`bash -c 'echo "unterminated'`)).toEqual([[`bash -c 'echo "unterminated'`, 'it runs a script that cannot be parsed (unparseable shell syntax), so it could run any command']]);
  });
});

describe('a command named by an expansion, or run from standard input', () => {
  it('a non-literal command name is opaque', async () => {
    expect(await opaque('"$cmd" arg')).toEqual([['"$cmd" arg', 'its command name is not a literal word ("$cmd"), so it could be any command']]);
    expect(await opaque('ls')).toEqual([]);
  });
  it('eval of non-literal text is opaque', async () => {
    expect(await opaque('eval "$(cat x)"')).toEqual([['eval "$(cat x)"', 'eval runs text that is not literal, so it could run any command']]);
  });
  it('a shell reading a here-string runs it', async () => {
    const a = await analyze(`bash <<< 'rm -rf x'`);
    expect(byText(a, 'rm -rf x').derived).toBe(true);
    expect(byText(a, 'bash').opaque).toBeUndefined();
  });
  it('a shell reading a quoted here-document runs its text as written', async () => {
    const a = await analyze(`bash <<'E'\nrm $y\nE\n`);
    expect(byText(a, 'rm $y').derived).toBe(true);
    expect(byText(a, 'bash').opaque).toBeUndefined();
  });
  it('a shell reading a literal here-document runs it', async () => {
    const a = await analyze(`bash <<-E\n\trm y\n\tE\n`);
    expect(byText(a, 'rm y').derived).toBe(true);
  });
  it('a shell reading an expanding here-document is opaque', async () => {
    expect(await opaque(`bash <<E\nrm $y\nE\n`)).toEqual([['bash', 'the shell reads its script from standard input, so it could run any command']]);
  });
  it('a shell reading a non-literal here-string is opaque', async () => {
    expect(await opaque(`bash <<< "$s"`)).toEqual([['bash', 'the shell reads its script from standard input, so it could run any command']]);
  });
  it('a shell reading a file names it as a script file', async () => {
    const a = await analyze('bash < script.sh');
    expect(a.commands[0]!.scriptFiles).toEqual([{ raw: 'script.sh', value: 'script.sh' }]);
    expect(a.commands[0]!.opaque).toBeUndefined();
  });
  it('a shell at the end of a pipe is opaque', async () => {
    expect(await opaque('cat x | bash')).toEqual([['bash', 'the shell reads its script from standard input, so it could run any command']]);
    expect(await opaque('cat x | bash > out')).toEqual([['bash', 'the shell reads its script from standard input, so it could run any command']]);
  });
  it('a sourced file is a script file', async () => {
    expect((await analyze('source ./s.sh')).commands[0]!.scriptFiles).toEqual([{ raw: './s.sh', value: './s.sh' }]);
  });
});

describe('redirects', () => {
  it('each operator has its kind', async () => {
    const a = await analyze('ls > f 2>&1 < in >> app <> rw &> all &>> all2 >| clob');
    expect(a.redirects.map((r) => [r.op, r.kind, r.target.value])).toEqual([
      ['>', 'write', 'f'],
      ['>&', 'dup', '1'],
      ['<', 'read', 'in'],
      ['>>', 'write', 'app'],
      ['<>', 'write', 'rw'],
      ['&>', 'write', 'all'],
      ['&>>', 'write', 'all2'],
      ['>|', 'write', 'clob'],
    ]);
    const h = await analyze(`cat <<< x; cat <<E\ny\nE\ncat <<-F\n\tz\n\tF\n`);
    expect(h.redirects.map((r) => [r.op, r.kind])).toEqual([
      ['<<<', 'heredoc'],
      ['<<', 'heredoc'],
      ['<<-', 'heredoc'],
    ]);
  });
  it('>&file writes a file and <&file reads one; only a number or - is a descriptor', async () => {
    expect((await analyze('echo >&out.txt')).redirects).toEqual([{ op: '>&', kind: 'write', target: { raw: 'out.txt', value: 'out.txt' } }]);
    expect((await analyze('cat <&in.txt')).redirects).toEqual([{ op: '<&', kind: 'read', target: { raw: 'in.txt', value: 'in.txt' } }]);
    expect((await analyze('echo >&2 <&-')).redirects.map((r) => r.kind)).toEqual(['dup', 'dup']);
    expect((await analyze('echo >&12')).redirects.map((r) => r.kind)).toEqual(['dup']);
    expect((await analyze('echo >&1x')).redirects.map((r) => r.kind)).toEqual(['write']);
    expect((await analyze('echo >&x1')).redirects.map((r) => r.kind)).toEqual(['write']);
    expect((await analyze('echo >&--')).redirects.map((r) => r.kind)).toEqual(['write']);
    expect((await analyze('echo >&$fd')).redirects.map((r) => r.kind)).toEqual(['write']);
  });
  it('a redirect target that runs a command is checked as one', async () => {
    const a = await analyze('echo x > "$(rm y)"');
    expect(texts(a)).toContain('rm y');
    expect(a.redirects[0]!.target.value).toBeUndefined();
  });
  it('an expanding here-document body is checked; a quoted one is text', async () => {
    expect(texts(await analyze('cat <<E\n$(rm x)\nE\n'))).toContain('rm x');
    const quoted = await analyze(`cat <<'E'\n$(rm x) \${y}\nE\n`);
    expect(texts(quoted)).toEqual(['cat']);
    expect(quoted.commands[0]!.opaque).toBeUndefined();
    expect(texts(await analyze(`cat <<"E"\n$(rm x)\nE\n`))).toEqual(['cat']);
  });
});

describe('directories and globbing options', () => {
  it('cd, pushd and popd change the directory; the literal targets are listed', async () => {
    const a = await analyze('cd -L dir && pushd x && popd && cd $v && cd -- y');
    expect(a.changesDirectory).toBe(true);
    expect(a.cdTargets).toEqual(['dir', 'x', 'y']);
    expect((await analyze('ls cd')).changesDirectory).toBe(false);
    expect((await analyze('popd')).changesDirectory).toBe(true);
  });
  it('$PWD is only known while the directory has not changed', async () => {
    expect((await analyze('cat $PWD/x')).commands[0]!.words[1]!.patterns).toEqual(['/c/x']);
    expect((await analyze('cd a; cat $PWD/x')).commands[1]!.words[1]!.patterns).toBeUndefined();
    expect((await analyze('cat ~/x $HOME/y')).commands[0]!.words.slice(1).map((w) => w.patterns)).toEqual([['/h/x'], ['/h/y']]);
  });
  it('any globbing option named anywhere is reported', async () => {
    for (const opt of ['dotglob', 'nocaseglob', 'globstar', 'extglob', 'nullglob', 'failglob', 'GLOBIGNORE=x']) {
      expect((await analyze(`shopt -s ${opt}; cat *`)).globOptions).toBe(true);
    }
    expect((await analyze('shopt -s histappend; cat *')).globOptions).toBe(false);
  });
});

describe('arithmetic and variable names bash evaluates', () => {
  const SUBSCRIPT = 'which can run commands hidden in a subscript, so it could run any command';
  it('(( )) with a name is fine until a value comes from data', async () => {
    expect(await opaque('(( a[$x] ))')).toEqual([]);
    expect(await opaque('read x; (( a[$x] ))')).toEqual([['(( a[$x] ))', `bash evaluates the expression 'a[$x]' as arithmetic, ${SUBSCRIPT}`]]);
    expect(await opaque('(( a["$(id)"] ))')).toEqual([['(( a["$(id)"] ))', `bash evaluates the expression 'a[$(id)]' as arithmetic, ${SUBSCRIPT}`]]);
  });
  for (const [what, src] of [
    ['mapfile', 'mapfile arr'],
    ['readarray', 'readarray arr'],
    ['getopts', 'getopts ab opt'],
    ['set', 'set -- a b'],
    ['shift', 'shift'],
    ['source', 'source f'],
    ['.', '. f'],
    ['select', 'select x in a b; do :; done'],
    ['printf -v', 'printf -v x %s y'],
    ['wait -n', 'wait -n'],
    ['declare -n', 'declare -n r=x'],
    ['a word list from data', 'for x in $(cat f); do :; done'],
    ['an assignment of a substitution', 'x=$(cat f)'],
    ['an assignment of an array', 'x=(a b)'],
    ['cd to a variable', 'cd $d'],
    ['cd to a path with a quote', `cd "a'b"`],
  ] as const) {
    it(`${what} makes values data`, async () => {
      expect(await opaque(`${src}; (( a[$x] ))`)).toEqual([['(( a[$x] ))', `bash evaluates the expression 'a[$x]' as arithmetic, ${SUBSCRIPT}`]]);
    });
  }
  for (const [what, src] of [
    ['printf without -v', 'printf %s y'],
    ['wait without -n or -p', 'wait 1'],
    ['declare without -n', 'declare -r y=1'],
    ['local -i', 'f() { local -i y; }'],
    ['typeset -x', 'typeset -x y=1'],
    ['a word list of literals', 'for x in a b; do :; done'],
    ['a plain assignment', 'x=a/b.c'],
    ['a plain cd', 'cd a/b'],
    ['echo', 'echo x'],
  ] as const) {
    it(`${what} does not make values data`, async () => {
      expect(await opaque(`${src}; (( a[$x] ))`)).toEqual([]);
    });
  }
  it('every place bash evaluates arithmetic is graded', async () => {
    const code = '"$(id)"';
    expect((await opaque(`let "a[${code}]=1"`)).length).toBeGreaterThanOrEqual(1);
    expect((await opaque(`echo $(( a[${code}] ))`)).length).toBeGreaterThanOrEqual(1);
    expect((await opaque(`for (( i=a[${code}]; ; )); do :; done`)).length).toBeGreaterThanOrEqual(1);
    expect((await opaque(`for (( ; i<a[${code}]; )); do :; done`)).length).toBeGreaterThanOrEqual(1);
    expect((await opaque(`for (( ; ; i+=a[${code}] )); do :; done`)).length).toBeGreaterThanOrEqual(1);
    expect((await opaque(`[[ a[${code}] -eq 1 ]]`)).length).toBeGreaterThanOrEqual(1);
    expect((await opaque(`[[ 1 -lt a[${code}] ]]`)).length).toBeGreaterThanOrEqual(1);
    expect(await opaque(`[[ a[${code}] == 1 ]]`)).toEqual([]);
    expect((await opaque(`echo \${x:a[${code}]}`)).length).toBeGreaterThanOrEqual(1);
    expect((await opaque(`echo \${x:1:a[${code}]}`)).length).toBeGreaterThanOrEqual(1);
    expect((await opaque(`echo \${x[${code}]}`)).length).toBeGreaterThanOrEqual(1);
    expect(await opaque('echo ${x[@]} ${x[*]} ${x[1]}')).toEqual([]);
    expect((await opaque(`a[${code}]=1`)).length).toBeGreaterThanOrEqual(1);
    expect((await opaque(`arr=( [${code}]=1 )`)).length).toBeGreaterThanOrEqual(1);
  });
  it('names bash evaluates are graded', async () => {
    const name = "'a[$(id)]'";
    for (const src of [`printf -v ${name} x`, `printf -v${name} x`, `read ${name}`, `read -a ${name}`, `read -r -a ${name}`, `mapfile ${name}`, `readarray -t ${name}`, `wait -p ${name}`, `getopts ab ${name}`, `unset ${name}`, `unset -v ${name}`, `test -v ${name}`, `[ -R ${name} ]`, `[[ -v a[$(id)] ]]`, `declare ${name}`, `declare -n r=${name}`]) {
      expect((await opaque(src)).length, src).toBeGreaterThanOrEqual(1);
    }
    for (const src of [`printf ${name} x`, `read -d ${name} x`, `getopts ${name} x`, `unset -f`, `test -f ${name}`, `echo ${name}`, 'read -a arr', 'printf -v x y', 'declare -n r=x']) {
      expect(await opaque(src), src).toEqual([]);
    }
  });
  it('a name from a variable is unsafe when the command controls it, opaque when data may', async () => {
    expect(await unsafe('printf -v n x')).toEqual([]);
    expect(await opaque('printf -v "$n" x')).toEqual([['printf -v "$n" x', "bash evaluates the variable name given to printf -v '$n', which can run commands hidden in a subscript, so it could run any command"]]);
    expect(await unsafe('unset $n')).toEqual([['unset $n', "bash evaluates the variable name given to unset '$n', which can run commands hidden in a subscript"]]);
    expect(await opaque('unset $n')).toEqual([]);
    expect(await opaque('read n; unset $n')).toEqual([['unset $n', "bash evaluates the variable name given to unset '$n', which can run commands hidden in a subscript, so it could run any command"]]);
    expect(await unsafe('[[ -v $n ]]')).toEqual([['[[ -v $n ]]', "bash evaluates the variable name '$n', which can run commands hidden in a subscript"]]);
  });
  it('declare -i makes later assignments arithmetic', async () => {
    expect(await opaque('declare -i n')).toEqual([]);
    expect(await opaque('read x; declare -i n')).toEqual([['declare -i n', 'declare -i makes later assignments arithmetic, which can run commands hidden in a subscript, so it could run any command']]);
    expect(await opaque('declare -ir n=1; read x')).toEqual([['declare -ir n=1', 'declare -i makes later assignments arithmetic, which can run commands hidden in a subscript, so it could run any command']]);
  });
  it('${!x} and ${x@P} are unsafe, opaque with data', async () => {
    expect(await unsafe('echo ${!x}')).toEqual([['echo ${!x}', "'${!x}' uses the value of a variable as a name, which can run commands hidden in a subscript"]]);
    expect(await unsafe('echo ${!x*} ${!x[@]}')).toEqual([]);
    expect((await opaque('read x; echo ${!x}')).length).toBe(1);
    expect(await unsafe('echo ${x@P}')).toEqual([['echo ${x@P}', "'${x@P}' expands a variable like a prompt, which runs the commands in it"]]);
    expect(await unsafe('echo ${x@Q}')).toEqual([]);
    expect((await opaque('read x; echo ${x@P}')).length).toBe(1);
  });
  it('variables that change what runs make commands opaque', async () => {
    expect(await opaque('PATH=/tmp ls')).toEqual([['PATH=/tmp ls', 'it sets PATH, which changes what later commands run, so they could be any command']]);
    expect(await opaque('export LD_PRELOAD=/x.so; ls')).toEqual([['export LD_PRELOAD=/x.so', 'it sets LD_PRELOAD, which changes what later commands run, so they could be any command']]);
    expect(await opaque('for PATH in /tmp; do ls; done')).toEqual([['PATH in /tmp; do ls; done', 'the loop sets PATH, which changes what later commands run, so it could run any command']]);
    expect(await opaque('for x in /tmp; do ls; done; MYVAR=1 ls')).toEqual([]);
  });
});

describe('the safety net for expansions the parser did not report', () => {
  it('an expansion inside an extended glob is opaque', async () => {
    expect(await opaque('echo @(a|$(id))')).toEqual([['echo @(a|$(id))', "'$(id))' is an expansion the parser did not resolve, so it could run any command"]]);
  });
  it('an expansion in a comment becomes an opaque entry of its own', async () => {
    const a = await analyze('ls # $(rm x)');
    expect(a.commands.map((c) => [c.text, c.kind, c.opaque])).toEqual([
      ['ls', 'call', undefined],
      ['$(rm x)', 'construct', "'$(rm x)' is an expansion the parser did not resolve, so it could run any command"],
    ]);
    for (const trigger of ['${x}', '$[1]', '<(x)', '>(x)', '`x`']) expect((await opaque(`ls # ${trigger}`)).length, trigger).toBeGreaterThanOrEqual(1);
    for (const plain of ['$x', '<x', '>x', '$ (x)', '< (x)']) expect(await opaque(`ls # ${plain}`), plain).toEqual([]);
  });
  it('escaped and single-quoted text is not an expansion; an even run of backslashes is', async () => {
    expect(await opaque("echo '$(rm x)'")).toEqual([]);
    expect(await opaque('echo \\$x \\`y')).toEqual([]);
    expect((await opaque('ls # \\\\$(x)')).length).toBe(1);
    expect(await opaque('echo "<(x)" ">(y)"')).toEqual([]);
    expect(await opaque(`cat <<'E'\n$(rm x)\nE\n`)).toEqual([]);
  });
  it('expansions the parser reports are not flagged twice', async () => {
    expect(await opaque('echo $(ls) `ls` ${x} $((1)) <(ls) >(ls) "$(ls)"')).toEqual([]);
  });
  it('constructs without hazards are dropped; with one, kept', async () => {
    expect(texts(await analyze('for ((i=0; i<3; i++)); do :; done'))).toEqual([':']);
    expect((await analyze('ls # $x')).commands).toHaveLength(1);
  });
});

describe('quoteWord', () => {
  it('leaves safe words bare and quotes the rest', () => {
    expect(quoteWord('git')).toBe('git');
    expect(quoteWord('a-b_c.d,e:f/g@h%i+j=k^l')).toBe('a-b_c.d,e:f/g@h%i+j=k^l');
    expect(quoteWord('')).toBe("''");
    expect(quoteWord('a b')).toBe("'a b'");
    expect(quoteWord("it's")).toBe("'it'\\''s'");
    expect(quoteWord('a;b')).toBe("'a;b'");
    expect(quoteWord('x\ny')).toBe("'x\ny'");
  });
});

describe('builtins reached through a wrapper (s25-b)', () => {
  const SUBSCRIPT = "bash evaluates the expression 'a[$x]' as arithmetic, which can run commands hidden in a subscript, so it could run any command";
  for (const src of ['builtin declare -n r=x', 'builtin typeset -n r=x', 'builtin local -n r=x', 'builtin printf -v x y', 'builtin wait -p x', 'command read x']) {
    it(`${src} makes values data`, async () => {
      expect(await opaque(`${src}; (( a[$x] ))`)).toEqual([['(( a[$x] ))', SUBSCRIPT]]);
    });
  }
  for (const src of ['builtin declare -r x', 'builtin typeset -x y', 'builtin local y', 'builtin printf %s y', 'builtin wait 1']) {
    it(`${src} does not make values data`, async () => {
      expect(await opaque(`${src}; (( a[$x] ))`)).toEqual([]);
    });
  }
});

describe('what the analysis reports, exactly (s25-b)', () => {
  const rows = async (src: string) => (await analyze(src)).commands.map((c) => [c.text, c.kind, c.derived ?? null, c.opaque ?? null, c.unsafe ?? null]);
  it('long texts in reasons are cut to one short line', async () => {
    const b = 'b'.repeat(60);
    expect((await rows(`read x; (( a[$x] + ${b} ))`))[1]![3]).toBe(`bash evaluates the expression 'a[$x] + ${'b'.repeat(31)}…' as arithmetic, which can run commands hidden in a subscript, so it could run any command`);
    const x = 'x'.repeat(74);
    expect(await rows(`ls # $(rm ${x})`)).toEqual([
      ['ls', 'call', null, null, null],
      [`$(rm ${'x'.repeat(54)}…`, 'construct', null, `'$(rm ${'x'.repeat(25)}' is an expansion the parser did not resolve, so it could run any command`, null],
    ]);
  });
  it('names given to declare and name references', async () => {
    expect(await rows('declare "$v"')).toEqual([['declare "$v"', 'decl', null, null, "bash evaluates the name given to declare '$v', which can run commands hidden in a subscript"]]);
    expect(await rows("declare -a 'a[$(id)]'")).toEqual([["declare -a 'a[$(id)]'", 'decl', null, "bash evaluates the name given to declare 'a[$(id)]', which can run commands hidden in a subscript, so it could run any command", null]]);
    expect(await rows('declare +x y; declare -- y; local -n')).toEqual([
      ['declare +x y', 'decl', null, null, null],
      ['declare -- y', 'decl', null, null, null],
      ['local -n', 'decl', null, null, null],
    ]);
    expect((await rows('read x; declare -n r="$v"'))[1]).toEqual(['declare -n r="$v"', 'decl', null, "bash evaluates the target of the name reference set by declare -n '$v', which can run commands hidden in a subscript, so it could run any command", null]);
  });
  it('slices: an offset is arithmetic, and its substitution is a command', async () => {
    expect(await rows('echo ${x:$(id)}')).toEqual([
      ['echo ${x:$(id)}', 'call', null, "bash evaluates the offset '$(id)' as arithmetic, which can run commands hidden in a subscript, so it could run any command", null],
      ['id', 'call', null, null, null],
    ]);
    expect(await rows('echo ${x: -1}')).toEqual([['echo ${x: -1}', 'call', null, null, null]]);
  });
  it('${!x[1]} and "${!x}" use a value as a name', async () => {
    expect((await rows('echo ${!x[1]}'))[0]![4]).toBe("'${!x[1]}' uses the value of a variable as a name, which can run commands hidden in a subscript");
    expect((await rows('echo "${!x}"'))[0]![4]).toBe("'${!x}' uses the value of a variable as a name, which can run commands hidden in a subscript");
  });
  it('values that stay plain data: quoted words with spaces, escaped spaces, +=, an empty word list', async () => {
    for (const src of ['for x in "a b" c; do :; done', 'for x; do :; done', 'x=a\\ b', 'x+=1']) expect(await opaque(`${src}; (( a[$x] ))`), src).toEqual([]);
  });
  it('scripts run by trap and watch are derived commands', async () => {
    expect(await rows('trap "rm x" EXIT; ls')).toEqual([
      ["trap 'rm x' EXIT", 'call', null, null, null],
      ['ls', 'call', null, null, null],
      ['rm x', 'call', true, null, null],
    ]);
  });
});

describe('expansions in tests, arithmetic, comments and extended globs, exactly (s25-b)', () => {
  const rows = async (src: string) => (await analyze(src)).commands.map((c) => [c.text, c.kind, c.derived ?? null, c.opaque ?? null, c.unsafe ?? null]);
  const ANY = 'which can run commands hidden in a subscript, so it could run any command';
  it('a substitution compared as a number in [[ ]] or inside $(( ))', async () => {
    expect(await rows('[[ $(id) -eq 1 ]]')).toEqual([
      ['[[ $(id) -eq 1 ]]', 'test', null, `bash evaluates the operand '$(id)' as arithmetic, ${ANY}`, null],
      ['id', 'call', null, null, null],
    ]);
    expect(await rows('echo $((a[$(id)]))')).toEqual([
      ['echo $((a[$(id)]))', 'call', null, `bash evaluates the expression 'a[$(id)]' as arithmetic, ${ANY}`, null],
      ['id', 'call', null, null, null],
    ]);
  });
  it('a comment after (( )) or an assignment gets an entry of its own', async () => {
    expect(await rows('(( x )) # $(id)')).toEqual([
      ['(( x ))', 'arith', null, null, null],
      ['$(id)', 'construct', null, "'$(id)' is an expansion the parser did not resolve, so it could run any command", null],
    ]);
    expect(await rows('x=1 # ${y}')).toEqual([
      ['x=1', 'assign', null, null, null],
      ['${y}', 'construct', null, "'${y}' is an expansion the parser did not resolve, so it could run any command", null],
    ]);
  });
  it('a process substitution in an extended glob is opaque; in double quotes it is text', async () => {
    expect(await rows('echo @(a|<(id))')).toEqual([['echo @(a|<(id))', 'call', null, "'<(id))' is an expansion the parser did not resolve, so it could run any command", null]]);
    expect(await rows('echo "@(a|$(id))"')).toEqual([
      ['echo "@(a|$(id))"', 'call', null, null, null],
      ['id', 'call', null, null, null],
    ]);
  });
  it('a bare PATH assignment is opaque on its own', async () => {
    expect(await rows('PATH=/x')).toEqual([['PATH=/x', 'assign', null, 'it sets PATH, which changes what later commands run, so they could be any command', null]]);
  });
});

describe('nested scripts keep their hazards, redirects and known words (s25-b)', () => {
  it('a hazard inside bash -c is graded with data read outside it', async () => {
    const a = await analyze(`bash -c '(( a[$x] ))'; read y`);
    expect(byText(a, '(( a[$x] ))')).toMatchObject({ derived: true, opaque: "bash evaluates the expression 'a[$x]' as arithmetic, which can run commands hidden in a subscript, so it could run any command" });
    expect(byText(await analyze(`bash -c 'echo \${!x}'`), 'echo ${!x}')).toMatchObject({ derived: true, unsafe: "'${!x}' uses the value of a variable as a name, which can run commands hidden in a subscript" });
  });
  it('$PWD is known inside a nested script until a cd, and a cd there makes the directory unknown', async () => {
    expect(byText(await analyze(`bash -c 'cat $PWD/x'`), 'cat $PWD/x').words[1]!.patterns).toEqual(['/c/x']);
    const a = await analyze(`bash -c 'cd a'; cat $PWD/x`);
    expect(a.changesDirectory).toBe(true);
    expect(byText(a, 'cat $PWD/x').words[1]!.patterns).toBeUndefined();
  });
  it('a redirect in an eval script is derived, its target kept as written', async () => {
    expect((await analyze(`eval 'echo > $f'`)).redirects).toEqual([{ op: '>', kind: 'write', target: { raw: '$f' }, derived: true }]);
  });
  it('~ and $HOME with braces expand to every pattern', async () => {
    expect((await analyze('cat ~/a $HOME/{b,c}')).commands[0]!.words.map((w) => w.patterns ?? null)).toEqual([null, ['/h/a'], ['/h/b', '/h/c']]);
  });
});

/**
 * The survivors of the s26 plan run (docs/mutation.md, "src/permissions/shell.ts survivors of the
 * plan run (s26)"): each case is a behaviour no test pinned before; the doc names the mutants.
 */
describe('survivors of the plan run (s26)', () => {
  const rows = async (src: string) => (await analyze(src)).commands.map((c) => [c.text, c.kind, c.derived ?? null, c.opaque ?? null, c.unsafe ?? null]);
  const ANY = 'which can run commands hidden in a subscript, so it could run any command';
  const HIDDEN = 'which can run commands hidden in a subscript';

  it('a parser or walk that runs out of stack is refused as too deep, not a crash', async () => {
    // The parser recurses once per `!`; the walk once per `+` (the parser does not).
    expect(await parseError(`(( ${'!'.repeat(20000)}1 ))`)).toBe('the command is nested too deeply to check');
    expect(await parseError(`x=$(( ${'1+'.repeat(10000)}1 ))`)).toBe('the command is nested too deeply to check');
    expect(await parseError('echo $(')).toBe('unparseable shell syntax');
  });

  it('each kind of entry carries no words or assignments of its own, and a plain call no script files', async () => {
    const a = await analyze('[[ -n x ]]; (( 1 )); let 1; declare y; ls');
    expect(a.commands).toEqual([
      { assigns: [], words: [], text: '[[ -n x ]]', kind: 'test' },
      { assigns: [], words: [], text: '(( 1 ))', kind: 'arith' },
      { assigns: [], words: [], text: 'let 1', kind: 'arith' },
      { assigns: [], words: [{ raw: 'declare', value: 'declare' }, { raw: 'y' }], text: 'declare y', kind: 'decl' },
      { assigns: [], assignments: [], words: [{ raw: 'ls', value: 'ls' }], text: 'ls', kind: 'call' },
    ]);
    expect((await analyze('ls # $(id)')).commands[1]).toEqual({ assigns: [], words: [], text: '$(id)', kind: 'construct', opaque: "'$(id)' is an expansion the parser did not resolve, so it could run any command" });
  });

  it('a hazard outside any command that is only unsafe keeps its own entry', async () => {
    expect(await rows('case ${!y} in a) ;; esac')).toEqual([['${!y} in a) ;; esac', 'construct', null, null, `'\${!y}' uses the value of a variable as a name, ${HIDDEN}`]]);
  });

  it('a hazard belongs to the innermost command around it, not to a smaller one before it', async () => {
    expect(await rows('echo $(echo ${!x})')).toEqual([
      ['echo $(echo ${!x})', 'call', null, null, null],
      ['echo ${!x}', 'call', null, null, `'\${!x}' uses the value of a variable as a name, ${HIDDEN}`],
    ]);
    expect(await rows('echo $(ls ${!x}) "$(echo ${!y})"')).toEqual([
      ['echo $(ls ${!x}) "$(echo ${!y})"', 'call', null, null, null],
      ['ls ${!x}', 'call', null, null, `'\${!x}' uses the value of a variable as a name, ${HIDDEN}`],
      ['echo ${!y}', 'call', null, null, `'\${!y}' uses the value of a variable as a name, ${HIDDEN}`],
    ]);
    expect(await rows('ls; echo ${!x}')).toEqual([
      ['ls', 'call', null, null, null],
      ['echo ${!x}', 'call', null, null, `'\${!x}' uses the value of a variable as a name, ${HIDDEN}`],
    ]);
  });

  it('reasons are cut and folded exactly', async () => {
    // Runs of blanks fold to one space; a text of exactly 40 characters is kept whole.
    expect((await rows('read y; (( a[$x]  +   1 ))'))[1]![3]).toBe(`bash evaluates the expression 'a[$x] + 1' as arithmetic, ${ANY}`);
    const forty = `a[$x]+${'b'.repeat(34)}`;
    expect((await rows(`read y; (( ${forty} ))`))[1]![3]).toBe(`bash evaluates the expression '${forty}' as arithmetic, ${ANY}`);
    // The entry for an expansion in a comment ends where the text does, blanks trimmed.
    expect((await rows('ls # $(id)   '))[1]![0]).toBe('$(id)');
  });

  it('literal arithmetic and literal names are never a hazard, with or without data', async () => {
    for (const src of ['(( 1 + 2 ))', 'let "1 + 1"', 'echo $(( "1" + 1 ))', 'echo ${x:"1"}', 'echo ${x["1"]}', '[[ -v x ]]', 'test -v x', 'read x', 'unset x', 'printf -vx y', 'wait -px', 'printf -v x y']) {
      expect(await rows(`read y; ${src}`), src).toEqual([['read y', 'call', null, null, null], ...(await rows(src)).map((r) => [r[0], r[1], null, null, null])]);
    }
  });

  it('the reason names where bash evaluates the text', async () => {
    const reason = async (src: string) => (await analyze(`read y; ${src}`)).commands.find((c) => c.opaque)?.opaque;
    expect(await reason('let "a[$y]"')).toBe(`bash evaluates the expression 'a[$y]' as arithmetic, ${ANY}`);
    expect(await reason('a[$y]=1')).toBe(`bash evaluates the array subscript '$y' as arithmetic, ${ANY}`);
    expect(await reason('x=( [$y]=1 )')).toBe(`bash evaluates the array subscript '$y' as arithmetic, ${ANY}`);
    expect(await reason('echo ${x[$y]}')).toBe(`bash evaluates the subscript '$y' as arithmetic, ${ANY}`);
    expect(await reason('for (( i=$y; ; )); do :; done')).toBe(`bash evaluates the loop expression 'i=$y' as arithmetic, ${ANY}`);
    expect(await reason('for (( ; ; i+=$y )); do :; done')).toBe(`bash evaluates the loop expression 'i+=$y' as arithmetic, ${ANY}`);
    expect(await reason('mapfile "$n"')).toBe(`bash evaluates the variable name given to mapfile '$n', ${ANY}`);
    expect(await reason('getopts ab "$n"')).toBe(`bash evaluates the variable name given to getopts '$n', ${ANY}`);
    expect(await reason('unset "$n"')).toBe(`bash evaluates the variable name given to unset '$n', ${ANY}`);
    expect(await reason('test -R "$n"')).toBe(`bash evaluates the variable name tested with -R '$n', ${ANY}`);
    expect(await reason('for PATH in /bin; do ls; done')).toBe('the loop sets PATH, which changes what later commands run, so it could run any command');
    expect(await reason('f() { local -i n; }')).toBe('local -i makes later assignments arithmetic, which can run commands hidden in a subscript, so it could run any command');
    expect(await unsafe('typeset "$v"')).toEqual([['typeset "$v"', `bash evaluates the name given to typeset '$v', ${HIDDEN}`]]);
  });

  it('options of read, mapfile, printf, wait and unset: values, names and operands', async () => {
    // -u takes a value: the descriptor is not a variable name.
    for (const src of ['mapfile -u "$fd" arr', 'readarray -u "$fd" arr']) expect(await opaque(src), src).toEqual([]);
    // A non-literal operand, every operand, and operands after the first: all are names (read makes values data, so opaque).
    expect(await opaque('read "$n"')).toEqual([['read "$n"', `bash evaluates the variable name given to read '$n', ${ANY}`]]);
    expect(await opaque('read a "$b"')).toEqual([['read a "$b"', `bash evaluates the variable name given to read '$b', ${ANY}`]]);
    // A lone - is an operand, so what follows it is too (bash would reject -a as a name).
    expect(await opaque('read - -a "$b"')).toEqual([['read - -a "$b"', `bash evaluates the variable name given to read '-a', ${ANY}`]]);
    // unset's options are not names; test -v at the very end names nothing.
    expect(await rows('unset -v -f')).toEqual([['unset -v -f', 'call', null, null, null]]);
    expect(await rows('test -v')).toEqual([['test -v', 'call', null, null, null]]);
    // Only test and [ evaluate the word after -v.
    expect(await unsafe('grep -v "$n" f')).toEqual([]);
  });

  it('which builtins make values data, option by option', async () => {
    const tainted = async (src: string) => (await opaque(`${src}; (( a[$x] ))`)).length === 1;
    expect(await tainted('printf %s-v y')).toBe(false);
    expect(await tainted('wait -fn')).toBe(true);
    expect(await tainted('builtin declare -xn r=x')).toBe(true);
    for (const src of ['pushd $d', 'popd "$d"', 'cd a "$d"']) expect(await tainted(src), src).toBe(true);
    expect(await tainted('pushd a/b')).toBe(false);
  });

  it('a command run by a wrapper is named by its words unquoted', async () => {
    expect(await rows('sudo "rm" \'-f\' x')).toEqual([
      ['sudo rm -f x', 'call', null, null, null],
      ['rm -f x', 'call', true, null, null],
    ]);
  });

  it('names given to declare: a dash inside a name is no option', async () => {
    expect(await opaque(`declare 'a[$(id)]-'`)).toEqual([[`declare 'a[$(id)]-'`, `bash evaluates the name given to declare 'a[$(id)]-', ${ANY}`]]);
  });

  it('${!x[*]} lists keys; ${x:-P} is no prompt expansion', async () => {
    expect(await rows('echo ${!x[*]} ${x:-P} ${x/a/P}')).toEqual([['echo ${!x[*]} ${x:-P} ${x/a/P}', 'call', null, null, null]]);
  });

  it('an option value attached or separate: the name given to read -a is graded under -a', async () => {
    expect(await opaque('read -a "$n"')).toEqual([['read -a "$n"', `bash evaluates the variable name given to read -a '$n', ${ANY}`]]);
  });

  it('the safety net: a quoted string elsewhere does not hide an expansion; with data it is opaque too', async () => {
    expect(await opaque(`echo 'a' @(x|$(id))`)).toEqual([[`echo a @(x|$(id))`, "'$(id))' is an expansion the parser did not resolve, so it could run any command"]]);
    expect(await opaque(`read y; echo @(x|$(id))`)).toEqual([[`echo @(x|$(id))`, "'$(id))' is an expansion the parser did not resolve, so it could run any command"]]);
  });

  it('a word with no known patterns has no patterns key at all', async () => {
    expect((await analyze('echo $x')).commands[0]!.words).toStrictEqual([{ raw: 'echo', value: 'echo' }, { raw: '$x' }]);
  });

  it('globbing options named in parts, by an expansion, or in a nested script are found (a bug, s26)', async () => {
    for (const src of [`shopt -s dot""glob`, 'shopt -s dot\\glob', 'shopt -s "$o"', `builtin shopt -s no'case'glob`, `declare GLOB''IGNORE=x`, 'declare "$v"', `GLOB""IGNORE=x ls`, `bash -c 'shopt -s dot'glob`, 'bash <<E\nshopt -s dot""glob\nE\n']) {
      expect((await analyze(src)).globOptions, src).toBe(true);
    }
    for (const src of ['shopt -s autocd', 'shopt -q', 'declare -r y=1', 'x="$y" ls', 'echo "$o"']) expect((await analyze(src)).globOptions, src).toBe(false);
  });
});
