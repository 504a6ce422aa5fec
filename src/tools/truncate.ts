/** Keeps the start and the end of a long text, where commands print what matters most. */
export function capHeadTail(text: string, max: number, omittedNote: (omitted: number) => string): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  const omitted = text.length - 2 * half;
  return `${text.slice(0, half)}\n\n[… ${omittedNote(omitted)} …]\n\n${text.slice(text.length - half)}`;
}

/** Keeps whole lines from the top, up to a character budget. */
export function capLines(lines: string[], maxChars: number): { kept: string[]; dropped: number } {
  let total = 0;
  for (let i = 0; i < lines.length; i++) {
    total += lines[i].length + 1;
    if (total > maxChars) return { kept: lines.slice(0, i), dropped: lines.length - i };
  }
  return { kept: lines, dropped: 0 };
}
