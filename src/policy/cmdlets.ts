import { type AddressKey, addressKey } from '../analyze/address.js';
import { PolicyError } from './errors.js';
import type { Policy, PolicyCustomerRoute, PolicyLookupRecord, PolicyProviderAddress, PolicySource } from './model.js';
import type { Cell, Row } from './row.js';
import { ADDRESS_STATES, parseBoolean, parseCount, parseEnum, parseMac, parsePrefix, RECORD_TYPES, RULES } from './values.js';

/**
 * Which cmdlet wrote a record, told by its properties (NetWNV's MSFT_NetVirtualization*SettingData
 * classes on Microsoft Learn, and Get-PACAMapping's columns), and the record it gives. Each
 * record is told apart on its own, so a file may hold the output of several cmdlets.
 */
export const CMDLETS = {
  lookup: 'Get-NetVirtualizationLookupRecord',
  paca: 'Get-PACAMapping',
  route: 'Get-NetVirtualizationCustomerRoute',
  provider: 'Get-NetVirtualizationProviderAddress',
} as const;

export type CmdletKind = keyof typeof CMDLETS;

/** The properties without which a cmdlet's record cannot be used (the first one tells the cmdlet, but for provider addresses). */
const REQUIRED: Record<CmdletKind, readonly string[]> = {
  lookup: ['CustomerAddress', 'VirtualSubnetID', 'ProviderAddress'],
  paca: ['CA IP Address', 'Virtual Subnet ID', 'PA IP Address'],
  route: ['RoutingDomainID', 'VirtualSubnetID', 'DestinationPrefix', 'NextHop'],
  provider: ['ProviderAddress'],
};

/** The cmdlet whose output a record is, or null: from a property only that cmdlet's records have. */
export function cmdletOf(row: Row): CmdletKind | null {
  const has = (name: string): boolean => row.cells.has(name.toLowerCase());
  if (has('CustomerAddress')) return 'lookup';
  if (has('CA IP Address')) return 'paca';
  if (has('RoutingDomainID') || has('DestinationPrefix')) return 'route';
  if (has('ProviderAddress') && (has('InterfaceIndex') || has('PrefixLength') || has('AddressState'))) return 'provider';
  return null;
}

const UNKNOWN =
  'a record of no cmdlet this reads: Get-NetVirtualizationLookupRecord (CustomerAddress, VirtualSubnetID, ProviderAddress), ' +
  "Get-PACAMapping ('CA IP Address', 'Virtual Subnet ID', 'PA IP Address'), Get-NetVirtualizationCustomerRoute " +
  '(RoutingDomainID, DestinationPrefix) or Get-NetVirtualizationProviderAddress (ProviderAddress, InterfaceIndex)';

/** Adds each row's record to the policy; the first value that cannot be read throws. */
export function addRows(policy: Policy, rows: readonly Row[], file: string): void {
  for (const row of rows) {
    const kind = cmdletOf(row);
    if (kind === null) throw new PolicyError(file, row.line, UNKNOWN);
    const missing = REQUIRED[kind].filter((name) => !row.cells.has(name.toLowerCase()));
    if (missing.length > 0) {
      const what = missing.map((m) => (m.includes(' ') ? `'${m}'` : m)).join(', ');
      throw new PolicyError(file, row.line, `a ${CMDLETS[kind]} record without ${what} (is the file cut short, or were properties left out?)`);
    }
    const r = new Reader(row, file);
    if (kind === 'lookup' || kind === 'paca') policy.lookup.push(kind === 'lookup' ? lookupRecord(r) : pacaRecord(r));
    else if (kind === 'route') policy.routes.push(customerRoute(r));
    else policy.providers.push(providerAddress(r));
  }
}

const MAX_VSID = 0xffffff; // MaxValue of VirtualSubnetID: 24 bits, the NVGRE key's VSID

function lookupRecord(r: Reader): PolicyLookupRecord {
  return {
    ca: r.need('CustomerAddress', address, 'an IPv4 or IPv6 address'),
    vsid: r.need('VirtualSubnetID', vsid, 'a virtual subnet ID (0 to 16777215)'),
    mac: r.may('MACAddress', mac, 'a MAC address'),
    pa: r.need('ProviderAddress', address, 'an IPv4 or IPv6 address'),
    customerId: r.may('CustomerID', text, 'text'),
    context: r.may('Context', text, 'text'),
    rule: r.may('Rule', (v) => enumOf(v, RULES), 'a rule: TranslationMethodEncap (36), TranslationMethodNat (35) or TranslationMethodNone (37)'),
    vmName: r.may('VMName', text, 'text'),
    useVmMac: r.may('UseVmMACAddress', parseBoolean, 'True or False'),
    type: r.may('Type', (v) => enumOf(v, RECORD_TYPES), 'a type: Static (35), Dynamic (36), GatewayWildcard (37) or L2Only (41)'),
    unusable: r.may('Unusable', parseBoolean, 'True or False') ?? false,
    unsynchronized: r.may('Unsynchronized', parseBoolean, 'True or False') ?? false,
    source: r.source,
  };
}

/** Get-PACAMapping's row: the mapping alone, none of the NetWNV record's other properties. */
function pacaRecord(r: Reader): PolicyLookupRecord {
  return {
    ca: r.need('CA IP Address', address, 'an IPv4 or IPv6 address'),
    vsid: r.need('Virtual Subnet ID', vsid, 'a virtual subnet ID (0 to 16777215)'),
    mac: r.may('CA MAC Address', mac, 'a MAC address'),
    pa: r.need('PA IP Address', address, 'an IPv4 or IPv6 address'),
    customerId: null,
    context: null,
    rule: null,
    vmName: null,
    useVmMac: null,
    type: null,
    unusable: false,
    unsynchronized: false,
    source: r.source,
  };
}

function customerRoute(r: Reader): PolicyCustomerRoute {
  return {
    rdid: r.need('RoutingDomainID', text, 'a routing domain GUID'),
    vsid: r.need('VirtualSubnetID', vsid, 'a virtual subnet ID (0 to 16777215)'),
    prefix: r.need('DestinationPrefix', (v) => (typeof v === 'string' ? parsePrefix(v) : null), 'a prefix such as 10.1.0.0/16'),
    nextHop: r.need('NextHop', address, 'an IPv4 or IPv6 address'),
    metric: r.may('Metric', (v) => count(v, 0xffffffff), 'a metric (a whole number)'),
    source: r.source,
  };
}

function providerAddress(r: Reader): PolicyProviderAddress {
  return {
    pa: r.need('ProviderAddress', address, 'an IPv4 or IPv6 address'),
    ifIndex: r.may('InterfaceIndex', (v) => count(v, 0xffffffff), 'an interface index'),
    prefixLength: r.may('PrefixLength', (v) => count(v, 128), 'a prefix length (0 to 128)'),
    vlanId: r.may('VlanID', (v) => count(v, 4095), 'a VLAN ID (0 to 4095)'),
    state: r.may('AddressState', (v) => enumOf(v, ADDRESS_STATES), 'an address state: Preferred (4), Tentative (1), Duplicate (2), Deprecated (3) or Invalid (0)'),
    mac: r.may('MACAddress', mac, 'a MAC address'),
    source: r.source,
  };
}

type Value = string | number | boolean;

const address = (v: Value): AddressKey | null => (typeof v === 'string' ? addressKey(v) : null);
const mac = (v: Value): number | null => (typeof v === 'string' ? parseMac(v) : null);
const text = (v: Value): string | null => (typeof v === 'string' ? v : null);
const count = (v: Value, max: number): number | null => (typeof v === 'boolean' ? null : parseCount(v, max));
const enumOf = (v: Value, names: ReadonlyMap<number, string>): string | null => (typeof v === 'boolean' ? null : parseEnum(v, names));
const vsid = (v: Value): number | null => count(v, MAX_VSID);

/** One row's properties, each read with its check; a value that fails it is an error at its line. */
class Reader {
  readonly source: PolicySource;
  constructor(
    private readonly row: Row,
    private readonly file: string,
  ) {
    this.source = { file, line: row.line };
  }

  /** A property's value, or null when it is absent or empty (an empty list value, `""` in CSV, JSON null). */
  may<T>(name: string, parse: (v: Value) => T | null, expected: string): T | null {
    const c = this.row.cells.get(name.toLowerCase());
    if (c === undefined || (!c.nested && (c.value === null || (typeof c.value === 'string' && c.value.trim() === '')))) return null;
    const v = c.nested ? null : parse(typeof c.value === 'string' ? c.value.trim() : (c.value as Value));
    if (v === null) throw this.bad(name, c, expected);
    return v;
  }

  need<T>(name: string, parse: (v: Value) => T | null, expected: string): T {
    const v = this.may(name, parse, expected);
    if (v === null) throw new PolicyError(this.file, this.row.cells.get(name.toLowerCase())?.line ?? this.row.line, `${name} is empty: expected ${expected}`);
    return v;
  }

  private bad(name: string, c: Cell, expected: string): PolicyError {
    const shown = c.nested ? 'a JSON object' : JSON.stringify(c.value);
    return new PolicyError(this.file, c.line, `${name} ${shown} is not ${expected}`);
  }
}
