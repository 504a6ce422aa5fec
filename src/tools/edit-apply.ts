/**
 * The exact-match string replacement behind Edit and MultiEdit, with errors that tell the model
 * how to fix its call instead of only that it failed.
 */
export interface EditSpec {
  old_string: string;
  new_string: string;
  replace_all?: boolean;
}

export type EditOutcome = { ok: true; text: string; count: number; line: number } | { ok: false; message: string };

export function applyEdit(text: string, edit: EditSpec, eol: '\n' | '\r\n', fileLabel: string): EditOutcome {
  if (edit.old_string === edit.new_string) return { ok: false, message: 'old_string and new_string are identical; there is nothing to change.' };
  if (edit.old_string === '') {
    if (text.length > 0) return { ok: false, message: `old_string is empty, which only works to fill an empty file; ${fileLabel} has content. Give the exact text to replace.` };
    return { ok: true, text: adaptEol(edit.new_string, eol), count: 1, line: 1 };
  }
  let oldStr = edit.old_string;
  let newStr = edit.new_string;
  let count = countOccurrences(text, oldStr);
  if (count === 0 && eol === '\r\n' && oldStr.includes('\n')) {
    // The model sees lines without their \r; match its text against the file's CRLF endings.
    const crlfOld = adaptEol(oldStr, eol);
    const n = countOccurrences(text, crlfOld);
    if (n > 0) {
      oldStr = crlfOld;
      count = n;
    }
  }
  if (eol === '\r\n') newStr = adaptEol(newStr, eol);
  if (count === 0) return { ok: false, message: notFoundMessage(text, edit.old_string, fileLabel) };
  if (count > 1 && !edit.replace_all) {
    return {
      ok: false,
      message: `old_string occurs ${count} times in ${fileLabel}. Add surrounding lines to make it unique, or set replace_all to true to change all ${count}.`,
    };
  }
  const line = text.slice(0, text.indexOf(oldStr)).split('\n').length;
  const out = edit.replace_all ? text.split(oldStr).join(newStr) : replaceFirst(text, oldStr, newStr);
  return { ok: true, text: out, count: edit.replace_all ? count : 1, line };
}

function replaceFirst(text: string, oldStr: string, newStr: string): string {
  const i = text.indexOf(oldStr);
  return text.slice(0, i) + newStr + text.slice(i + oldStr.length);
}

function adaptEol(s: string, eol: '\n' | '\r\n'): string {
  return eol === '\r\n' ? s.replace(/\r?\n/g, '\r\n') : s;
}

export function countOccurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** Looks for the text the model probably meant: same lines with different indentation or spacing. */
function notFoundMessage(text: string, oldString: string, fileLabel: string): string {
  const base = `old_string was not found in ${fileLabel}.`;
  const fileLines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const wanted = oldString.replace(/\r/g, '').split('\n');
  while (wanted.length > 1 && wanted[wanted.length - 1].trim() === '') wanted.pop();
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ');
  const wantedNorm = wanted.map(norm);
  for (let i = 0; i + wanted.length <= fileLines.length; i++) {
    if (wantedNorm.every((w, j) => norm(fileLines[i + j]) === w)) {
      const actual = fileLines.slice(i, i + wanted.length).join('\n');
      return `${base} Lines ${i + 1}-${i + wanted.length} match apart from whitespace/indentation; the file has exactly:\n${clip(actual)}\nCopy old_string from the file's exact text (without Read's line-number prefix).`;
    }
  }
  const first = wantedNorm.find((w) => w !== '');
  if (first) {
    const at = fileLines.findIndex((l) => norm(l).includes(first));
    if (at !== -1) {
      return `${base} Its first line appears at line ${at + 1}, but the lines after it differ. Read the file around line ${at + 1} and copy the exact text.`;
    }
  }
  if (/^\s*\d+\t/.test(oldString)) return `${base} It seems to include Read's line-number prefix ("N<tab>"); leave that out.`;
  return `${base} Read the file again and copy the exact text to replace, including whitespace.`;
}

function clip(s: string): string {
  return s.length > 1500 ? `${s.slice(0, 1500)}…` : s;
}
