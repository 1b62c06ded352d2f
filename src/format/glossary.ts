/** -G fields and -G protocols: every protocol and field we decode, in tshark's column layout. */
import { type FieldDef, fieldBase } from '../decode/fields.js';
import type { ProtoId } from '../decode/packet.js';
import { FIELD_DEFS } from '../decode/registry.js';
import { PROTO_TITLES } from './describe.js';
import { FRAME_FIELDS } from './field-values.js';

const protoOf = (def: FieldDef): string => def.proto ?? def.key.slice(0, def.key.indexOf('.'));

const maskText = (mask = 0): string => `0x${mask.toString(16)}`;

/** `F\tlabel\tname\ttype\tprotocol\tbase\tbitmask\tblurb`, each protocol's `P\ttitle\tname` line before its fields. */
export function formatFieldList(): string {
  const lines: string[] = [];
  const byProto = new Map<string, string[]>();
  const add = (proto: string, line: string): void => {
    let list = byProto.get(proto);
    if (list === undefined) byProto.set(proto, (list = []));
    list.push(line);
  };
  for (const f of FRAME_FIELDS) add('frame', `F\t${f.label}\t${f.key}\t${f.type}\tframe\t${f.base}\t0x0\t${f.blurb ?? ''}`);
  for (const def of FIELD_DEFS.values()) {
    const proto = protoOf(def);
    // Filed under its top protocol's P line (ipv6.hopopts.nxt under ipv6), with tshark's protocol column.
    add(proto.split('.')[0], `F\t${def.label}\t${def.key}\t${def.type}\t${proto}\t${fieldBase(def)}\t${maskText(def.mask)}\t${def.blurb ?? ''}`);
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
