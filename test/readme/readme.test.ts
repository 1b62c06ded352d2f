import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blocks, ROOT, runTranscript, transcripts } from './transcripts.js';

const readme = readFileSync(`${ROOT}README.md`, 'utf8');

describe('every output block in the README is a real run', () => {
  const all = transcripts(readme);

  it('has no block outside the rules (transcript, or commands only)', () => {
    // transcripts() throws on an untagged block without its command, or output in an sh block.
    expect(all.length).toBeGreaterThanOrEqual(15);
  });

  for (const { line, command, output } of all) {
    it(`line ${line}: ${command}`, () => {
      expect(runTranscript(command)).toBe(output);
    });
  }
});

describe('the transcript rules themselves', () => {
  it('refuses pasted output without its command', () => {
    expect(() => transcripts('text\n```\nFrame 1: ...\n```\n')).toThrow(/line 2: output without the `\$ command`/);
  });
  it('refuses a transcript hidden in an sh block', () => {
    expect(() => transcripts('```sh\n$ nvgre-dissect x\nout\n```\n')).toThrow(/line 2: a transcript in a `sh` block/);
  });
  it('refuses other block kinds', () => {
    expect(() => transcripts('```json\n{}\n```\n')).toThrow(/tagged `json`/);
  });
  it('splits a block into one transcript per command, indented blocks included', () => {
    const t = transcripts('- item\n\n  ```\n  $ echo a\n  a\n  $ echo b\n  b\n  ```\n');
    expect(t).toEqual([
      { line: 4, command: 'echo a', output: 'a\n' },
      { line: 6, command: 'echo b', output: 'b\n' },
    ]);
    expect(blocks('```sh\nnpm ci\n```\n')).toEqual([{ line: 1, tag: 'sh', lines: ['npm ci'] }]);
  });
  it('keeps stderr in place and the output of a failing command', () => {
    expect(runTranscript('echo out; echo err >&2; exit 2')).toBe('out\nerr\n');
  });
});
