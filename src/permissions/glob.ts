/**
 * Gitignore-style globs for Read(…)/Edit(…) rules, compiled to regular expressions over
 * absolute POSIX paths: `**` spans directories, `*` and `?` stay inside one segment,
 * `[…]` is a character class. Dotfiles are matched like any other name.
 */
function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** Compiles a glob that is already anchored (starts with `/`) into a regex body. */
export function globToRegexSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const prevSlash = i === 0 || glob[i - 1] === '/';
        const nextSlash = glob[i + 2] === '/';
        const atEnd = i + 2 === glob.length;
        if (prevSlash && nextSlash) {
          // `/**/` matches one slash or any run of whole directories.
          out += '(?:.*/)?';
          i += 2;
          continue;
        }
        if (prevSlash && atEnd) {
          out += '.*';
          i += 1;
          continue;
        }
        out += '[^/]*';
        i += 1;
        continue;
      }
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      // A `]` right after `[` or `[!` is a member, not the end.
      const close = glob.indexOf(']', i + (glob[i + 1] === '!' ? 3 : 2));
      if (close === -1) {
        out += '\\[';
      } else {
        let body = glob.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        // A `]` first in the class is a member; JavaScript needs it escaped (`[]a]` would be an empty class).
        out += `[${body.replace(/\\/g, '\\\\').replace(/]/g, '\\]')}]`;
        i = close;
      }
    } else if (ch === '\\' && i + 1 < glob.length) {
      out += escapeRegex(glob[i + 1]!);
      i += 1;
    } else {
      out += escapeRegex(ch);
    }
  }
  return out;
}

/**
 * A matcher for an anchored glob. As in gitignore, a pattern that names a directory also
 * covers everything below it, so `Read(./secrets)` protects `secrets/key.pem`.
 */
export function compilePathGlob(anchored: string, caseInsensitive = false): RegExp {
  let trimmed = anchored.length > 1 ? anchored.replace(/\/+$/, '') : anchored;
  // `dir/**` also covers `dir` itself (a search rooted there reads what is below it).
  while (trimmed.endsWith('/**') && trimmed.length > 3) trimmed = trimmed.slice(0, -3);
  if (trimmed === '/') return /^\/.*$/s;
  return new RegExp(`^${globToRegexSource(trimmed)}(?:/.*)?$`, caseInsensitive ? 'si' : 's');
}

/** Bash rule patterns: `*` matches any run of characters, everything else is literal. */
export function compileCommandGlob(pattern: string): RegExp {
  const normalized = pattern.trim().replace(/\s+/g, ' ');
  // A trailing ` *` means "with any arguments or none": `npm run test *` also matches
  // `npm run test`, but never `npm run test:unit` (the space is a word boundary).
  const prefixOnly = normalized.endsWith(' *');
  const body = prefixOnly ? normalized.slice(0, -2) : normalized;
  const source = body
    .split('*')
    .map((part) => part.replace(/[\\^$.+?()[\]{}|/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}${prefixOnly ? '(?: .*)?' : ''}$`, 's');
}
