/**
 * The numbers of a line, each with what names it: the key before it (`loss=`, `Step:`,
 * `'train_loss': `, `nupdates:   `, `Total loss:`), a `/M` total after it, whether it stands
 * alone in brackets (`[1000]`) or leads the line (`20:`). Dates and clock times are no fields;
 * neither are numbers inside words (`v2`, `I1002`) or with a unit glued on (`3.3s`, `5ms/step`).
 */

export type NumericField = {
  /** The key before it, as printed; null when none. */
  key: string | null;
  text: string;
  value: number;
  integer: boolean;
  /** A `/M` right after it. */
  total: number | null;
  /** `[N]` */
  bracketed: boolean;
  /** The first thing on the line. */
  leading: boolean;
};

const DATE_OR_TIME = /\d{4}[-/]\d\d[-/]\d\d(?:[T_]\d\d)?|\d\d?\/\d\d?\/\d{4}|\d+:\d\d(?::\d\d)?(?:[.,]\d+)?/g;
const FIELD =
  /(?<![\w.#/-])(?<number>-?(?:\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\.\d+|nan|inf))(?!\w|\.\d|%)(?:\s*\/\s*(?<total>\d+)(?!\w|\.\d))?/gi;
/** The key right before a number: `key: `, `key=`, `"key": "`, `key ` (one or two words). */
const KEY_BEFORE = /(?<key>[A-Za-z_][\w./-]*(?: [A-Za-z_][\w/-]*)?)["']?\s*(?:[:=]\s*)?["'(]?\s*$/;

export function numericFieldsOf(line: string): NumericField[] {
  const text = line.replace(DATE_OR_TIME, '#');
  const fields: NumericField[] = [];
  for (const match of text.matchAll(FIELD)) {
    const number = match.groups?.number as string;
    const value = Number(number);
    const at = match.index ?? 0;
    const before = text.slice(Math.max(0, at - 48), at);
    const key = KEY_BEFORE.exec(before)?.groups?.key ?? null;
    const end = at + match[0].length;
    fields.push({
      key: key === null || /^(?:nan|inf)$/i.test(key) ? null : key,
      text: number,
      value,
      integer: /^-?\d+$/.test(number),
      total: match.groups?.total !== undefined ? Number(match.groups.total) : null,
      bracketed: text[at - 1] === '[' && text[end] === ']',
      leading: text.slice(0, at).trim() === '',
    });
  }
  return fields;
}
