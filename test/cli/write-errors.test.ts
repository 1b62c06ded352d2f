// Issue 13, point 1 and the stderr item of point 10: a write that fails is one line and exit 2 in
// every mode (--help and --version too); a reader that leaves early stays exit 0, quietly; -q
// writes nothing to stdout, so a full stdout does not change its answer (as with grep -q).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './spawn.js';

const SEED = 'fixtures/seed-ping.pcap';

/**
 * Runs the CLI under bash with the redirections given (`> /dev/full`, ...). `pipe` puts it in
 * front of `| true`, started once `true` has gone: its first write meets a closed pipe (EPIPE).
 */
function sh(args: string, redirect: string, pipe = false): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined };
  const cli = `"${process.execPath}" "${BIN}" ${args} ${redirect}`;
  const cmd = pipe ? `set -o pipefail; (sleep 0.3; exec ${cli}) | true` : cli;
  const r = spawnSync('bash', ['-c', cmd], { cwd: ROOT, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const FULL = 'nvgre-dissect: cannot write output: ENOSPC: no space left on device, write\n';

describe('a full disk is one line on stderr and exit 2', () => {
  for (const args of [SEED, `-s ${SEED}`, `--json ${SEED}`, `-x ${SEED}`, `--stats ${SEED}`, `--lookup --json ${SEED}`, '--help', '--version']) {
    it(`${args} > /dev/full`, () => {
      expect(sh(args, '> /dev/full')).toEqual({ code: 2, stdout: '', stderr: FULL });
    });
  }

  it('a descriptor not open for writing (EBADF) too', () => {
    const r = sh(`-s ${SEED}`, '1< README.md');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('nvgre-dissect: cannot write output: EBADF: bad file descriptor, write\n');
  });

  it('-q writes nothing to stdout: its answer stands, with nothing on stderr', () => {
    expect(sh(`-q --vsid 4020644 ${SEED}`, '> /dev/full')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(sh(`-q --vsid 4020645 ${SEED}`, '> /dev/full')).toEqual({ code: 1, stdout: '', stderr: '' });
  });
});

describe('a reader that leaves early is no error', () => {
  it('--help | true and --version | true: exit 0, nothing on stderr (no stack trace)', () => {
    for (const args of ['--help', '--version']) expect(sh(args, '', true)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('every mode: exit 0, nothing on stderr', () => {
    for (const args of [SEED, `--json ${SEED}`, `--stats ${SEED}`]) expect(sh(args, '', true)).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('an unwritable stderr', () => {
  it('does not crash: a missing capture still exits 2, with no stack', () => {
    expect(sh('no/such.pcap', '2> /dev/full')).toEqual({ code: 2, stdout: '', stderr: '' });
    // stderr into a pipe whose reader is gone (EPIPE).
    expect(sh('no/such.pcap', '2>&1 >/dev/null', true)).toEqual({ code: 2, stdout: '', stderr: '' });
  });

  it('and a full stdout: the status is still 2', () => {
    expect(sh(SEED, '> /dev/full 2> /dev/full')).toEqual({ code: 2, stdout: '', stderr: '' });
  });

  it('leaves a good run alone', () => {
    const r = sh(`-s ${SEED}`, '2> /dev/full');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(9);
  });
});

describe('--version', () => {
  it('still prints the version when it can', () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
    expect(sh('--version', '')).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});
