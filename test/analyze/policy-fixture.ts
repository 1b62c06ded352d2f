// Policies for fixtures/seed-ping.pcap, written by hand as the PowerShell exports would give them.
import type { Policy, PolicyCustomerRoute, PolicyLookupRecord } from '../../src/policy/model.js';

export const ip = (s: string): number => s.split('.').reduce((a, b) => a * 256 + Number(b), 0) >>> 0;
export const RD_RED = '{11111111-2222-3333-4444-555555555555}';
export const RD_BLUE = '{66666666-7777-8888-9999-000000000000}';

export function record(ca: string, vsid: number, mac: number | null, pa: string, vmName: string | null, line: number, more: Partial<PolicyLookupRecord> = {}): PolicyLookupRecord {
  return {
    ca: ip(ca),
    vsid,
    mac,
    pa: ip(pa),
    customerId: null,
    context: null,
    rule: 'TranslationMethodEncap',
    vmName,
    useVmMac: false,
    type: 'Static',
    unusable: false,
    unsynchronized: false,
    source: { file: 'policy.txt', line },
    ...more,
  };
}

export function route(rdid: string, vsid: number, line: number): PolicyCustomerRoute {
  return { rdid, vsid, prefix: [ip('10.0.0.0'), 8], nextHop: ip('0.0.0.0'), metric: 255, source: { file: 'routes.txt', line } };
}

/** The seed exchange: VM red-1 (10.1.0.2, VSID 8793502) on host 172.16.0.2, red-2 (10.2.0.2, VSID 4020644) on 172.16.0.3. */
const RED_1 = () => record('10.1.0.2', 8793502, 0x001dd8b71c02, '172.16.0.2', 'red-1', 1);
const RED_2 = () => record('10.2.0.2', 4020644, 0x001dd8b71c03, '172.16.0.3', 'red-2', 15);

export const agreeing = (): Policy => ({ lookup: [RED_1(), RED_2()], routes: [route(RD_RED, 8793502, 1), route(RD_RED, 4020644, 2)], providers: [] });
