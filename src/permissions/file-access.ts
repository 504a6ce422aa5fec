/**
 * Which files a command reads and which it changes, read off its words, for deny rules
 * (`Read(./.env)`, `Edit(/src/**)`) and protected paths. This covers the common file tools;
 * what an arbitrary program does with its arguments (`python x.py`, `make`) is not known, which
 * docs/permissions.md states as a limit.
 */
import path from 'node:path';
import type { ShellWord, SubCommand } from './shell.js';
import { GIT_SUBCOMMAND_OPTIONS, PROGRAM_OPTIONS, hasOption, parseArgs, type ProgramOptions } from './program-options.js';
import { NO_PATHS, firstOperandIsPattern, gitShowsContent } from './read-only-commands.js';

export interface FileAccess {
  /** Words naming files the command reads. */
  reads: ShellWord[];
  /** Words naming files it creates, changes, renames or removes. */
  writes: ShellWord[];
  /** Directories it reads everything below. */
  recursiveReads: ShellWord[];
  /** Directories it changes everything below (rm -r, chmod -R). */
  recursiveWrites: ShellWord[];
  /** It reads the whole repository it runs in (git diff / show / log -p without a pathspec). */
  repoWide?: boolean;
}

/** Programs whose operands are files they read (beyond the read-only list; git has its own reading, gitAccess). */
const READERS = new Set([
  'cp', 'mv', 'ln', 'install', 'rsync', 'scp', 'less', 'more', 'most', 'bat', 'batcat', 'view', 'vi', 'vim', 'nvim', 'nano', 'emacs', 'source', '.', 'base64', 'basenc', 'base32',
  'xxd', 'od', 'hexdump', 'strings', 'tar', 'zip', 'gzip', 'gunzip', 'zcat', 'bzip2', 'bzcat', 'xz', 'xzcat', 'lzma', 'zstd', 'zstdcat', 'sed', 'awk', 'gawk', 'mawk', 'nawk',
  'sort', 'uniq', 'tee', 'paste', 'comm', 'join', 'fold', 'fmt', 'pr', 'rev', 'tac', 'expand', 'unexpand', 'column', 'iconv', 'look', 'split', 'csplit', 'sha1sum', 'sha224sum',
  'sha256sum', 'sha384sum', 'sha512sum', 'md5sum', 'cksum', 'b2sum', 'sum', 'python', 'python2', 'python3', 'node', 'nodejs', 'deno', 'bun', 'perl', 'ruby', 'php', 'lua',
  'bash', 'sh', 'zsh', 'dash', 'ksh', 'yq', 'xmllint', 'openssl', 'gpg', 'curl', 'wget', 'nc', 'ncat', 'socat', 'dd', 'truncate', 'diff3', 'sdiff', 'vimdiff',
  'tr', 'envsubst', 'm4', 'cpp', 'gcc', 'cc', 'clang', 'make', 'xargs', 'mail', 'mutt', 'sendmail', 'aws', 'gsutil', 'gcloud', 'sftp', 'ssh-add', 'ssh-keygen',
]);

/** Programs whose operands are files they change. */
const WRITERS = new Set(['rm', 'rmdir', 'unlink', 'shred', 'truncate', 'touch', 'mkdir', 'mkfifo', 'mknod', 'chmod', 'chown', 'chgrp', 'tee', 'ln', 'mv']);
/** Programs that write their last operand (or the -t directory). */
const COPIERS = new Set(['cp', 'install', 'rsync', 'scp']);

/** Network clients: `@file` and `<file` in their arguments upload a file. */
const UPLOADERS = new Set(['curl', 'wget', 'http', 'https', 'xh', 'httpie']);

const OTHER_OPTIONS: Record<string, ProgramOptions> = {
  cp: { shortValue: 'St', longValue: ['suffix', 'target-directory', 'backup', 'sparse', 'reflink', 'preserve', 'no-preserve'] },
  mv: { shortValue: 'St', longValue: ['suffix', 'target-directory', 'backup'] },
  install: { shortValue: 'gmoStC', longValue: ['group', 'mode', 'owner', 'suffix', 'target-directory'] },
  rsync: {
    shortValue: 'eBfTM',
    longValue: ['rsh', 'rsync-path', 'exclude', 'include', 'exclude-from', 'include-from', 'files-from', 'filter', 'temp-dir', 'compare-dest', 'copy-dest', 'link-dest', 'backup-dir', 'suffix', 'chmod', 'log-file', 'password-file', 'port', 'timeout'],
    pathOptions: ['--exclude-from', '--include-from', '--files-from', '--password-file'],
  },
  sed: { shortValue: 'efl', longValue: ['expression', 'file', 'line-length'], patternFirst: ['-e', '-f', '--expression', '--file'], pathOptions: ['-f', '--file'] },
  awk: { shortValue: 'fvF', longValue: ['file', 'assign', 'field-separator'], patternFirst: ['-f', '--file'], pathOptions: ['-f', '--file'] },
  sort: { shortValue: 'kotTS', longValue: ['key', 'output', 'field-separator', 'temporary-directory', 'buffer-size', 'files0-from', 'compress-program', 'parallel', 'batch-size'], pathOptions: ['--files0-from'] },
  tar: { shortValue: 'fCTXbgKLNV', longValue: ['file', 'directory', 'files-from', 'exclude-from', 'exclude', 'transform', 'owner', 'group', 'mode', 'mtime', 'newer', 'after-date', 'label'], pathOptions: ['-f', '-T', '-X', '--file', '--files-from', '--exclude-from'] },
  truncate: { shortValue: 'sr', longValue: ['size', 'reference'], pathOptions: ['-r', '--reference'] },
  chmod: { longValue: ['reference'], pathOptions: ['--reference'] },
  chown: { longValue: ['reference', 'from'], pathOptions: ['--reference'] },
  chgrp: { longValue: ['reference'], pathOptions: ['--reference'] },
  mkdir: { shortValue: 'mZ', longValue: ['mode', 'context'] },
  touch: { shortValue: 'drt', longValue: ['date', 'reference', 'time'], pathOptions: ['-r', '--reference'] },
  tee: {},
  rm: {},
  ln: { shortValue: 'St', longValue: ['suffix', 'target-directory', 'backup'] },
  python: { shortValue: 'cmWX' },
  python3: { shortValue: 'cmWX' },
  node: { shortValue: 'epr', longValue: ['eval', 'print', 'require', 'import', 'loader', 'input-type'] },
  perl: { shortValue: 'eEIMml' },
  ruby: { shortValue: 'eIr' },
  // The files these options name are read (and `-T` / `--post-file` send one away): a deny rule must see them.
  curl: {
    shortValue: 'dFTouHAbcCeEKQrtwXxYyzm',
    longValue: ['data', 'data-binary', 'data-raw', 'data-urlencode', 'form', 'upload-file', 'output', 'header', 'user-agent', 'cookie', 'cookie-jar', 'config', 'cert', 'key', 'cacert', 'netrc-file', 'request', 'user', 'proxy', 'max-time', 'connect-timeout', 'url', 'json'],
    pathOptions: ['-T', '--upload-file', '-K', '--config', '-E', '--cert', '--key', '--cacert', '--netrc-file'],
  },
  wget: {
    shortValue: 'OoaPiTtUeB',
    longValue: ['output-document', 'output-file', 'append-output', 'directory-prefix', 'input-file', 'post-file', 'body-file', 'post-data', 'header', 'user-agent', 'timeout', 'tries', 'execute', 'load-cookies', 'save-cookies', 'certificate', 'private-key', 'ca-certificate', 'config', 'method', 'body-data'],
    pathOptions: ['-i', '--input-file', '--post-file', '--body-file', '--load-cookies', '--certificate', '--private-key', '--ca-certificate', '--config'],
  },
};

function word(text: string, source: ShellWord | undefined): ShellWord {
  if (source && (source.value ?? source.raw) === text) return source;
  // Part of a word (an attached option value): literal if the word is.
  return source?.value !== undefined ? { raw: text, value: text } : { raw: text };
}

export function fileAccess(cmd: SubCommand): FileAccess {
  const out: FileAccess = { reads: [], writes: [], recursiveReads: [], recursiveWrites: [] };
  if (cmd.kind !== 'call') return out;
  const first = cmd.words[0]?.value;
  if (first === undefined) return out;
  const name = path.basename(first);
  const args = cmd.words.slice(1);
  const texts = args.map((w) => w.value ?? w.raw);

  if (name === 'git') {
    gitAccess(args, texts, out);
    return out;
  }
  if (name === 'npm' || name === 'pnpm') {
    // `npm config set` writes an .npmrc, which can name the shell npm runs scripts with.
    if ((texts[0] === 'config' && ['set', 'edit', 'delete'].includes(texts[1] ?? '')) || texts[0] === 'set') {
      const project = texts.some((t) => /^--location=project$/.test(t));
      out.writes.push(project ? { raw: '.npmrc', value: '.npmrc' } : { raw: '~/.npmrc', value: '~/.npmrc' });
    }
    return out;
  }

  const spec = PROGRAM_OPTIONS[name] ?? OTHER_OPTIONS[name] ?? {};
  const parsed = parseArgs(texts, spec);
  const at = (i: number) => args[i];
  const known = new Set([...(spec.shortValue ?? '')].map((c) => `-${c}`).concat([...(spec.longValue ?? []), ...(spec.longOptional ?? [])].map((l) => `--${l}`)));
  const fileValues = parsed.values.filter((v) => spec.pathOptions?.includes(v.option) || !known.has(v.option)).map((v) => word(v.text, at(v.index)));
  const skipPattern = firstOperandIsPattern(parsed, spec);
  const operands = (skipPattern ? parsed.operands.slice(1) : parsed.operands).map((o) => word(o.text, at(o.index)));
  // A program this table does not know may take an attached file (`-T.env`): look at those too.
  const attached = Object.keys(spec).length === 0 ? args.flatMap((w, i) => (/^-[A-Za-z]./.test(texts[i]!) ? [word(texts[i]!.slice(2), w)] : [])) : [];

  const isReader = READERS.has(name) || (Object.prototype.hasOwnProperty.call(PROGRAM_OPTIONS, name) && !NO_PATHS.has(name));
  if (isReader) out.reads.push(...operands, ...fileValues, ...attached);
  // A writer still reads the file an option names (`touch -r ref`, `chmod --reference=ref`).
  else out.reads.push(...parsed.values.filter((v) => spec.pathOptions?.includes(v.option)).map((v) => word(v.text, at(v.index))));

  if (UPLOADERS.has(name)) {
    for (const [i, t] of texts.entries()) {
      const m = /(?:^|[=\s])[@<]([^;]+)/.exec(t);
      if (m && m[1] !== '-') out.reads.push(word(m[1]!, args[i]?.value !== undefined ? { raw: m[1]!, value: m[1]! } : { raw: m[1]! }));
    }
    for (const v of parsed.values) {
      if (['-o', '--output', '-O', '--output-document', '-P', '--directory-prefix', '-a', '--append-output', '--output-file', '-c', '--cookie-jar', '--save-cookies'].includes(v.option)) out.writes.push(word(v.text, at(v.index)));
    }
  }
  if (name === 'dd') {
    for (const [i, t] of texts.entries()) {
      if (t.startsWith('if=')) out.reads.push(word(t.slice(3), args[i]));
      if (t.startsWith('of=')) out.writes.push(word(t.slice(3), args[i]));
    }
  }

  const target = parsed.values.filter((v) => v.option === '-t' || v.option === '--target-directory').map((v) => word(v.text, at(v.index)));
  if (WRITERS.has(name)) {
    const skipFirst = (name === 'chmod' || name === 'chown' || name === 'chgrp') && !hasOption(parsed, undefined, ['reference']);
    out.writes.push(...(skipFirst ? operands.slice(1) : operands), ...target);
    if ((name === 'rm' && hasOption(parsed, 'rR', ['recursive'])) || (['chmod', 'chown', 'chgrp'].includes(name) && hasOption(parsed, 'R', ['recursive']))) {
      out.recursiveWrites.push(...(skipFirst ? operands.slice(1) : operands));
    }
  }
  if (COPIERS.has(name)) {
    if (target.length > 0) out.writes.push(...target);
    else if (name === 'install' && hasOption(parsed, 'd', ['directory'])) out.writes.push(...operands);
    else if (operands.length > 0) out.writes.push(operands[operands.length - 1]!);
    if (hasOption(parsed, 'rRa', ['recursive', 'archive'])) out.recursiveReads.push(...(target.length > 0 ? operands : operands.slice(0, -1)));
  }
  // A link opens its target's whole tree to whatever runs later, in this command or the next: what
  // it points to is read and changed through it (`ln -s ~ h && cat h/.env`, `ln ~/.bashrc x; echo >>x`).
  // A relative symbolic target counts from the link's directory, which may be the last operand.
  const linking = name === 'ln' || (name === 'cp' && hasOption(parsed, 'sl', ['symbolic-link', 'link']));
  if (linking && operands.length > 0) {
    const sources = target.length > 0 || operands.length === 1 ? operands : operands.slice(0, -1);
    const dest = target[0] ?? (operands.length > 1 ? operands[operands.length - 1] : undefined);
    const seen: ShellWord[] = [...sources];
    const destText = dest?.value;
    for (const s of sources) {
      if (s.value === undefined || destText === undefined || path.isAbsolute(s.value) || s.value.startsWith('~')) continue;
      for (const base of [destText, path.dirname(destText)]) {
        const joined = path.join(base, s.value);
        seen.push({ raw: joined, value: joined });
      }
    }
    out.recursiveReads.push(...seen);
    out.recursiveWrites.push(...seen);
  }
  if (name === 'sed' && (hasOption(parsed, 'i', ['in-place']) || texts.some((t) => /^-[a-zA-Z]*i/.test(t)))) out.writes.push(...operands);
  if ((name === 'sort' || name === 'tree') && parsed.values.length > 0) {
    out.writes.push(...parsed.values.filter((v) => v.option === '-o' || v.option === '--output').map((v) => word(v.text, at(v.index))));
  }
  if (name === 'uniq' && operands.length >= 2) out.writes.push(operands[1]!);
  if (name === 'tar' && texts.some((t, i) => (i === 0 && /^[a-zA-Z]*c/.test(t)) || /^-[a-zA-Z]*c/.test(t) || t === '--create')) out.recursiveReads.push(...operands);
  if (name === 'zip' && hasOption(parsed, 'r', ['recurse-paths'])) out.recursiveReads.push(...operands.slice(1));
  if (name === 'find') {
    const starts = findStartWords(args, texts);
    out.recursiveReads.push(...starts);
    for (let i = 0; i < texts.length; i++) {
      if (/^-fprint/.test(texts[i]!) || texts[i] === '-fls') {
        const f = args[i + 1];
        if (f) out.writes.push(f);
      }
      if (texts[i] === '-delete') out.recursiveWrites.push(...starts);
    }
  }
  if (['grep', 'egrep', 'fgrep'].includes(name) && (hasOption(parsed, 'rR', ['recursive', 'dereference-recursive']) || parsed.values.some((v) => v.text === 'recurse'))) {
    out.recursiveReads.push(...(operands.length ? operands : [{ raw: '.', value: '.' }]));
  }
  if (['rg', 'du', 'tree'].includes(name)) out.recursiveReads.push(...(operands.length ? operands : [{ raw: '.', value: '.' }]));
  if (name === 'ls' && hasOption(parsed, 'R', ['recursive'])) out.recursiveReads.push(...(operands.length ? operands : [{ raw: '.', value: '.' }]));
  if (['diff', 'scp'].includes(name) && hasOption(parsed, 'r', ['recursive'])) out.recursiveReads.push(...operands);
  return out;
}

function findStartWords(args: ShellWord[], texts: string[]): ShellWord[] {
  const out: ShellWord[] = [];
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i]!;
    if (t.startsWith('-') || t === '(' || t === '!' || t === ')') {
      if (['-H', '-L', '-P'].includes(t) || t.startsWith('-D') || /^-O\d$/.test(t)) continue;
      break;
    }
    out.push(args[i]!);
  }
  return out.length > 0 ? out : [{ raw: '.', value: '.' }];
}

/** git: pathspecs and `rev:path` are read; `git config` writes the configuration file. */
function gitAccess(args: ShellWord[], texts: string[], out: FileAccess): void {
  let i = 0;
  let global = false;
  let file: ShellWord | undefined;
  while (i < texts.length && texts[i]!.startsWith('-')) i += ['-C', '-c', '--git-dir', '--work-tree', '--namespace'].includes(texts[i]!) ? 2 : 1;
  const sub = texts[i];
  for (let j = i + 1; j < texts.length; j++) {
    const t = texts[j]!;
    const colon = t.indexOf(':');
    if (!t.startsWith('-') && colon > 0 && colon + 1 < t.length) out.reads.push(word(t.slice(colon + 1), args[j]?.value !== undefined ? { raw: t.slice(colon + 1), value: t.slice(colon + 1) } : { raw: t.slice(colon + 1) }));
    else if (!t.startsWith('-')) out.reads.push(args[j]!);
    else if (/^--(contents|ignore-revs-file|output|exclude-from|orderfile|file)=/.test(t)) out.reads.push(word(t.slice(t.indexOf('=') + 1), { raw: t.slice(t.indexOf('=') + 1), ...(args[j]?.value !== undefined ? { value: t.slice(t.indexOf('=') + 1) } : {}) }));
    if (t === '--global') global = true;
    if (t === '--file' || t === '-f') file = args[j + 1];
    if (/^--output=/.test(t)) out.writes.push({ raw: t.slice(9), ...(args[j]?.value !== undefined ? { value: t.slice(9) } : {}) });
    if (t === '--output' && args[j + 1]) out.writes.push(args[j + 1]!);
  }
  if (sub !== undefined && Object.prototype.hasOwnProperty.call(GIT_SUBCOMMAND_OPTIONS, sub)) {
    const rest = texts.slice(i + 1);
    const spec = GIT_SUBCOMMAND_OPTIONS[sub]!;
    const parsed = parseArgs(rest, spec);
    // A file option's value attached to its letter (`grep -f.env`, `blame -S.env`, `diff -O.env`) is
    // no word of its own, so the scan above passed over it.
    for (const v of parsed.values) if (spec.pathOptions?.includes(v.option) && /^-[^-]/.test(rest[v.index]!)) out.reads.push(word(v.text, args[i + 1 + v.index]));
    if (gitShowsContent(sub, parsed) && sub !== 'blame') {
      const dashdash = rest.indexOf('--');
      const specs = dashdash === -1 ? [] : args.slice(i + 2 + dashdash);
      if (specs.length > 0) out.recursiveReads.push(...specs);
      else if (sub === 'grep') out.recursiveReads.push({ raw: '.', value: '.' });
      else out.repoWide = true;
    }
  }
  if (sub === 'checkout' || sub === 'restore') {
    // Paths after `--` (or, for restore, every operand) are overwritten from the repository.
    const rest = args.slice(i + 1);
    const dashdash = rest.findIndex((w) => w.value === '--');
    const paths = dashdash !== -1 ? rest.slice(dashdash + 1) : sub === 'restore' ? rest.filter((w) => !(w.value ?? '').startsWith('-')) : [];
    out.writes.push(...paths);
  }
  if (sub === 'config') {
    const rest = texts.slice(i + 1);
    const reading = rest.some((t) => /^(--get|--get-all|--get-regexp|--list|-l|--show-origin|--get-urlmatch|--name-only|get|list)/.test(t));
    const operands = rest.filter((t) => !t.startsWith('-'));
    const setting = !reading && (operands.length >= 2 || rest.some((t) => /^(--unset|--add|--replace-all|--rename-section|--remove-section|--edit|-e|set|unset|edit)/.test(t)) || operands[0] === 'set');
    if (setting) out.writes.push(file ?? (global ? { raw: '~/.gitconfig', value: '~/.gitconfig' } : { raw: '.git/config', value: '.git/config' }));
  }
}
