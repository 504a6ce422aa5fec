/**
 * What a command reads and writes, as fileAccess reads it off the words — pinned program by
 * program. A word missed here is a file a deny rule (`Read(./.env)`, `Edit(.git/**)`) or a
 * protected path does not see: each table row states which words must count as a read or a
 * write, and which must not (an option's value that is not a file).
 */
import { describe, expect, it } from 'vitest';
import { fileAccess } from '../../src/permissions/file-access.js';
import type { ShellWord, SubCommand } from '../../src/permissions/shell.js';

const lit = (t: string): ShellWord => ({ raw: t, value: t });

function call(...words: Array<string | ShellWord>): SubCommand {
  const ws = words.map((x) => (typeof x === 'string' ? lit(x) : x));
  return { kind: 'call', assigns: [], words: ws, text: ws.map((x) => x.raw).join(' ') };
}

const texts = (ws: ShellWord[]) => ws.map((x) => x.value ?? x.raw);

function access(...words: Array<string | ShellWord>) {
  const a = fileAccess(call(...words));
  return { reads: texts(a.reads), writes: texts(a.writes), recursiveReads: texts(a.recursiveReads), recursiveWrites: texts(a.recursiveWrites), repoWide: a.repoWide === true };
}

describe('programs whose operands are files they read', () => {
  // Every reader not also in the read-only table (whose operands count as reads anyway).
  const readers = [
    'cp', 'mv', 'ln', 'install', 'rsync', 'scp', 'less', 'more', 'most', 'bat', 'batcat', 'view', 'vi', 'vim', 'nvim', 'nano', 'emacs', 'source', '.', 'base64', 'basenc', 'base32',
    'xxd', 'od', 'hexdump', 'strings', 'tar', 'zip', 'gzip', 'gunzip', 'zcat', 'bzip2', 'bzcat', 'xz', 'xzcat', 'lzma', 'zstd', 'zstdcat', 'sed', 'awk', 'gawk', 'mawk', 'nawk',
    'sort', 'uniq', 'tee', 'paste', 'comm', 'join', 'fold', 'fmt', 'pr', 'rev', 'tac', 'expand', 'unexpand', 'column', 'iconv', 'look', 'split', 'csplit', 'sha1sum', 'sha224sum',
    'sha256sum', 'sha384sum', 'sha512sum', 'md5sum', 'cksum', 'b2sum', 'sum', 'python', 'python2', 'python3', 'node', 'nodejs', 'deno', 'bun', 'perl', 'ruby', 'php', 'lua',
    'bash', 'sh', 'zsh', 'dash', 'ksh', 'yq', 'xmllint', 'openssl', 'gpg', 'curl', 'wget', 'nc', 'ncat', 'socat', 'dd', 'truncate', 'diff3', 'sdiff', 'vimdiff',
    'tr', 'envsubst', 'm4', 'cpp', 'gcc', 'cc', 'clang', 'make', 'xargs', 'mail', 'mutt', 'sendmail', 'aws', 'gsutil', 'gcloud', 'sftp', 'ssh-add', 'ssh-keygen',
  ];
  it.each(readers)('%s: its operands are read', (name) => {
    // Two operands: sed's and awk's first one is the program text.
    expect(access(name, 'one.txt', '.env').reads).toContain('.env');
    // Called by a path, the program is known by its base name.
    expect(access(`/usr/bin/${name}`, 'one.txt', '.env').reads).toContain('.env');
  });

  it('a program bcode knows nothing about reads nothing (the tables decide)', () => {
    expect(access('frobnicate', 'one.txt', '.env')).toEqual({ reads: [], writes: [], recursiveReads: [], recursiveWrites: [], repoWide: false });
  });

  it('the read-only programs read their operands, but the ones that take no paths do not', () => {
    expect(access('cat', '.env').reads).toEqual(['.env']);
    expect(access('head', '-n', '3', '.env').reads).toEqual(['.env']);
    for (const name of ['echo', 'printf', 'basename', 'dirname', 'date']) expect(access(name, '.env').reads).toEqual([]);
  });

  it('a program without an options table: an attached option value may be a file', () => {
    expect(access('less', '-T.env', 'x').reads).toEqual(['x', '.env']);
    // Long options and bare letters are not attached values.
    expect(access('less', '--tag=.env', 'x').reads).toEqual(['x', '.env']);
    expect(access('less', '-S', 'x').reads).toEqual(['x']);
    expect(access('less', '--T.env', 'x').reads).toEqual(['x']);
  });

  it('a non-literal word keeps being non-literal in its attached part', () => {
    const a = fileAccess(call('less', { raw: '-T$HOME/.env' }));
    expect(a.reads).toEqual([{ raw: '$HOME/.env' }]);
    const b = fileAccess(call('less', '-T.env'));
    expect(b.reads).toEqual([{ raw: '.env', value: '.env' }]);
    // A whole word is passed on as itself (the same object, patterns included).
    const word: ShellWord = { raw: '"$X"', patterns: ['/a'] };
    expect(fileAccess(call('cat', word)).reads[0]).toBe(word);
  });

  it('not a call, or no literal program name: nothing is known', () => {
    expect(fileAccess({ kind: 'test', assigns: [], words: [lit('cat'), lit('.env')], text: 'cat .env' }).reads).toEqual([]);
    expect(fileAccess({ kind: 'call', assigns: [], words: [{ raw: '$P' }, lit('.env')], text: '$P .env' }).reads).toEqual([]);
    expect(fileAccess({ kind: 'call', assigns: [], words: [], text: '' }).reads).toEqual([]);
  });
});

describe('programs whose operands are files they change', () => {
  it.each(['rm', 'rmdir', 'unlink', 'shred', 'truncate', 'touch', 'mkdir', 'mkfifo', 'mknod', 'tee', 'ln', 'mv'])('%s writes its operands', (name) => {
    expect(access(name, 'a', '.git/config').writes).toContain('.git/config');
  });

  it.each(['chmod', 'chown', 'chgrp'])('%s writes the operands after the mode or owner', (name) => {
    expect(access(name, '755', '.git/hooks/pre-commit').writes).toEqual(['.git/hooks/pre-commit']);
    // With --reference the first operand is a file too.
    expect(access(name, '--reference=x', '.envrc').writes).toEqual(['.envrc']);
    expect(access(name, '--reference', 'x', '.envrc').writes).toEqual(['.envrc']);
  });

  it('rm -r, and chmod / chown / chgrp -R, change everything below', () => {
    expect(access('rm', '-r', 'dir').recursiveWrites).toEqual(['dir']);
    expect(access('rm', '-R', 'dir').recursiveWrites).toEqual(['dir']);
    expect(access('rm', '--recursive', 'dir').recursiveWrites).toEqual(['dir']);
    expect(access('rm', 'dir').recursiveWrites).toEqual([]);
    for (const name of ['chmod', 'chown', 'chgrp']) {
      expect(access(name, '-R', 'u+x', 'dir').recursiveWrites).toEqual(['dir']);
      expect(access(name, '--recursive', 'u+x', 'dir').recursiveWrites).toEqual(['dir']);
      expect(access(name, 'u+x', 'dir').recursiveWrites).toEqual([]);
    }
    expect(access('chmod', '-R', '--reference=r', 'dir').recursiveWrites).toEqual(['dir']);
    // -r is not recursive for chmod (it is a mode letter).
    expect(access('chmod', '-r', 'dir').recursiveWrites).toEqual([]);
    // Other writers never change a whole tree.
    expect(access('touch', '-r', 'ref', 'dir').recursiveWrites).toEqual([]);
  });

  it.each([
    ['cp', 'src', '.git/config'],
    ['install', 'src', '.git/config'],
    ['rsync', 'src', '.git/config'],
    ['scp', 'src', '.git/config'],
  ])('%s writes its last operand only', (name, from, to) => {
    const a = access(name, from, to);
    expect(a.writes).toEqual([to]);
    expect(a.reads).toContain(from);
  });

  it('copiers with a target directory write it, not the last operand', () => {
    expect(access('cp', '-t', '.git/hooks', 'evil').writes).toEqual(['.git/hooks']);
    expect(access('cp', '--target-directory', '.git/hooks', 'evil').writes).toEqual(['.git/hooks']);
    expect(access('cp', '--target-directory=.git/hooks', 'evil').writes).toEqual(['.git/hooks']);
    expect(access('mv', '-t', '.git/hooks', 'evil').writes).toEqual(['evil', '.git/hooks']);
    expect(access('ln', '-t', '.git/hooks', 'evil').writes).toEqual(['evil', '.git/hooks']);
    expect(access('install', '-t', '.git/hooks', 'evil').writes).toEqual(['.git/hooks']);
    // install -d makes every operand a directory.
    expect(access('install', '-d', 'a', 'b').writes).toEqual(['a', 'b']);
    expect(access('install', '--directory', 'a', 'b').writes).toEqual(['a', 'b']);
    // Nothing to copy, nothing written.
    expect(access('cp').writes).toEqual([]);
  });

  it('a recursive copy reads everything below its sources', () => {
    expect(access('cp', '-r', 'secrets', 'out').recursiveReads).toEqual(['secrets']);
    expect(access('cp', '-R', 'secrets', 'out').recursiveReads).toEqual(['secrets']);
    expect(access('cp', '-a', 'secrets', 'out').recursiveReads).toEqual(['secrets']);
    expect(access('cp', '--recursive', 'secrets', 'out').recursiveReads).toEqual(['secrets']);
    expect(access('cp', '--archive', 'secrets', 'out').recursiveReads).toEqual(['secrets']);
    expect(access('cp', '-r', '-t', 'out', 'secrets', 'more').recursiveReads).toEqual(['secrets', 'more']);
    expect(access('cp', 'secrets', 'out').recursiveReads).toEqual([]);
    expect(access('rsync', '-a', 'secrets/', 'host:out').recursiveReads).toEqual(['secrets/']);
  });
});

describe('options that take a value: the value is not an operand', () => {
  // [program, option words, whether the value is a file the program reads]
  const cases: Array<[string, string[], boolean]> = [
    ['cp', ['-S', 'V'], false],
    ['cp', ['--suffix', 'V'], false],
    ['cp', ['--backup', 'V'], false],
    ['cp', ['--sparse', 'V'], false],
    ['cp', ['--reflink', 'V'], false],
    ['cp', ['--preserve', 'V'], false],
    ['cp', ['--no-preserve', 'V'], false],
    ['mv', ['-S', 'V'], false],
    ['mv', ['--suffix', 'V'], false],
    ['mv', ['--backup', 'V'], false],
    ['install', ['-m', 'V'], false],
    ['install', ['--group', 'V'], false],
    ['install', ['--mode', 'V'], false],
    ['install', ['--owner', 'V'], false],
    ['install', ['--suffix', 'V'], false],
    ['rsync', ['-e', 'V'], false],
    ...['rsh', 'rsync-path', 'exclude', 'include', 'filter', 'temp-dir', 'compare-dest', 'copy-dest', 'link-dest', 'backup-dir', 'suffix', 'chmod', 'log-file', 'port', 'timeout'].map((o): [string, string[], boolean] => ['rsync', [`--${o}`, 'V'], false]),
    // Files rsync reads: a list of names, or the password it sends.
    ...['exclude-from', 'include-from', 'files-from', 'password-file'].map((o): [string, string[], boolean] => ['rsync', [`--${o}`, 'V'], true]),
    ['sed', ['-l', 'V'], false],
    ['sed', ['--line-length', 'V'], false],
    ['sed', ['-f', 'V'], true],
    ['sed', ['--file', 'V'], true],
    ['awk', ['-v', 'V'], false],
    ['awk', ['--assign', 'V'], false],
    ['awk', ['--field-separator', 'V'], false],
    ['awk', ['-f', 'V'], true],
    ['awk', ['--file', 'V'], true],
    ['sort', ['-k', 'V'], false],
    ...['key', 'field-separator', 'temporary-directory', 'buffer-size', 'compress-program', 'parallel', 'batch-size'].map((o): [string, string[], boolean] => ['sort', [`--${o}`, 'V'], false]),
    ['sort', ['--files0-from', 'V'], true],
    ['tar', ['-C', 'V'], false],
    ['tar', ['-f', 'V'], true],
    ['tar', ['-T', 'V'], true],
    ['tar', ['-X', 'V'], true],
    ['tar', ['--file', 'V'], true],
    ['tar', ['--files-from', 'V'], true],
    ['tar', ['--exclude-from', 'V'], true],
    ...['directory', 'exclude', 'transform', 'owner', 'group', 'mode', 'mtime', 'newer', 'after-date', 'label'].map((o): [string, string[], boolean] => ['tar', [`--${o}`, 'V'], false]),
    ['truncate', ['-s', 'V'], false],
    ['truncate', ['--size', 'V'], false],
    ['truncate', ['-r', 'V'], true],
    ['truncate', ['--reference', 'V'], true],
    ['ln', ['-S', 'V'], false],
    ['ln', ['--suffix', 'V'], false],
    ['ln', ['--backup', 'V'], false],
    ['python', ['-W', 'V'], false],
    ['python3', ['-W', 'V'], false],
    ['node', ['-r', 'V'], false],
    ...['eval', 'print', 'require', 'import', 'loader', 'input-type'].map((o): [string, string[], boolean] => ['node', [`--${o}`, 'V'], false]),
    ['perl', ['-I', 'V'], false],
    ['ruby', ['-I', 'V'], false],
    ['curl', ['-H', 'V'], false],
    ...['data', 'data-binary', 'data-raw', 'data-urlencode', 'form', 'header', 'user-agent', 'cookie', 'request', 'user', 'proxy', 'max-time', 'connect-timeout', 'url', 'json'].map((o): [string, string[], boolean] => ['curl', [`--${o}`, 'V'], false]),
    // A file curl uploads (-T), or reads its configuration, certificate or key from.
    ...['-T', '--upload-file', '-K', '--config', '-E', '--cert', '--key', '--cacert', '--netrc-file'].map((o): [string, string[], boolean] => ['curl', [o, 'V'], true]),
    ['wget', ['-U', 'V'], false],
    ...['post-data', 'header', 'user-agent', 'timeout', 'tries', 'execute', 'method', 'body-data'].map((o): [string, string[], boolean] => ['wget', [`--${o}`, 'V'], false]),
    // A file wget posts, reads URLs or cookies from, or takes a certificate or key from.
    ...['-i', '--input-file', '--post-file', '--body-file', '--load-cookies', '--certificate', '--private-key', '--ca-certificate', '--config'].map((o): [string, string[], boolean] => ['wget', [o, 'V'], true]),
  ];
  it.each(cases)('%s %j', (name, option, isFile) => {
    const a = access(name, ...option, 'first', 'second');
    if (isFile) expect(a.reads).toContain('V');
    else expect([...a.reads, ...a.writes]).not.toContain('V');
    // The words after the option are operands as usual.
    expect([...a.reads, ...a.writes]).toContain('second');
  });

  it('a writer reads the file its reference option names', () => {
    expect(access('touch', '-r', '.env', 'f').reads).toEqual(['.env']);
    expect(access('touch', '--reference', '.env', 'f').reads).toEqual(['.env']);
    for (const name of ['chmod', 'chown', 'chgrp']) expect(access(name, '--reference=.env', 'f').reads).toEqual(['.env']);
    expect(access('touch', '-d', 'yesterday', 'f').reads).toEqual([]);
    expect(access('rm', '-r', 'f').reads).toEqual([]);
  });

  it('the value of an option a program does not list counts as a file it reads', () => {
    expect(access('cp', '--no-such=V', 'a', 'b').reads).toContain('V');
  });

  it('mkdir, touch and chmod-like writers: a mode, date or reference is not a file written', () => {
    expect(access('mkdir', '-m', '700', 'd').writes).toEqual(['d']);
    expect(access('mkdir', '--mode', '700', 'd').writes).toEqual(['d']);
    expect(access('mkdir', '--context', 'c', 'd').writes).toEqual(['d']);
    expect(access('touch', '-d', 'yesterday', 'f').writes).toEqual(['f']);
    expect(access('touch', '--date', 'yesterday', 'f').writes).toEqual(['f']);
    expect(access('touch', '--reference', 'r', 'f').writes).toEqual(['f']);
    expect(access('touch', '--time', 'atime', 'f').writes).toEqual(['f']);
    expect(access('chown', '--from', 'a:b', 'c:d', 'f').writes).toEqual(['f']);
    expect(access('truncate', '--size', '0', 'f').writes).toEqual(['f']);
  });
});

describe('sed and awk: the program text is not a file, unless given by option', () => {
  it('without -e / -f the first operand is the script', () => {
    expect(access('sed', 's/a/b/', 'f').reads).toEqual(['f']);
    expect(access('awk', '{print}', 'f').reads).toEqual(['f']);
  });
  it.each([
    ['sed', '-e'],
    ['sed', '-f'],
    ['sed', '--expression'],
    ['sed', '--file'],
    ['awk', '-f'],
    ['awk', '--file'],
  ])('%s %s: every operand is a file', (name, option) => {
    expect(access(name, option, 'script', 'f', 'g').reads).toEqual(expect.arrayContaining(['f', 'g']));
    expect(access(name, `${option}${option.startsWith('--') ? '=' : ''}script`, 'f').reads).toContain('f');
  });
  it('sed -i writes its files; plain sed does not', () => {
    expect(access('sed', '-i', 's/a/b/', 'f').writes).toEqual(['f']);
    expect(access('sed', '--in-place', 's/a/b/', 'f').writes).toEqual(['f']);
    expect(access('sed', '-ni', 's/a/b/', 'f').writes).toEqual(['f']);
    expect(access('sed', '-Ei.bak', 's/a/b/', 'f').writes).toEqual(['f']);
    expect(access('sed', 's/a/b/', 'f').writes).toEqual([]);
    expect(access('sed', '-n', 's/a/b/', 'f').writes).toEqual([]);
    expect(access('sed', '--posix', 's/a/b/', 'f').writes).toEqual([]);
    // A letter i after a value option is taken as in-place too (stricter than sed, never looser).
    expect(access('sed', '-ei', 'x', 'f').writes).toEqual(['x', 'f']);
    expect(access('sed', '-e', 'i', 'f').writes).toEqual([]);
  });
});

describe('network clients: uploads and downloads', () => {
  it.each(['curl', 'wget', 'http', 'https', 'xh', 'httpie'])('%s uploads @file and <file', (name) => {
    expect(access(name, 'example.com', '@.env').reads).toContain('.env');
    expect(access(name, 'example.com', 'body=@secret.txt').reads).toContain('secret.txt');
    expect(access(name, 'example.com', '<.env').reads).toContain('.env');
    // After a space inside a word too; not in the middle of one.
    expect(access(name, 'example.com', 'x @.env').reads).toContain('.env');
    expect(access(name, 'example.com', 'a@b').reads).not.toContain('b');
    expect(access(name, 'example.com', '@f;type=x').reads).toContain('f');
    // `@-` is standard input, not a file.
    expect(access(name, 'example.com', '@-').reads).not.toContain('-');
  });
  it('curl -d @file, -F field=@file, -T file', () => {
    expect(access('curl', '-d', '@.env', 'http://x').reads).toContain('.env');
    expect(access('curl', '-F', 'f=@.env;type=text/plain', 'http://x').reads).toContain('.env');
    expect(access('curl', '--data-binary', '@.env', 'http://x').reads).toContain('.env');
  });
  it('an upload whose word is not literal stays not literal', () => {
    expect(fileAccess(call('xh', 'x', { raw: '@$F' })).reads).toEqual([{ raw: '$F' }]);
    expect(fileAccess(call('xh', 'x', '@f')).reads).toEqual([{ raw: 'f', value: 'f' }]);
  });
  it.each([
    ['curl', '-o'],
    ['curl', '--output'],
    ['curl', '-c'],
    ['curl', '--cookie-jar'],
    ['wget', '-O'],
    ['wget', '--output-document'],
    ['wget', '-P'],
    ['wget', '--directory-prefix'],
    ['wget', '-a'],
    ['wget', '--append-output'],
    ['wget', '-o'],
    ['wget', '--output-file'],
    ['wget', '--save-cookies'],
  ])('%s %s writes its value', (name, option) => {
    expect(access(name, option, '.bashrc', 'http://x').writes).toEqual(['.bashrc']);
  });
  it('other option values of a download are not written', () => {
    expect(access('curl', '-H', 'h', 'http://x').writes).toEqual([]);
    expect(access('wget', '-U', 'agent', 'http://x').writes).toEqual([]);
  });
});

describe('dd, sort, uniq, tar, zip', () => {
  it('dd if= is read and of= is written', () => {
    const a = access('dd', 'if=/dev/sda', 'of=.git/config', 'bs=1M');
    expect(a.reads).toContain('/dev/sda');
    expect(a.writes).toEqual(['.git/config']);
    expect(access('dd', 'bs=1M').writes).toEqual([]);
    // Only at the start of a word.
    expect(access('dd', 'xif=a', 'xof=b').writes).toEqual([]);
    expect(access('dd', 'xif=a', 'xof=b').reads).not.toContain('a');
  });
  it('sort -o / --output writes; sort -k does not; tree -o writes', () => {
    expect(access('sort', '-o', '.bashrc', 'in').writes).toEqual(['.bashrc']);
    expect(access('sort', '--output', '.bashrc', 'in').writes).toEqual(['.bashrc']);
    expect(access('sort', '--output=.bashrc', 'in').writes).toEqual(['.bashrc']);
    expect(access('sort', '-k', '2', 'in').writes).toEqual([]);
    expect(access('tree', '-o', '.bashrc').writes).toEqual(['.bashrc']);
    expect(access('sort', 'in').writes).toEqual([]);
  });
  it('uniq writes its second operand', () => {
    expect(access('uniq', 'in', '.bashrc').writes).toEqual(['.bashrc']);
    expect(access('uniq', 'in').writes).toEqual([]);
  });
  it('tar c reads its operands recursively, however c is spelled', () => {
    expect(access('tar', 'czf', 'out.tgz', 'secrets').recursiveReads).toContain('secrets');
    expect(access('tar', 'c', 'secrets').recursiveReads).toContain('secrets');
    expect(access('tar', '-czf', 'out.tgz', 'secrets').recursiveReads).toEqual(['secrets']);
    expect(access('tar', '-c', 'secrets').recursiveReads).toEqual(['secrets']);
    expect(access('tar', '--create', 'secrets').recursiveReads).toEqual(['secrets']);
    expect(access('tar', '-f', 'out.tar', '--create', 'secrets').recursiveReads).toEqual(['secrets']);
    // Extracting or listing does not read a tree; a `c` later in a non-option word is not create.
    expect(access('tar', 'xzf', 'in.tgz', 'secrets').recursiveReads).toEqual([]);
    expect(access('tar', '-xf', 'in.tar', 'abc').recursiveReads).toEqual([]);
    expect(access('tar', '--cat', 'x').recursiveReads).toEqual([]);
    expect(access('tar', '-x', 'c').recursiveReads).toEqual([]);
  });
  it('zip -r reads every directory after the archive', () => {
    expect(access('zip', '-r', 'out.zip', 'secrets', 'more').recursiveReads).toEqual(['secrets', 'more']);
    expect(access('zip', '--recurse-paths', 'out.zip', 'secrets').recursiveReads).toEqual(['secrets']);
    expect(access('zip', 'out.zip', 'secrets').recursiveReads).toEqual([]);
  });
});

describe('find, grep, rg, du, tree, ls, diff, scp: trees read', () => {
  it('find reads below its starting points, skipping -H/-L/-P/-D/-O', () => {
    expect(access('find', 'a', 'b', '-name', 'x').recursiveReads).toEqual(['a', 'b']);
    expect(access('find', '-L', 'a', '-name', 'x').recursiveReads).toEqual(['a']);
    expect(access('find', '-H', '-P', 'a').recursiveReads).toEqual(['a']);
    expect(access('find', '-Dtree', 'a').recursiveReads).toEqual(['a']);
    expect(access('find', '-O3', 'a').recursiveReads).toEqual(['a']);
    expect(access('find', '-name', 'x').recursiveReads).toEqual(['.']);
    expect(access('find', '(', 'a').recursiveReads).toEqual(['.']);
    expect(access('find', '!', 'a').recursiveReads).toEqual(['.']);
    expect(access('find', ')', 'a').recursiveReads).toEqual(['.']);
    expect(access('find', '-O', 'a').recursiveReads).toEqual(['.']);
    expect(access('find', '-O33', 'a').recursiveReads).toEqual(['.']);
    expect(access('find', 'x-O3', 'a').recursiveReads).toEqual(['x-O3', 'a']);
    expect(access('find').recursiveReads).toEqual(['.']);
  });
  it('find -fprint*, -fls write their file; -delete removes the tree', () => {
    expect(access('find', '.', '-fprint', '.bashrc').writes).toEqual(['.bashrc']);
    expect(access('find', '.', '-fprint0', '.bashrc').writes).toEqual(['.bashrc']);
    expect(access('find', '.', '-fprintf', '.bashrc', '%p').writes).toEqual(['.bashrc']);
    expect(access('find', '.', '-fls', '.bashrc').writes).toEqual(['.bashrc']);
    expect(access('find', '.', '-xfprint', 'x').writes).toEqual([]);
    expect(access('find', '.', '-fprint').writes).toEqual([]);
    expect(access('find', 'src', '-delete').recursiveWrites).toEqual(['src']);
    expect(access('find', 'src', '-name', 'x').recursiveWrites).toEqual([]);
  });
  it('grep -r reads trees; plain grep does not', () => {
    expect(access('grep', '-r', 'x', 'src').recursiveReads).toEqual(['src']);
    expect(access('grep', '-R', 'x', 'src').recursiveReads).toEqual(['src']);
    expect(access('egrep', '--recursive', 'x', 'src').recursiveReads).toEqual(['src']);
    expect(access('fgrep', '--dereference-recursive', 'x', 'src').recursiveReads).toEqual(['src']);
    expect(access('grep', '-d', 'recurse', 'x', 'src').recursiveReads).toEqual(['src']);
    expect(access('grep', '-r', 'x').recursiveReads).toEqual(['.']);
    expect(access('grep', 'x', 'src').recursiveReads).toEqual([]);
    expect(access('grep', '-d', 'skip', 'x', 'src').recursiveReads).toEqual([]);
  });
  it.each(['rg', 'du', 'tree'])('%s reads the trees it is given, else the current one', (name) => {
    expect(access(name, ...(name === 'rg' ? ['pattern'] : []), 'src').recursiveReads).toEqual(['src']);
    expect(access(name).recursiveReads).toEqual(['.']);
  });
  it('ls -R reads trees; plain ls does not', () => {
    expect(access('ls', '-R', 'src').recursiveReads).toEqual(['src']);
    expect(access('ls', '--recursive', 'src').recursiveReads).toEqual(['src']);
    expect(access('ls', '-R').recursiveReads).toEqual(['.']);
    expect(access('ls', 'src').recursiveReads).toEqual([]);
  });
  it('diff -r and scp -r read trees', () => {
    expect(access('diff', '-r', 'a', 'b').recursiveReads).toEqual(['a', 'b']);
    expect(access('diff', '--recursive', 'a', 'b').recursiveReads).toEqual(['a', 'b']);
    expect(access('scp', '-r', 'a', 'host:b').recursiveReads).toEqual(['a', 'a', 'host:b']);
    expect(access('diff', 'a', 'b').recursiveReads).toEqual([]);
  });
});

describe('npm and pnpm configuration', () => {
  it.each(['npm', 'pnpm'])('%s config set / edit / delete writes the user .npmrc, or the project one', (name) => {
    for (const verb of ['set', 'edit', 'delete']) expect(access(name, 'config', verb, 'script-shell', '/tmp/x').writes).toEqual(['~/.npmrc']);
    expect(access(name, 'set', 'script-shell', '/tmp/x').writes).toEqual(['~/.npmrc']);
    expect(access(name, 'config', 'set', 'script-shell', '/tmp/x', '--location=project').writes).toEqual(['.npmrc']);
    expect(access(name, 'config', 'set', 'x', '--location=projects').writes).toEqual(['~/.npmrc']);
    expect(access(name, 'config', 'set', 'x', 'x--location=project').writes).toEqual(['~/.npmrc']);
    expect(access(name, 'config', 'get', 'x').writes).toEqual([]);
    expect(access(name, 'config').writes).toEqual([]);
    expect(access(name, 'install', 'set').writes).toEqual([]);
    // npm reads nothing itself (what its scripts do is another matter).
    expect(access(name, 'run', '.env').reads).toEqual([]);
  });
});

describe('git', () => {
  it('pathspecs and rev:path are read', () => {
    expect(access('git', 'show', 'HEAD:.env').reads).toEqual(['.env']);
    expect(access('git', 'add', '.env').reads).toEqual(['.env']);
    expect(access('git', 'log', '--', 'src').reads).toEqual(['src']);
    expect(access('git', 'show', ':.env').reads).toEqual([':.env']);
    expect(access('git', 'show', 'HEAD:').reads).toEqual(['HEAD:']);
  });
  it('a non-literal rev:path word stays non-literal', () => {
    const a = fileAccess(call('git', 'show', { raw: 'HEAD:$F' }));
    expect(a.reads).toEqual([{ raw: '$F' }]);
    const b = fileAccess(call('git', 'show', 'HEAD:f'));
    expect(b.reads).toEqual([{ raw: 'f', value: 'f' }]);
  });
  it('options naming files read them: --contents, --ignore-revs-file, --output, --exclude-from, --orderfile, --file', () => {
    for (const o of ['contents', 'ignore-revs-file', 'output', 'exclude-from', 'orderfile', 'file']) expect(access('git', 'blame', `--${o}=.env`).reads).toContain('.env');
    expect(access('git', 'blame', '--other=.env').reads).toEqual([]);
    expect(access('git', 'blame', 'x--file=.env').reads).toEqual(['x--file=.env']);
    const lit = fileAccess(call('git', 'blame', '--contents=.env'));
    expect(lit.reads).toEqual([{ raw: '.env', value: '.env' }]);
    const raw = fileAccess(call('git', 'blame', { raw: '--contents=$F' }));
    expect(raw.reads).toEqual([{ raw: '$F' }]);
  });
  it('global options before the subcommand are skipped with their values', () => {
    expect(access('git', '-C', 'dir', 'add', 'f').reads).toEqual(['f']);
    expect(access('git', '-c', 'k=v', 'add', 'f').reads).toEqual(['f']);
    for (const o of ['--git-dir', '--work-tree', '--namespace']) expect(access('git', o, 'x', 'add', 'f').reads).toEqual(['f']);
    expect(access('git', '--no-pager', 'add', 'f').reads).toEqual(['f']);
  });
  it('--output writes its file', () => {
    expect(access('git', 'diff', '--output=.bashrc').writes).toEqual(['.bashrc']);
    expect(access('git', 'diff', '--output', '.bashrc').writes).toEqual(['.bashrc']);
    expect(access('git', 'diff', '--output').writes).toEqual([]);
    expect(fileAccess(call('git', 'diff', { raw: '--output=$F' })).writes).toEqual([{ raw: '$F' }]);
    expect(fileAccess(call('git', 'diff', '--output=f')).writes).toEqual([{ raw: 'f', value: 'f' }]);
  });
  it('diff / show / log -p without a pathspec read the whole repository', () => {
    expect(access('git', 'diff').repoWide).toBe(true);
    expect(access('git', 'show').repoWide).toBe(true);
    expect(access('git', 'log', '-p').repoWide).toBe(true);
    expect(access('git', 'log').repoWide).toBe(false);
    expect(access('git', 'diff', '--stat').repoWide).toBe(false);
    expect(access('git', 'status').repoWide).toBe(false);
    expect(access('git', 'diff', '--', 'src', 'lib').recursiveReads).toEqual(['src', 'lib']);
    expect(access('git', 'diff', '--', 'src').repoWide).toBe(false);
    expect(access('git', '-C', 'd', 'diff', '--', 'src').recursiveReads).toEqual(['src']);
    expect(access('git', 'grep', 'x').recursiveReads).toEqual(['.']);
    expect(access('git', 'grep', 'x').repoWide).toBe(false);
    // blame reads only the file it names.
    expect(access('git', 'blame', 'f').repoWide).toBe(false);
    expect(access('git', 'blame', 'f').recursiveReads).toEqual([]);
    expect(access('git', 'frob').repoWide).toBe(false);
  });
  it('checkout -- paths and restore paths are overwritten', () => {
    expect(access('git', 'checkout', '--', '.envrc', 'x').writes).toEqual(['.envrc', 'x']);
    expect(access('git', 'checkout', 'main').writes).toEqual([]);
    expect(access('git', 'restore', '.envrc', '--staged').writes).toEqual(['.envrc']);
    expect(access('git', 'restore', '--source', 'HEAD', '--', '.envrc').writes).toEqual(['.envrc']);
    expect(access('git', 'switch', '--', 'x').writes).toEqual([]);
  });
  it('git config writes the repository configuration, or the file or global one it names', () => {
    expect(access('git', 'config', 'core.pager', 'evil').writes).toEqual(['.git/config']);
    expect(access('git', 'config', '--global', 'core.pager', 'evil').writes).toEqual(['~/.gitconfig']);
    expect(access('git', 'config', '--file', 'cfg', 'core.pager', 'evil').writes).toEqual(['cfg']);
    expect(access('git', 'config', '-f', 'cfg', 'core.pager', 'evil').writes).toEqual(['cfg']);
    for (const op of ['--unset', '--add', '--replace-all', '--rename-section', '--remove-section', '--edit', '-e']) expect(access('git', 'config', op, 'x').writes).toEqual(['.git/config']);
    for (const verb of ['set', 'unset', 'edit']) expect(access('git', 'config', verb, 'x').writes).toEqual(['.git/config']);
    expect(access('git', 'config', 'set').writes).toEqual(['.git/config']);
    for (const op of ['--get', '--get-all', '--get-regexp', '--list', '-l', '--show-origin', '--get-urlmatch', '--name-only', 'get', 'list']) expect(access('git', 'config', op, 'a', 'b').writes).toEqual([]);
    expect(access('git', 'config', 'core.pager').writes).toEqual([]);
    expect(access('git', 'config', '--type', 'x').writes).toEqual([]);
    expect(access('git', 'status', '--global', 'a', 'b').writes).toEqual([]);
  });
});
