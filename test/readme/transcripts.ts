import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The README's fenced blocks. An untagged block is a transcript: `$ command` lines, each followed by
 * exactly what the command prints (stdout and stderr as one stream, as a terminal shows them).
 * Blocks tagged `sh` or `powershell` are only commands to type (no `$`, no output); any other kind
 * of block is refused, so no pasted output can escape the test.
 */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Transcript {
  /** 1-based README line of the `$` line. */
  line: number;
  command: string;
  output: string;
}

export interface Block {
  line: number;
  tag: string;
  lines: string[];
}

const COMMAND_TAGS = new Set(['sh', 'powershell']);

export function blocks(readme: string): Block[] {
  const lines = readme.split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```(\S*)$/.exec(lines[i]);
    if (open === null) continue;
    const indent = open[1].length;
    const end = lines.findIndex((l, j) => j > i && l === `${' '.repeat(indent)}\`\`\``);
    if (end < 0) throw new Error(`README line ${i + 1}: a block that is never closed`);
    found.push({ line: i + 1, tag: open[2], lines: lines.slice(i + 1, end).map((l) => l.slice(indent)) });
    i = end;
  }
  return found;
}

/** The transcripts, or an error naming the block that is neither a transcript nor commands. */
export function transcripts(readme: string): Transcript[] {
  const out: Transcript[] = [];
  for (const b of blocks(readme)) {
    if (COMMAND_TAGS.has(b.tag)) {
      const pasted = b.lines.findIndex((l) => l.startsWith('$ '));
      if (pasted >= 0) throw new Error(`README line ${b.line + 1 + pasted}: a transcript in a \`${b.tag}\` block (make it untagged)`);
      continue;
    }
    if (b.tag !== '') throw new Error(`README line ${b.line}: block tagged \`${b.tag}\`: use a transcript (untagged, \`$ command\` first) or sh/powershell`);
    if (!b.lines[0]?.startsWith('$ ')) throw new Error(`README line ${b.line}: output without the \`$ command\` that prints it`);
    for (let i = 0; i < b.lines.length; i++) {
      if (!b.lines[i].startsWith('$ ')) continue;
      let j = i + 1;
      while (j < b.lines.length && !b.lines[j].startsWith('$ ')) j++;
      const output = b.lines.slice(i + 1, j);
      out.push({ line: b.line + 1 + i, command: b.lines[i].slice(2), output: output.length ? `${output.join('\n')}\n` : '' });
      i = j - 1;
    }
  }
  return out;
}

/** Runs a transcript's command as a user would in a pipe: bash, the repository as cwd, bin/ first on PATH. */
export function runTranscript(command: string): string {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${ROOT}bin:${process.env.PATH}`, LC_ALL: 'C' };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.COLUMNS;
  try {
    return execFileSync('bash', ['-c', `exec 2>&1\n${command}`], { cwd: ROOT, env, encoding: 'utf8' });
  } catch (err) {
    // A transcript may show a failing command (a broken file, exit 2): its output is what counts.
    const e = err as { stdout?: string; status?: number };
    if (typeof e.stdout === 'string' && typeof e.status === 'number') return e.stdout;
    throw err;
  }
}
