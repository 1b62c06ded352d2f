// The policy reader on the fixtures of fixtures/policy.ts and on small texts. Every expected value
// is written by hand from the seed setting (/work/shared/seed/README.md, fixtures/lib/hnv.ts):
// VM blue-1 10.1.0.2 (00:1d:d8:b7:1c:02, VSID 8793502) on host A 172.16.0.2, VM blue-2 10.2.0.2
// (00:1d:d8:b7:1c:03, VSID 4020644) on host B 172.16.0.3, both in routing domain "blue".
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Policy, PolicyLookupRecord } from '../../src/policy/model.js';
import { addPolicy, emptyPolicy, parsePolicy, PolicyError } from '../../src/policy/read.js';
import { ROOT } from '../cli/spawn.js';

const ip4 = (a: number, b: number, c: number, d: number): number => a * 2 ** 24 + b * 2 ** 16 + c * 2 ** 8 + d;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const fixture = (name: string): Uint8Array => readFileSync(`${ROOT}fixtures/policy/${name}`);

const RD_BLUE = '{5f0b3a44-0c7e-4d2b-9b1a-6a2f3c1d0e01}';
const RD_RED = '{c3d2e1f0-7a6b-4c5d-8e9f-0a1b2c3d4e02}';

type Record = Omit<PolicyLookupRecord, 'source'>;
const BLUE_1: Record = {
  ca: ip4(10, 1, 0, 2),
  vsid: 8793502,
  mac: 0x001dd8b71c02,
  pa: ip4(172, 16, 0, 2),
  customerId: RD_BLUE,
  context: 'Seed exchange of the NVGRE article: blue-1 pings blue-2 across hosts A and B (lookup record set by hand)',
  rule: 'TranslationMethodEncap',
  vmName: 'blue-1',
  useVmMac: false,
  type: 'Static',
  unusable: false,
  unsynchronized: false,
};
const BLUE_2: Record = { ...BLUE_1, ca: ip4(10, 2, 0, 2), vsid: 4020644, mac: 0x001dd8b71c03, pa: ip4(172, 16, 0, 3), context: null, vmName: 'blue-2' };

const withoutSource = (records: PolicyLookupRecord[]): Record[] => records.map(({ source: _, ...r }) => r);

function errorOf(bytes: Uint8Array): string {
  try {
    parsePolicy(bytes, 'p.txt');
  } catch (err) {
    if (err instanceof PolicyError) return `${err.file}:${err.line}: ${err.message}`;
    throw err;
  }
  return 'no error';
}
const textError = (text: string): string => errorOf(utf8(text));

describe('every shape and encoding of the seed lookup records', () => {
  const files = readdirSync(`${ROOT}fixtures/policy/seed`);
  // The one-object JSON files hold a VM each: read together they are the array's two records.
  const sets = [
    ...files.filter((f) => !f.startsWith('lookup-blue-')).map((f) => [f]),
    ...files.filter((f) => f.startsWith('lookup-blue-1.')).map((f) => [f, f.replace('blue-1', 'blue-2')]),
  ];

  it('covers list, csv with and without #TYPE, json array and object; UTF-8, UTF-8 BOM, UTF-16LE, UTF-16BE; CRLF and LF', () => {
    expect(sets).toHaveLength(4 * 6 + 1 + 6);
    const shapes = new Set<string>();
    for (const set of sets) {
      const policy = emptyPolicy();
      for (const f of set) shapes.add(addPolicy(policy, fixture(`seed/${f}`), f));
    }
    expect([...shapes].sort()).toEqual(['csv', 'json', 'list']);
  });

  it.each(sets.map((s) => [s.join(' + '), s]))('%s: the two records, as written by hand', (_, set) => {
    const policy = emptyPolicy();
    for (const f of set as string[]) addPolicy(policy, fixture(`seed/${f}`), f);
    expect(withoutSource(policy.lookup)).toEqual([BLUE_1, BLUE_2]);
    expect(policy.routes).toEqual([]);
    expect(policy.providers).toEqual([]);
  });

  it('each record says where it starts', () => {
    const at = (f: string): number[] => parsePolicy(fixture(`seed/${f}`), f).lookup.map((r) => r.source.line);
    expect(at('lookup-list.utf16le-crlf.txt')).toEqual([3, 17]);
    expect(at('lookup-type.utf8-lf.csv')).toEqual([3, 4]);
    expect(at('lookup.utf8bom-crlf.csv')).toEqual([2, 3]);
    expect(at('lookup.utf8-lf.json')).toEqual([2, 25]);
    expect(parsePolicy(fixture('seed-agree.txt'), 'x.txt').lookup[1].source).toEqual({ file: 'x.txt', line: 17 });
  });
});

describe('the other seed policies', () => {
  it('stale: blue-2 behind 172.16.0.9; wrong VSID: blue-2 in 4020645', () => {
    expect(withoutSource(parsePolicy(fixture('seed-agree.txt'), 'a').lookup)).toEqual([BLUE_1, BLUE_2]);
    expect(withoutSource(parsePolicy(fixture('seed-stale.txt'), 'a').lookup)).toEqual([BLUE_1, { ...BLUE_2, pa: ip4(172, 16, 0, 9) }]);
    expect(withoutSource(parsePolicy(fixture('seed-wrong-vsid.txt'), 'a').lookup)).toEqual([BLUE_1, { ...BLUE_2, vsid: 4020645 }]);
  });

  it('Get-PACAMapping: CA, MAC (dashes), VSID, PA, nothing else', () => {
    const none = { customerId: null, context: null, rule: null, vmName: null, useVmMac: null, type: null, unusable: false, unsynchronized: false };
    expect(parsePolicy(fixture('seed-pacamapping.txt'), 'm.txt').lookup).toEqual([
      { ca: ip4(10, 1, 0, 2), vsid: 8793502, mac: 0x001dd8b71c02, pa: ip4(172, 16, 0, 2), ...none, source: { file: 'm.txt', line: 4 } },
      { ca: ip4(10, 2, 0, 2), vsid: 4020644, mac: 0x001dd8b71c03, pa: ip4(172, 16, 0, 3), ...none, source: { file: 'm.txt', line: 5 } },
    ]);
  });

  it('customer routes: the seed VSIDs in blue; lookup-conflicts.pcap gets 5000000 in red', () => {
    const route = (rdid: string, vsid: number, net: number, line: number, file: string): Policy['routes'][number] => ({
      rdid,
      vsid,
      prefix: [net, 16],
      nextHop: 0,
      metric: 255,
      source: { file, line },
    });
    expect(parsePolicy(fixture('seed-routes.csv'), 'r.csv').routes).toEqual([
      route(RD_BLUE, 8793502, ip4(10, 1, 0, 0), 3, 'r.csv'),
      route(RD_BLUE, 4020644, ip4(10, 2, 0, 0), 4, 'r.csv'),
    ]);
    expect(parsePolicy(fixture('conflicts-routes.txt'), 'c.txt').routes).toEqual([
      route(RD_BLUE, 8793502, ip4(10, 1, 0, 0), 3, 'c.txt'),
      route(RD_BLUE, 4020644, ip4(10, 2, 0, 0), 9, 'c.txt'),
      route(RD_RED, 5000000, ip4(10, 9, 0, 0), 15, 'c.txt'),
    ]);
  });

  it('provider addresses, AddressState 4 read as Preferred', () => {
    expect(parsePolicy(fixture('seed-providers.json'), 'p.json').providers).toEqual([
      { pa: ip4(172, 16, 0, 2), ifIndex: 12, prefixLength: 24, vlanId: 0, state: 'Preferred', mac: 0x00155d000102, source: { file: 'p.json', line: 2 } },
      { pa: ip4(172, 16, 0, 3), ifIndex: 13, prefixLength: 24, vlanId: 0, state: 'Preferred', mac: 0x00155d000103, source: { file: 'p.json', line: 20 } },
    ]);
  });
});

describe('broken policy files: one error at the line', () => {
  it.each([
    ['bad-mac.txt', 'p.txt:19: MACAddress "001DD8B71C" is not a MAC address'],
    ['bad-address.csv', 'p.txt:4: ProviderAddress "172.16.0.300" is not an IPv4 or IPv6 address'],
    ['truncated.json', 'p.txt:28: the JSON ends too early (a cut-off file?)'],
    ['unknown-shape.xml', 'p.txt:1: not a PowerShell export this reads: expected Format-List (Name : value lines), Export-Csv, ConvertTo-Json or a table view such as Get-PACAMapping'],
  ])('%s', (name, message) => {
    expect(errorOf(fixture(`broken/${name}`))).toBe(message);
  });
  it('other-cmdlet.txt: a record of no cmdlet the policy is read from', () => {
    expect(errorOf(fixture('broken/other-cmdlet.txt'))).toMatch(/^p\.txt:3: a record of no cmdlet this reads: Get-NetVirtualizationLookupRecord \(/);
  });
});

const RECORD = 'CustomerAddress : 10.1.0.2\nVirtualSubnetID : 8793502\nProviderAddress : 172.16.0.2\n';
const read = (text: string): Policy => parsePolicy(utf8(text), 'p.txt');

describe('values', () => {
  it.each([
    ['001dd8b71c02', 0x001dd8b71c02],
    ['00-1D-D8-B7-1C-02', 0x001dd8b71c02],
    ['00:1d:d8:b7:1c:02', 0x001dd8b71c02],
  ])('MAC %s', (text, mac) => {
    expect(read(`${RECORD}MACAddress : ${text}\n`).lookup[0].mac).toBe(mac);
  });
  it('refuses a MAC with mixed separators, at its line', () => {
    expect(textError(`${RECORD}MACAddress : 00-1d:d8-b7-1c-02\n`)).toBe('p.txt:4: MACAddress "00-1d:d8-b7-1c-02" is not a MAC address');
  });
  it('IPv6 CA and PA, as the wire keys them', () => {
    const p = read('CustomerAddress : 2001:db8:ba::2\nVirtualSubnetID : 5001\nProviderAddress : fe80::1\n').lookup[0];
    expect([p.ca, p.pa]).toEqual(['v6:20010db800ba00000000000000000002', 'v6:fe800000000000000000000000000001']);
  });
  it('Rule and Type as names in any case, or as the CIM numbers', () => {
    const r = read(`${RECORD}Rule : translationmethodnat\nType : 41\n`).lookup[0];
    expect([r.rule, r.type]).toEqual(['TranslationMethodNat', 'L2Only']);
    expect(textError(`${RECORD}Rule : 1\n`)).toBe(
      'p.txt:4: Rule "1" is not a rule: TranslationMethodEncap (36), TranslationMethodNat (35) or TranslationMethodNone (37)',
    );
  });
  it('Unusable and Unsynchronized: True / False, false when absent', () => {
    expect(read(`${RECORD}Unusable : True\n`).lookup[0]).toMatchObject({ unusable: true, unsynchronized: false });
    expect(textError(`${RECORD}Unsynchronized : yes\n`)).toBe('p.txt:4: Unsynchronized "yes" is not True or False');
  });
  it('a VSID past 24 bits, an empty required value', () => {
    expect(textError('CustomerAddress : 10.1.0.2\nVirtualSubnetID : 16777216\nProviderAddress : 172.16.0.2\n')).toBe(
      'p.txt:2: VirtualSubnetID "16777216" is not a virtual subnet ID (0 to 16777215)',
    );
    expect(textError('CustomerAddress : \nVirtualSubnetID : 1\nProviderAddress : 172.16.0.2\n')).toBe(
      'p.txt:1: CustomerAddress is empty: expected an IPv4 or IPv6 address',
    );
  });
});

describe('shapes', () => {
  it('list: a value wrapped onto lines indented to its column is joined, cut after a space or anywhere', () => {
    expect(read(`${RECORD}Context         : across \n                  hosts\n`).lookup[0].context).toBe('across hosts');
    expect(read(`${RECORD}Context         : acr\n                  oss hosts\n`).lookup[0].context).toBe('across hosts');
    expect(read(`${RECORD}Context         : across\n                   hosts\n`).lookup[0].context).toBe('across hosts');
  });
  it('list: a property twice in one block, a line that is no property', () => {
    expect(textError(`${RECORD}CustomerAddress : 10.1.0.3\n`)).toBe('p.txt:4: CustomerAddress given twice in one block (is a blank line missing between two records?)');
    expect(textError(`${RECORD}oops\n`)).toBe('p.txt:4: not a \'Name : value\' line of a Format-List block: "oops"');
  });
  it('csv: an unclosed quote and a short record, at their lines', () => {
    const head = '"CustomerAddress","VirtualSubnetID","ProviderAddress"\n';
    expect(textError(`${head}"10.1.0.2","1","172.16.0.2"\n"10.1.0.3","1,"172.16.0.3"\n`)).toMatch(/^p\.txt:3: CSV: /);
    expect(textError(`${head}"10.1.0.2","1"\n`)).toBe('p.txt:2: CSV: invalid record length: expect 3, got 2');
  });
  it('csv: ConvertTo-Csv -UseQuotes Never (PowerShell 7)', () => {
    expect(read('CustomerAddress,VirtualSubnetID,ProviderAddress\n10.1.0.2,8793502,172.16.0.2\n').lookup[0]).toMatchObject({ vsid: 8793502, source: { line: 2 } });
  });
  it('json: an object where a value should be, a record that is no object', () => {
    expect(textError('{"CustomerAddress": {"a": 1}, "VirtualSubnetID": 1, "ProviderAddress": "1.2.3.4"}')).toBe(
      'p.txt:1: CustomerAddress a JSON object is not an IPv4 or IPv6 address',
    );
    expect(textError('[\n  {"CustomerAddress": "10.1.0.2", "VirtualSubnetID": 1, "ProviderAddress": "1.2.3.4"},\n  7\n]')).toBe(
      'p.txt:3: a JSON number where ConvertTo-Json writes one object per record',
    );
    expect(textError('[\n  {"CustomerAddress": "10.1.0.2",, }\n]')).toBe('p.txt:2: JSON: property name expected');
  });
  it('table: a value running into the next column', () => {
    const table = 'CA IP Address CA MAC Address    Virtual Subnet ID PA IP Address\n------------- --------------    ----------------- -------------\n';
    expect(read(`${table}10.1.0.2      00-1D-D8-B7-1C-02           8793502 172.16.0.2\n`).lookup).toHaveLength(1);
    expect(textError(`${table}10.1.0.2      00-1D-D8-B7-1C-02-0011111111793502 172.16.0.2\n`)).toBe(
      'p.txt:3: not a row of the table: the "ca mac address" column runs into the next one',
    );
  });
  it('an empty file, and one of blank lines, is an error: no policy records', () => {
    expect(textError('')).toBe('p.txt:1: an empty file: no policy records');
    expect(textError('\r\n\r\n')).toBe('p.txt:1: an empty file: no policy records');
    expect(textError('[]')).toBe('p.txt:1: no policy records in this file (an empty export?)');
  });
});

describe('encodings', () => {
  const le = (s: string): Uint8Array => Uint8Array.from([0xff, 0xfe, ...Buffer.from(s, 'utf16le')]);
  it('UTF-16LE cut in the middle of a character', () => {
    const b = le(RECORD);
    expect(errorOf(b.subarray(0, b.length - 1))).toBe('p.txt:3: UTF-16LE text cut in the middle of a character');
  });
  it('UTF-16 without its byte order mark', () => {
    expect(errorOf(Buffer.from(RECORD, 'utf16le'))).toBe('p.txt:1: a NUL character: UTF-16 text without its byte order mark, or not text at all');
  });
  it('UTF-32 is refused at once', () => {
    expect(errorOf(Uint8Array.from([0xff, 0xfe, 0, 0, 0x43, 0, 0, 0]))).toMatch(/^p\.txt:1: UTF-32 text is not read/);
  });
  it('not UTF-8 and no mark: Windows-1252, as Windows PowerShell 5.1 reads it', () => {
    const b = Uint8Array.from([...utf8(`${RECORD}VMName          : B`), 0xfc, ...utf8('ro\r\n')]);
    expect(parsePolicy(b, 'p.txt').lookup[0].vmName).toBe('Büro');
  });
  it('bytes that are not UTF-8 after a UTF-8 mark, at their line', () => {
    const b = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(`${RECORD}VMName : B`), 0xfc, ...utf8('ro\n')]);
    expect(errorOf(b)).toBe('p.txt:4: bytes that are not UTF-8, in a file that begins with the UTF-8 byte order mark');
  });
});

describe('records cut short', () => {
  it('a list block without its ProviderAddress: the record and what it lacks', () => {
    expect(textError('CustomerAddress : 10.1.0.2\nVirtualSubnetID : 8793502\n')).toBe(
      'p.txt:1: a Get-NetVirtualizationLookupRecord record without ProviderAddress (is the file cut short, or were properties left out?)',
    );
    expect(textError('CA IP Address\n-------------\n10.1.0.2\n')).toBe(
      "p.txt:3: a Get-PACAMapping record without 'Virtual Subnet ID', 'PA IP Address' (is the file cut short, or were properties left out?)",
    );
  });
  it('csv: blank lines before the #TYPE line', () => {
    const csv = '\r\n#TYPE Microsoft.Management.Infrastructure.CimInstance#x\r\n"CustomerAddress","VirtualSubnetID","ProviderAddress"\r\n"10.1.0.2","8793502","172.16.0.2"\r\n';
    expect(read(csv).lookup[0]).toMatchObject({ vsid: 8793502, source: { line: 4 } });
  });
});

describe('addPolicy', () => {
  it('adds all of a file or none of it', () => {
    const policy = parsePolicy(fixture('seed-agree.txt'), 'a.txt');
    expect(() => addPolicy(policy, fixture('broken/bad-mac.txt'), 'b.txt')).toThrow(PolicyError);
    expect(policy.lookup.map((r) => r.source)).toEqual([
      { file: 'a.txt', line: 3 },
      { file: 'a.txt', line: 17 },
    ]);
    addPolicy(policy, fixture('seed-routes.csv'), 'r.csv');
    expect([policy.lookup.length, policy.routes.length, policy.providers.length]).toEqual([2, 2, 0]);
  });
});
