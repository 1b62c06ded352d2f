// -G fields against tshark 4.0's own rows for the same fields (test/tshark/glossary.tsv, recorded by record.sh).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatFieldList, formatProtocolList } from '../../src/format/glossary.js';
import { ROOT } from '../cli/spawn.js';
import { NOT_IN_TSHARK } from './known.js';

/** `F label name type protocol base bitmask blurb` rows by field name. */
const rows = (text: string): Map<string, string[]> =>
  new Map(
    text
      .split('\n')
      .filter((l) => l.startsWith('F\t'))
      .map((l) => l.split('\t'))
      .map((cells) => [cells[2], cells]),
  );

const theirs = rows(readFileSync(`${ROOT}test/tshark/glossary.tsv`, 'utf8'));
const ours = rows(formatFieldList());

describe('-G fields agrees with tshark -G fields on every field tshark knows', () => {
  it('the same type, protocol, base and bitmask (labels are our tree\'s, so that column is ours)', () => {
    expect(theirs.size).toBeGreaterThan(150);
    const differ = [...theirs].filter(([name, t]) => ours.get(name)?.slice(3, 7).join('\t') !== t.slice(3, 7).join('\t'));
    expect(differ.map(([name, t]) => `${name}: ours ${ours.get(name)?.slice(3, 7).join(' ')}, tshark ${t.slice(3, 7).join(' ')}`)).toEqual([]);
  });

  it('the same description (the last column) as tshark, empty where tshark has none', () => {
    const differ = [...theirs].filter(([name, t]) => (ours.get(name)?.[7] ?? '') !== (t[7] ?? ''));
    expect(differ.map(([name, t]) => `${name}: ours '${ours.get(name)?.[7]}', tshark '${t[7]}'`)).toEqual([]);
    // By hand from tshark 4.0.17 -G fields: two dissectors' wording of one field, and the frame's.
    expect(ours.get('vlan.id')?.[7]).toBe('VLAN ID');
    expect(ours.get('ieee8021ad.id')?.[7]).toBe('Vlan ID');
    expect(ours.get('frame.marked')?.[7]).toBe('Frame is marked in the GUI');
    expect(ours.get('ip.src')?.[7]).toBe('');
  });

  it('spot checks, by hand from tshark 4.0.17: widths, bases, booleans and their bitmasks', () => {
    const cols = (name: string): string => ours.get(name)?.slice(3, 7).join(' ') ?? 'absent';
    expect(cols('ip.ttl')).toBe('FT_UINT8 ip BASE_DEC 0x0');
    expect(cols('ip.id')).toBe('FT_UINT16 ip BASE_HEX_DEC 0x0');
    expect(cols('ip.flags.df')).toBe('FT_BOOLEAN ip 8 0x40');
    expect(cols('ip.frag_offset')).toBe('FT_UINT16 ip BASE_DEC 0x1fff');
    expect(cols('vxlan.vni')).toBe('FT_UINT24 vxlan BASE_DEC 0x0');
    expect(cols('tcp.srcport')).toBe('FT_UINT16 tcp BASE_PT_TCP 0x0');
    expect(cols('ipv6.hopopts.nxt')).toBe('FT_UINT8 ipv6.hopopts BASE_DEC 0x0');
    expect(cols('ip.fragment')).toBe('FT_FRAMENUM ip  0x0');
    expect(cols('data.len')).toBe('FT_INT32 data BASE_DEC 0x0');
    expect(cols('frame.time_epoch')).toBe('FT_RELATIVE_TIME frame  0x0');
  });

  it('the fields tshark does not know are exactly those listed, with why (known.ts)', () => {
    const unknown = [...ours.keys()].filter((name) => !theirs.has(name));
    expect(unknown.sort()).toEqual(Object.keys(NOT_IN_TSHARK).sort());
    // Ours, typed by the bytes they are read from.
    expect(ours.get('nvgre.vsid')?.slice(3, 7).join(' ')).toBe('FT_UINT24 nvgre BASE_DEC_HEX 0x0');
    expect(ours.get('pktmon.pkt_group_id')?.slice(3, 7).join(' ')).toBe('FT_UINT64 pktmon BASE_DEC 0x0');
  });
});

describe('-G protocols agrees with tshark -G protocols (test/tshark/protocols.tsv, recorded by record.sh)', () => {
  const tsharks = readFileSync(`${ROOT}test/tshark/protocols.tsv`, 'utf8').trimEnd().split('\n');
  const lines = formatProtocolList().trimEnd().split('\n');

  it('the same name and short name for every protocol tshark has; ours keep their titles', () => {
    expect(tsharks.length).toBeGreaterThan(15);
    for (const line of tsharks) expect(lines).toContain(line);
    const theirNames = new Set(tsharks.map((l) => l.split('\t')[2]));
    expect(lines.filter((l) => !theirNames.has(l.split('\t')[2]))).toEqual(['PktMon\tPktMon\tpktmon', 'NDIS-PacketCapture\tNDIS-PacketCapture\tndis', 'NVGRE\tNVGRE\tnvgre']);
  });

  it("IPv6's extension headers are listed after IPv6, as tshark names them (by hand from tshark 4.0.17 -G protocols)", () => {
    const at = lines.indexOf('Internet Protocol Version 6\tIPv6\tipv6');
    expect(lines.slice(at + 1, at + 5)).toEqual([
      'IPv6 Hop-by-Hop Option\tIPv6 Hop-by-Hop\tipv6.hopopts',
      'Routing Header for IPv6\tIPv6 Routing\tipv6.routing',
      'Fragment Header for IPv6\tIPv6 Fragment\tipv6.fraghdr',
      'Destination Options for IPv6\tIPv6 Destination\tipv6.dstopts',
    ]);
  });

  it('-G fields files each extension header\'s fields under its own P line, as tshark does', () => {
    const fields = formatFieldList().split('\n');
    const at = fields.indexOf('P\tFragment Header for IPv6\tipv6.fraghdr');
    expect(fields.slice(at + 1, at + 5).map((l) => l.split('\t')[2])).toEqual(['ipv6.fraghdr.nxt', 'ipv6.fraghdr.offset', 'ipv6.fraghdr.more', 'ipv6.fraghdr.ident']);
    expect(fields[at + 5]).toBe('P\tDestination Options for IPv6\tipv6.dstopts');
  });

  it("-G fields' P lines carry tshark's long name, as its own -G fields does", () => {
    const fields = formatFieldList().split('\n');
    expect(fields).toContain('P\tGeneric Routing Encapsulation\tgre');
    expect(fields).toContain('P\tInternet Protocol Version 4\tip');
    expect(fields).toContain('P\tNVGRE\tnvgre');
  });
});
