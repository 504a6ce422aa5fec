/**
 * Colours of the terminal UI, decided once. Every coloured string is made here, so NO_COLOR /
 * FORCE_COLOR are honoured everywhere by construction (ink's own colour props are not used).
 */
export interface Style {
  readonly enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  italic(s: string): string;
  underline(s: string): string;
  inverse(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  magenta(s: string): string;
  cyan(s: string): string;
}

/** https://no-color.org: any non-empty NO_COLOR turns colour off; FORCE_COLOR=0 too; FORCE_COLOR=1..3 forces it on. */
export function colorEnabled(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

const sgr = (open: number, close: number) => (s: string) => (s === '' ? s : `\x1b[${open}m${s}\x1b[${close}m`);
const plain = (s: string) => s;

export function makeStyle(enabled: boolean): Style {
  if (!enabled) {
    return { enabled, bold: plain, dim: plain, italic: plain, underline: plain, inverse: plain, red: plain, green: plain, yellow: plain, blue: plain, magenta: plain, cyan: plain };
  }
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    italic: sgr(3, 23),
    underline: sgr(4, 24),
    inverse: sgr(7, 27),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    blue: sgr(34, 39),
    magenta: sgr(35, 39),
    cyan: sgr(36, 39),
  };
}
