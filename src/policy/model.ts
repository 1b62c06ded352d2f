import type { AddressKey } from '../analyze/address.js';

/**
 * The policy a Hyper-V host was given, as read from PowerShell exports. Addresses and MACs use the
 * keys the wire's analyzers use (src/analyze/address.ts), so the two compare with `===`.
 */

/** Where a policy entry was read: the file as the user named it and the line (1-based) it starts on. */
export interface PolicySource {
  file: string;
  line: number;
}

/** One `Get-NetVirtualizationLookupRecord` row, or one `Get-PACAMapping` row (then most fields are null). */
export interface PolicyLookupRecord {
  ca: AddressKey;
  vsid: number;
  /** 48-bit MAC as a number; null when the export has none. */
  mac: number | null;
  pa: AddressKey;
  /** The customer's GUID as written (braces kept), or null. */
  customerId: string | null;
  context: string | null;
  /** TranslationMethodEncap (NVGRE), TranslationMethodNat, TranslationMethodNone; null when absent. */
  rule: string | null;
  vmName: string | null;
  useVmMac: boolean | null;
  /** Static, Dynamic, GatewayWildcard, L2Only; null when absent. */
  type: string | null;
  unusable: boolean;
  unsynchronized: boolean;
  source: PolicySource;
}

/** One `Get-NetVirtualizationCustomerRoute` row: a VSID's routing domain and a prefix's next hop. */
export interface PolicyCustomerRoute {
  /** The routing domain's GUID as written. */
  rdid: string;
  vsid: number;
  /** The prefix as [network address key, prefix length]. */
  prefix: [AddressKey, number];
  nextHop: AddressKey;
  metric: number | null;
  source: PolicySource;
}

/** One `Get-NetVirtualizationProviderAddress` row. */
export interface PolicyProviderAddress {
  pa: AddressKey;
  ifIndex: number | null;
  prefixLength: number | null;
  vlanId: number | null;
  state: string | null;
  mac: number | null;
  source: PolicySource;
}

/** Every record read from every `--policy` file, in the order read. */
export interface Policy {
  lookup: PolicyLookupRecord[];
  routes: PolicyCustomerRoute[];
  providers: PolicyProviderAddress[];
}
