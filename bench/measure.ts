// One timed run of a command, its output read through a pipe as `| grep` or `> file` would take
// it (a pipe is slower to write than /dev/null, and that is what users have).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Sample {
  /** Seconds, from spawning to exit. */
  wall: number;
  /** Peak resident set in kB (GNU time's %M), NaN without /usr/bin/time. */
  rssKb: number;
}

const TIME = '/usr/bin/time';
export const HAVE_TIME = existsSync(TIME);

export function measure(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<Sample> {
  const [cmd, ...args] = HAVE_TIME ? [TIME, '-f', '%M', ...argv] : argv;
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume(); // read and dropped
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-200)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${argv.join(' ')}: exit ${code}: ${stderr.trim()}`));
      const wall = Number(process.hrtime.bigint() - start) / 1e9;
      resolve({ wall, rssKb: HAVE_TIME ? Number(stderr.trim().split('\n').pop()) : Number.NaN });
    });
  });
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
