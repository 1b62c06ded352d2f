import { type AddressKey, addressKey } from '../analyze/address.js';

/**
 * The values of policy exports, from their text: what PowerShell writes for each NetWNV property.
 * Each returns null for text that is not such a value; the caller says where.
 */

/**
 * A MAC address as the cmdlets write it: NetWNV lookup records and provider addresses without
 * separators (`00155D3A5501`, as New-NetVirtualizationLookupRecord takes it), Get-PACAMapping with
 * dashes (`00-15-5D-3A-55-01`), and colons as other tools write them. One separator throughout.
 */
export function parseMac(text: string): number | null {
  if (!/^[0-9a-f]{2}([:-]?)[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i.test(text)) return null;
  return Number.parseInt(text.replace(/[:-]/g, ''), 16);
}

/** A destination prefix (`10.1.0.0/16`, `2001:db8::/64`): the address's key and the length. */
export function parsePrefix(text: string): [AddressKey, number] | null {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (m === null) return null;
  const address = addressKey(m[1]);
  const length = Number(m[2]);
  if (address === null || length > (typeof address === 'number' ? 32 : 128)) return null;
  return [address, length];
}

/** A whole number from 0 to `max`, written in decimal (CSV and list) or as a JSON number. */
export function parseCount(value: string | number, max: number): number | null {
  const n = typeof value === 'number' ? value : /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= max ? n : null;
}

/** A boolean: `True` / `False` in list and CSV text, true / false in JSON. */
export function parseBoolean(value: string | number | boolean): boolean | null {
  if (typeof value === 'boolean') return value;
  const t = String(value).toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : null;
}

/**
 * A CIM enumeration's name from its name (any case) or its number: list and CSV write the name,
 * Windows PowerShell 5.1's ConvertTo-Json the underlying number, PowerShell 7's with
 * -EnumsAsStrings the name again.
 */
export function parseEnum(value: string | number, names: ReadonlyMap<number, string>): string | null {
  const n = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : null;
  if (n !== null) return names.get(n) ?? null;
  const lower = String(value).toLowerCase();
  for (const name of names.values()) if (name.toLowerCase() === lower) return name;
  return null;
}

/**
 * The values of MSFT_NetVirtualizationLookupRecordSettingData's Rule and Type, as the NetWNV
 * provider reference gives them ("MSFT_NetVirtualizationLookupRecordSettingData class", Microsoft
 * Learn, previous-versions/windows/desktop/netwnvprov).
 */
export const RULES: ReadonlyMap<number, string> = new Map([
  [35, 'TranslationMethodNat'],
  [36, 'TranslationMethodEncap'],
  [37, 'TranslationMethodNone'],
]);
export const RECORD_TYPES: ReadonlyMap<number, string> = new Map([
  [35, 'Static'],
  [36, 'Dynamic'],
  [37, 'GatewayWildcard'],
  [41, 'L2Only'],
]);

/**
 * MSFT_NetVirtualizationProviderAddressSettingData's AddressState: the duplicate address
 * detection state, NL_DAD_STATE (Microsoft Learn, "WNV_PROVIDER_ADDRESS_CHANGE_PARAM structure"),
 * named as Get-NetVirtualizationProviderAddress -AddressState takes it.
 */
export const ADDRESS_STATES: ReadonlyMap<number, string> = new Map([
  [0, 'Invalid'],
  [1, 'Tentative'],
  [2, 'Duplicate'],
  [3, 'Deprecated'],
  [4, 'Preferred'],
]);
