/** Characters a terminal would act on or hide (controls, format characters, separators): shown as `?`. */
const UNSEEN = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
/** Characters shown either side of the caret: a filter of thousands of terms is not echoed whole. */
const AROUND = 36;

/**
 * The two lines under a filter error: the expression and a caret under `column`, as one line each
 * that a terminal shows as it is: a tab is a space (so the caret stays under its character), any
 * other unseen character a `?`, and a long expression is cut to a window round the caret with `...`.
 */
export function caretLines(text: string, column: number): string {
  const start = Math.max(0, column - AROUND);
  const end = Math.min(text.length, column + AROUND);
  const before = start > 0 ? '...' : '';
  const shown = text.slice(start, end).replace(/\t/g, ' ').replace(UNSEEN, '?');
  return `  ${before}${shown}${end < text.length ? '...' : ''}\n  ${' '.repeat(before.length + column - start)}^\n`;
}
