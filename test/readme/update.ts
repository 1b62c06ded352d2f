// Rewrites the output of every README transcript from the current build: `npm run readme`, then
// review `git diff README.md` (a changed output is a changed promise to users).
import { readFileSync, writeFileSync } from 'node:fs';
import { ROOT, runTranscript, transcripts } from './transcripts.js';

const path = `${ROOT}README.md`;
const lines = readFileSync(path, 'utf8').split('\n');
// From the last transcript up, so earlier line numbers stay right.
for (const t of transcripts(lines.join('\n')).reverse()) {
  const indent = /^ */.exec(lines[t.line - 1])![0];
  const old = t.output === '' ? 0 : t.output.split('\n').length - 1;
  const fresh = runTranscript(t.command).split('\n').slice(0, -1).map((l) => (l === '' ? '' : indent + l));
  lines.splice(t.line, old, ...fresh);
}
writeFileSync(path, lines.join('\n'));
