// The reader's values, written by hand from the seed setting (fixtures/lib/hnv.ts, /work/shared/seed):
// VM blue-1 10.1.0.2 (00:1d:d8:b7:1c:02, VSID 8793502) on host 172.16.0.2.
import { describe, expect, it } from 'vitest';
import { parsePolicy, PolicyError } from '../../src/policy/read.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

const BLUE_1 = {
  ca: (10 << 24) + (1 << 16) + 2, // 10.1.0.2
  vsid: 8793502,
  mac: 0x001dd8b71c02,
  pa: ((172 << 24) >>> 0) + (16 << 16) + 2, // 172.16.0.2
  customerId: '{5f0b3a44-0c7e-4d2b-9b1a-6a2f3c1d0e01}',
  context: null,
  rule: 'TranslationMethodEncap',
  vmName: 'blue-1',
  useVmMac: false,
  type: 'Static',
  unusable: false,
  unsynchronized: false,
};

function error(text: string): { line: number; message: string } {
  try {
    parsePolicy(utf8(text), 'p.txt');
  } catch (err) {
    if (err instanceof PolicyError) return { line: err.line, message: err.message };
    throw err;
  }
  throw new Error('no error');
}

describe('policy list view', () => {
  it('reads a Get-NetVirtualizationLookupRecord block', () => {
    const text = [
      '',
      '',
      'CustomerAddress : 10.1.0.2',
      'VirtualSubnetID : 8793502',
      'MACAddress      : 001dd8b71c02',
      'ProviderAddress : 172.16.0.2',
      'CustomerID      : {5f0b3a44-0c7e-4d2b-9b1a-6a2f3c1d0e01}',
      'Context         : ',
      'Rule            : TranslationMethodEncap',
      'VMName          : blue-1',
      'UseVmMACAddress : False',
      'Type            : Static',
      '',
    ].join('\r\n');
    expect(parsePolicy(utf8(text), 'p.txt').lookup).toEqual([{ ...BLUE_1, source: { file: 'p.txt', line: 3 } }]);
  });
  it('names the line of a value that is not an address', () => {
    expect(error('CustomerAddress : 10.1.0.x\nVirtualSubnetID : 1\nProviderAddress : 1.2.3.4\n')).toEqual({
      line: 1,
      message: 'CustomerAddress "10.1.0.x" is not an IPv4 or IPv6 address',
    });
  });
});
