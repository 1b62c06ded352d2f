// Every usage error is one line on standard error and exit 2, with nothing on standard output:
// commander's own errors (an unknown option, a bad choice, a missing value, a conflict) as ours.
// (tshark 4.0.17 answers `--jsn` with "tshark: unrecognized option: jsn" and then its whole usage,
// 157 lines, exit 1; here a line saying what is wrong is what a script's log gets, --help is one
// option away, and 2 is the project's usage status.) A bad -Y is its line and tshark's caret
// (test/cli/caret.test.ts).
import { describe, expect, it } from 'vitest';
import { runCli } from './spawn.js';

const SEED = 'fixtures/seed-ping.pcap';

/** Bad command lines and the one line each gets. */
const BAD: readonly [args: string[], line: string][] = [
  [['--jsn', SEED], "unknown option '--jsn' (did you mean --json?)"],
  [['--bogus', SEED], "unknown option '--bogus'"],
  [['-Z', SEED], "unknown option '-Z'"],
  [['-T', 'foo', SEED], "option '-T, --type <format>' argument 'foo' is invalid. Allowed choices are text, json, fields, ek."],
  [['-c', '0', SEED], "option '-c, --count <n>' argument '0' is invalid: expected a positive whole number"],
  [['--vsid', 'zz', SEED], "option '--vsid <n>' argument 'zz' is invalid: expected a number from 0 to 16777215 (decimal or 0x hex)"],
  [['-G'], "option '-G, --glossary <report>' argument missing"],
  [['-s', '--json', SEED], "option '-s, --summary' cannot be used with option '--json'"],
  [['-T', 'fields', '-e', 'ip.srcc', SEED], '-e ip.srcc: no such field (did you mean ip.src?); -G fields lists them all'],
  [['-V', '-s', SEED], '-V (the tree) and -s (one line per frame) ask for different outputs: choose one'],
  [['--vm', 'a', SEED], '--vm selects by the VM names a policy gives: add --policy FILE (an export of Get-NetVirtualizationLookupRecord with VMName)'],
  [['-F', 'pcap', SEED], '-F goes with -w FILE, which is not given'],
  [['-Y', 'ip', '-Y', 'tcp', SEED], "-Y given 2 times, but one display filter is taken: join them with && (all must hold) or || (any may), e.g. -Y '(A) && (B)'"],
  // tshark's and tcpdump's options this tool does not take: the line says what to use instead.
  [['-i', 'eth0'], "unknown option '-i': captures are read, not taken: pipe one in, as tcpdump -i IFACE -U -w - proto gre | nvgre-dissect -s -"],
  [['-f', 'host 10.1.0.2', SEED], "unknown option '-f': capture filters (BPF) are not taken: select with -Y, --vsid, --pa or --ca"],
  [['-2', '-R', 'icmp', SEED], "unknown option '-2': one pass only: filter with -Y"],
  [['-R', 'icmp', SEED], "unknown option '-R': one pass only: filter with -Y"],
  [['-z', 'io,stat,1', SEED], "unknown option '-z': tshark's statistics are not taken: --stats (per VSID and the underlay), --lookup, --journey"],
  [['-o', 'ip.check_checksum:TRUE', SEED], "unknown option '-o': no preferences: checksums are always verified, IP fragments reassembled (--no-reassemble to show them as they are)"],
];

describe('usage errors', () => {
  it('each is one line naming what is wrong, exit 2, nothing printed', async () => {
    const results = await Promise.all(BAD.map(([args]) => runCli(args)));
    expect(results).toEqual(BAD.map(([, line]) => ({ code: 2, stdout: '', stderr: `nvgre-dissect: ${line}\n` })));
  });
});
