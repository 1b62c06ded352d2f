// Bytes allocated per frame: a mode's allocation on a corpus, less its allocation on the 8-frame
// seed (start-up: modules, option parsing, buffers), over the frames between them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Case } from './cases.js';

const PROBE = fileURLToPath(new URL('gc-probe.mjs', import.meta.url));
const SEED_FRAMES = 8;

function allocated(argv: string[], cwd: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'nvgre-bench-'));
  const out = join(dir, 'gc.json');
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${PROBE}`, NVGRE_GC_PROBE: out };
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve((JSON.parse(readFileSync(out, 'utf8')) as { allocated: number }).allocated);
      } catch (err) {
        reject(err);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

export async function bytesPerFrame(c: Case, file: string, frames: number, seed: string, cwd: string): Promise<number> {
  const [run, startUp] = [await allocated(c.argv(file), cwd), await allocated(c.argv(seed), cwd)];
  return Math.round((run - startUp) / (frames - SEED_FRAMES));
}
