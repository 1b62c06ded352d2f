/** -G fields and -G protocols: every protocol and field we decode, in tshark's column layout. */
import type { FieldDef } from '../decode/fields.js';
import type { ProtoId } from '../decode/packet.js';
import { FIELD_DEFS } from '../decode/registry.js';
import { PROTO_TITLES } from './describe.js';
import { FRAME_FIELDS } from './field-values.js';

/**
 * tshark's field type. Our definitions give a width only to hex fields: a decimal one, whose
 * size no definition records, is listed as FT_UINT32 (the widest our decoders set).
 */
function fieldType(def: FieldDef): string {
  switch (def.kind) {
    case 'ipv4':
      return 'FT_IPv4';
    case 'ipv6':
      return 'FT_IPv6';
    case 'mac':
      return 'FT_ETHER';
    case 'bytes':
      return 'FT_BYTES';
    case 'bool':
      return 'FT_BOOLEAN';
    case 'hex':
    case 'dechex': {
      const bits = (def.width ?? 8) * 4;
      return `FT_UINT${bits <= 8 ? 8 : bits <= 16 ? 16 : bits <= 24 ? 24 : 32}`;
    }
    default:
      return 'FT_UINT32';
  }
}

const BASES: Partial<Record<FieldDef['kind'], string>> = { hex: 'BASE_HEX', dechex: 'BASE_DEC_HEX', dec: 'BASE_DEC' };

const protoOf = (key: string): string => key.slice(0, key.indexOf('.'));

/** `F\tlabel\tname\ttype\tprotocol\tbase\tbitmask\tblurb`, each protocol's `P\ttitle\tname` line before its fields. */
export function formatFieldList(): string {
  const lines: string[] = [];
  const byProto = new Map<string, string[]>();
  const add = (proto: string, line: string): void => {
    let list = byProto.get(proto);
    if (list === undefined) byProto.set(proto, (list = []));
    list.push(line);
  };
  for (const f of FRAME_FIELDS) add('frame', `F\t${f.label}\t${f.key}\t${f.type}\tframe\t${f.type === 'FT_UINT32' ? 'BASE_DEC' : ''}\t0x0\t`);
  for (const def of FIELD_DEFS.values()) {
    const proto = protoOf(def.key);
    add(proto, `F\t${def.label}\t${def.key}\t${fieldType(def)}\t${proto}\t${BASES[def.kind] ?? ''}\t0x0\t`);
  }
  for (const [proto, title] of Object.entries(PROTO_TITLES)) {
    lines.push(`P\t${title}\t${proto}`, ...(byProto.get(proto) ?? []));
  }
  return `${lines.join('\n')}\n`;
}

/** `title\tshort name\tname`, as tshark -G protocols. */
export function formatProtocolList(): string {
  return Object.entries(PROTO_TITLES)
    .map(([proto, title]) => `${title}\t${title}\t${proto as ProtoId}\n`)
    .join('');
}
