import { PolicyError } from './errors.js';

/**
 * The text of a PowerShell export, from its bytes, as the shells write it: Windows PowerShell 5.1's
 * `>` and Out-File write UTF-16LE with a byte order mark, `Out-File -Encoding UTF8` and
 * `Export-Csv -Encoding UTF8` UTF-8 with one, PowerShell 7 UTF-8 without; `-Encoding
 * BigEndianUnicode` UTF-16BE with its mark. A file without a mark that is not UTF-8 is read as
 * Windows-1252, as Windows PowerShell 5.1 itself reads such a file (its Set-Content and Export-Csv
 * default to the ANSI code page). Line ends come back as `\n` (CRLF or LF), so that line numbers
 * are those an editor shows.
 */
export function exportText(bytes: Uint8Array, file: string): string {
  const text = decode(bytes, file);
  return text.includes('\r') ? text.replace(/\r\n/g, '\n') : text;
}

function decode(b: Uint8Array, file: string): string {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return utf8(b.subarray(3), file);
  if (b[0] === 0xff && b[1] === 0xfe) {
    if (b[2] === 0 && b[3] === 0) throw new PolicyError(file, 1, 'UTF-32 text is not read: save the export as UTF-8 or UTF-16 (Out-File -Encoding UTF8)');
    return utf16(b.subarray(2), 'utf-16le', file);
  }
  if (b[0] === 0xfe && b[1] === 0xff) return utf16(b.subarray(2), 'utf-16be', file);
  return utf8(b, file, true);
}

function utf8(b: Uint8Array, file: string, orAnsi = false): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b);
  } catch {
    if (!orAnsi) {
      const lossy = new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);
      throw new PolicyError(file, lineOf(lineStarts(lossy), lossy.indexOf('\uFFFD')), 'bytes that are not UTF-8, in a file that begins with the UTF-8 byte order mark');
    }
    return new TextDecoder('windows-1252').decode(b);
  }
  const nul = text.indexOf('\0');
  // A NUL in every other byte is UTF-16 that lost its byte order mark: say so rather than "no known shape".
  if (nul >= 0) throw new PolicyError(file, lineOf(lineStarts(text), nul), 'a NUL character: UTF-16 text without its byte order mark, or not text at all');
  return text;
}

function utf16(b: Uint8Array, encoding: 'utf-16le' | 'utf-16be', file: string): string {
  const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(b.subarray(0, b.length & ~1));
  if (b.length % 2 === 1) throw new PolicyError(file, lineStarts(text).length, `${encoding.toUpperCase()} text cut in the middle of a character`);
  return text;
}

/** Where each line of a text starts (offsets of line 1, 2, ...). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 1-based line holding a character offset, given the text's line starts. */
export function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
