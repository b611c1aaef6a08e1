import { z } from "zod";

/**
 * Text people type (names, titles, notes, descriptions) ends up in sealed columns, the console,
 * notices, e-mails and exports: a NUL or an escape sequence there truncates or forges what other
 * software shows. C0 control characters (U+0000-U+001F) and DEL are refused; multi-line text keeps
 * tab, line feed and carriage return.
 */
const CONTROLS = /[\u0000-\u001f\u007f]/;
const CONTROLS_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export const hasControlCharacters = (text: string, multiline = false): boolean => (multiline ? CONTROLS_BUT_LINE_BREAKS : CONTROLS).test(text);

/**
 * A string schema for text from people; chain `.min()`, `.max()`, `.describe()` as on z.string().
 * A refusal is a 400 `validation_error` whose field issue has the code `control_character` (or
 * `control_character_multiline`), mapped from the refinement's params by src/http/errors.ts.
 */
export function humanText(options: { multiline?: boolean } = {}) {
  const multiline = options.multiline ?? false;
  return z.string().refine((s) => !hasControlCharacters(s, multiline), {
    message: multiline ? "Control characters are not allowed here (line breaks and tabs are)." : "Control characters are not allowed here.",
    params: { code: multiline ? "control_character_multiline" : "control_character" },
  });
}
