// Issue 15, point 1: --policy FILE is read whole before the first capture; every broken export is
// one line `nvgre-dissect: FILE:LINE: message` on stderr, nothing on stdout, exit 2.
import { describe, expect, it } from 'vitest';
import { runCli } from './spawn.js';

const SEED = 'fixtures/seed-ping.pcap';
const P = 'fixtures/policy';

describe('--policy', () => {
  it('a readable policy adds its names to the frames and changes nothing else (test/cli/policy-compare.test.ts has the names)', async () => {
    const plain = await runCli(['-s', SEED]);
    const r = await runCli(['-s', '--policy', `${P}/seed-agree.txt`, '--policy', `${P}/seed-routes.csv`, '--policy', `${P}/seed-providers.json`, SEED]);
    expect(r.stdout).toMatch(/ rdid=\{5f0b3a44-0c7e-4d2b-9b1a-6a2f3c1d0e01\} vm_src=blue-1 vm_dst=blue-2 /);
    expect({ ...r, stdout: r.stdout.replace(/ (rdid|vm_src|vm_dst)=\S+/g, '') }).toEqual({ ...plain, code: 0 });
  });

  it.each([
    ['broken/bad-mac.txt', '19: MACAddress "001DD8B71C" is not a MAC address'],
    ['broken/bad-address.csv', '4: ProviderAddress "172.16.0.300" is not an IPv4 or IPv6 address'],
    ['broken/truncated.json', '28: the JSON ends too early (a cut-off file?)'],
    [
      'broken/unknown-shape.xml',
      '1: not a PowerShell export this reads: expected Format-List (Name : value lines), Export-Csv, ConvertTo-Json or a table view such as Get-PACAMapping',
    ],
    [
      'broken/other-cmdlet.txt',
      "3: a record of no cmdlet this reads: Get-NetVirtualizationLookupRecord (CustomerAddress, VirtualSubnetID, ProviderAddress), Get-PACAMapping ('CA IP Address', 'Virtual Subnet ID', 'PA IP Address'), Get-NetVirtualizationCustomerRoute (RoutingDomainID, DestinationPrefix) or Get-NetVirtualizationProviderAddress (ProviderAddress, InterfaceIndex)",
    ],
  ])('%s: one line with the file and the line, exit 2, no frame printed', async (name, where) => {
    const r = await runCli(['-s', '--policy', `${P}/seed-agree.txt`, '--policy', `${P}/${name}`, SEED]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `nvgre-dissect: ${P}/${name}:${where}\n` });
  });

  it('a file that cannot be opened: its name and why, exit 2', async () => {
    expect(await runCli(['--policy', 'no/such.txt', SEED])).toEqual({ code: 2, stdout: '', stderr: 'nvgre-dissect: no/such.txt: no such file\n' });
    expect(await runCli(['--policy', P, SEED])).toEqual({ code: 2, stdout: '', stderr: `nvgre-dissect: ${P}: is a directory, not a policy export\n` });
  });

  it('is in --help', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/--policy <file> +the hosts' HNV policy as PowerShell/);
  });
});
