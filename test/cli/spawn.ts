import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = `${ROOT}bin/nvgre-dissect`;
/** Public third-party captures, never copied into the repository: tests of them skip when the folder is absent. */
export const CAPTURES = resolve(ROOT, process.env.NVGRE_CAPTURES ?? '../shared/captures');
export const HAVE_CAPTURES = existsSync(CAPTURES);

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would (stdout a pipe, so no colour unless asked). */
export function runCli(args: string[], opts: { input?: Uint8Array; env?: Record<string, string> } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...opts.env };
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A run that reads no stdin may have exited before this is written: EPIPE here is no failure.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? new Uint8Array(0));
  });
}

/** Whether tshark is installed: tests that compare with it skip that part, saying so, without it. */
export const hasTshark = ((): boolean => {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
