// Issue 13, point 3: every repeatable selection means "any of" (as --vsid always did), and a second
// -Y is refused instead of silently replacing the first.
import { describe, expect, it } from 'vitest';
import { runCli } from './spawn.js';

const SEED = 'fixtures/seed-ping.pcap';
const MIX = 'fixtures/tenant-mix.pcap';
const numbers = (summary: string): number[] => summary.trimEnd().split('\n').filter(Boolean).map((l) => Number(l.split(' ')[0]));

describe('repeated --pa, --ca, --flow-id: any of the values, in either order', () => {
  // tenant-mix: frame 1 is the provider ARP; 2-9 NVGRE between PAs 172.16.0.2 and .3, CAs 10.1.0.2
  // and 10.2.0.2; FlowIDs 0 (2-3), 42 (4-7), 7 (8-9).
  const cases: [string[], number[]][] = [
    [['--pa', '172.16.0.2', '--pa', '9.9.9.9'], [2, 3, 4, 5, 6, 7, 8, 9]],
    [['--pa', '9.9.9.9', '--pa', '172.16.0.2'], [2, 3, 4, 5, 6, 7, 8, 9]],
    [['--pa', '9.9.9.9', '--pa', '2001:db8::1'], []],
    [['--ca', '10.2.0.2', '--ca', '10.9.9.9'], [2, 3, 4, 5, 6, 7, 8, 9]],
    [['--ca', '10.9.9.9', '--ca', '10.2.0.2'], [2, 3, 4, 5, 6, 7, 8, 9]],
    [['--ca', '10.9.9.9', '--ca', '172.16.0.2'], []],
    [['--flow-id', '42', '--flow-id', '7'], [4, 5, 6, 7, 8, 9]],
    [['--flow-id', '7', '--flow-id', '42'], [4, 5, 6, 7, 8, 9]],
    [['--flow-id', '0', '--flow-id', '0x07'], [2, 3, 8, 9]],
    [['--flow-id', '1', '--flow-id', '2'], []],
    // Different options still all hold: (FlowID 42 or 7) and VSID 8793502.
    [['--flow-id', '42', '--flow-id', '7', '--vsid', '8793502'], [5, 9]],
  ];
  for (const [args, expected] of cases) {
    it(`${args.join(' ')} -> ${JSON.stringify(expected)}`, async () => {
      const r = await runCli(['-s', ...args, MIX]);
      expect(numbers(r.stdout)).toEqual(expected);
      expect(r.code).toBe(expected.length > 0 ? 0 : 1);
    });
  }

  it('--help says so for each', async () => {
    const help = (await runCli(['--help'])).stdout.replace(/\s+/g, ' ');
    for (const option of ['--vsid <n>', '--flow-id <n>', '--pa <ip>', '--ca <ip>', '--vm <name>']) {
      expect(help).toMatch(new RegExp(`${option}((?! --).)*repeat for any of several`));
    }
  });
});

describe('a second -Y', () => {
  it('is refused: one line suggesting && or ||, exit 2, nothing printed', async () => {
    for (const args of [['-Y', 'icmp', '-Y', 'nvgre.vsid == 4020644'], ['--filter', 'icmp', '-Y', 'tcp', '--filter', 'udp']]) {
      const r = await runCli(['-s', ...args, SEED]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const times = args.length / 2;
      expect(r.stderr).toBe(
        `nvgre-dissect: -Y given ${times} times, but one display filter is taken: join them with && (all must hold) or || (any may), e.g. -Y '(A) && (B)'\n`,
      );
    }
  });

  it('one -Y is taken as before', async () => {
    const r = await runCli(['-s', '-Y', 'icmp.seq == 2', SEED]);
    expect(numbers(r.stdout)).toEqual([3, 4]);
  });
});
