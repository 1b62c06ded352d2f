import { describe, expect, it } from 'vitest';
import { escapeControls } from '../../src/format/text.js';

// escapeControls lives with the other text helpers (text.ts): the CLI, -T fields, the journey and
// the tree all escape capture text with it, and none of them should need the tree for that.
describe('escapeControls', () => {
  it('escapes control and format characters and the backslash, each by its width', () => {
    expect(escapeControls('ping 3 \u001b]0;pwned\u0007')).toBe('ping 3 \\x1b]0;pwned\\x07');
    expect(escapeControls('invoice \u202egpj.exe')).toBe('invoice \\u202egpj.exe');
    expect(escapeControls('tag \u{e0041}')).toBe('tag \\u{e0041}');
    expect(escapeControls('a\\b\u00ad')).toBe('a\\\\b\\xad');
    expect(escapeControls('plain text, é and 日本')).toBe('plain text, é and 日本');
  });
});
