/**
 * A small glob matcher (*, **, ?, [...], {a,b}) for LS's ignore patterns; Node 20 has no
 * path.matchesGlob. A pattern without "/" matches an entry's name at any depth.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let inClass = false;
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (inClass) {
      if (c === ']') inClass = false;
      re += c === '\\' ? '\\\\' : c;
      continue;
    }
    switch (c) {
      case '*':
        if (glob[i + 1] === '*') {
          const slashAfter = glob[i + 2] === '/';
          re += slashAfter ? '(?:.*/)?' : '.*';
          i += slashAfter ? 2 : 1;
        } else re += '[^/]*';
        break;
      case '?':
        re += '[^/]';
        break;
      case '[':
        inClass = true;
        re += glob[i + 1] === '!' ? (i++, '[^') : '[';
        break;
      case '{':
        braces++;
        re += '(?:';
        break;
      case '}':
        if (braces > 0) {
          braces--;
          re += ')';
        } else re += '\\}';
        break;
      case ',':
        re += braces > 0 ? '|' : ',';
        break;
      default:
        re += /[.+^$()|\\]/.test(c) ? `\\${c}` : c;
    }
  }
  return new RegExp(`^${re}$`);
}

export function makeIgnoreMatcher(patterns: string[]): (relPath: string, name: string) => boolean {
  const compiled = patterns.map((p) => {
    const trimmed = p.replace(/\/+$/, '');
    return { re: globToRegExp(trimmed), byName: !trimmed.includes('/') };
  });
  return (relPath, name) => compiled.some(({ re, byName }) => re.test(byName ? name : relPath));
}
