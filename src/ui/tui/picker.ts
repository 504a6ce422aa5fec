/**
 * A list to choose from in the live region (the /rewind and /resume pickers): ↑/↓ move, Enter
 * chooses, a digit chooses that row, Esc closes. The store holds it; keys.ts drives it; these
 * are its screen lines. The list scrolls so the selected row stays in view.
 */
import type { Style } from './style.js';
import { truncate } from './text.js';

export interface PickerItem {
  label: string;
  /** Dim text after the label (age, turns, cost). */
  detail?: string;
}

export interface Picker {
  title: string;
  items: PickerItem[];
  selected: number;
  /** One dim line under the list. */
  footer?: string;
  /** Letters that choose a row at once (a yes/no question's y and n). */
  letters?: Record<string, number>;
  choose(index: number): void;
  cancel(): void;
}

export function pickerLines(p: Picker, width: number, style: Style, max: number): string[] {
  const bar = style.cyan('│ ');
  const inner = Math.max(4, width - 2);
  const footer = p.footer ?? '↑/↓ move · Enter choose · Esc cancel';
  const rows = Math.max(1, max - 2);
  const start = Math.max(0, Math.min(p.selected - Math.floor(rows / 2), p.items.length - rows));
  const shown = p.items.slice(start, start + rows).map((item, k) => {
    const i = start + k;
    const mark = i === p.selected ? style.bold('❯ ') : '  ';
    const number = i < 9 ? `${i + 1}. ` : '   ';
    const text = truncate(`${number}${item.label}${item.detail ? ` · ${item.detail}` : ''}`, inner - 2);
    const cut = text.indexOf(' · ');
    const painted = cut < 0 || !item.detail ? text : `${text.slice(0, cut)}${style.dim(text.slice(cut))}`;
    return bar + mark + (i === p.selected ? style.bold(painted) : painted);
  });
  return [style.cyan(`╭ ${truncate(p.title, inner)}`), ...shown, bar + style.dim(truncate(footer, inner - 2))];
}
