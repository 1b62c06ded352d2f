// -T ek against tshark 4.0's -T ek on every fixture (test/tshark/*.ek.ndjson, recorded by record.sh):
// the same index lines, and the same documents for the fields we decode, key order and nesting
// included. What still differs is listed below with its reason; the test fails if a listed
// difference is no longer seen.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIELD_DEFS } from '../../src/decode/registry.js';
import { ROOT, runCli } from '../cli/spawn.js';
import { ekDifferences } from './ek-diff.js';
import { DIFFERENT_ON_PURPOSE, LEFT_OUT_BY_TSHARK } from './known.js';

const fixtures = readdirSync(`${ROOT}fixtures`).filter((f) => /\.(pcap|pcapng|cap|gz)$/.test(f));

interface Listed {
  /** The differences (ek-diff.ts's lines) this covers. */
  what: RegExp;
  /** Only in these captures (all when absent), and only in these of tshark's frames (all when absent). */
  captures?: readonly string[];
  frames?: readonly number[];
  why: string;
}

/** tshark protocols we have no decoder for, that it found in our fixtures' payloads. */
const THEIRS_ONLY = 'dns|llmnr|nbss|http|echo|raw|user_dlt|tr|llc|netmon_(?:filter|header|event|network_info)';

const LISTED: readonly Listed[] = [
  { what: /^extra layers(\/icmpv6|\/icmp)?\/nvgre$/, why: 'tshark has no NVGRE dissector: our nvgre object (vsid, flow_id) is ours alone' },
  { what: /^value layers\/frame\/frame_frame_protocols$/, why: 'frame.protocols names our layers (nvgre; no ethertype or data pseudo-layers), as -T fields and the README say' },
  {
    what: /^missing layers(\/\w+)*\/_ws_(expert|malformed|short)$/,
    why: "tshark's expert items (_ws_expert, _ws_malformed, _ws_short): our problems are warnings with stable codes, in the tree and --json",
  },
  {
    what: new RegExp(`^missing layers/(${THEIRS_ONLY})$`),
    why: 'a protocol we have no decoder for (DNS, LLMNR, NetBIOS, HTTP, Echo, Token Ring, LLC, a user DLT, Network Monitor records), or a link layer with no fields (raw IP): we show its bytes as data',
  },
  { what: /^extra layers\/data$/, captures: ['bad-checksums.pcap', 'lengths.pcap', 'tenant-mix.pcap', 'nvgre-ipv6.pcap', 'multi-section.pcapng', 'unknown-linktype.pcap', 'netmon-special.cap'], why: 'the bytes of those protocols, as data' },
  {
    what: /^missing layers\/(\w+\/)*eth_eth_(dst|src|addr)_(resolved|oui|oui_resolved)$/,
    why: "tshark's name resolution (manufacturer names, OUIs): we resolve no names, as tshark -n",
  },
  {
    what: /^missing layers\/(\w+\/)*(eth_eth_addr|eth_eth_(dst_|src_)?(lg|ig)|ip_ip_(addr|host|src_host|dst_host)|ipv6_ipv6_(addr|host|src_host|dst_host)|tcp_tcp_port|udp_udp_port)$/,
    why: "tshark's either-way fields (eth.addr, ip.addr, tcp.port ...) and address bits: -Y has them (filter), our layers keep each address once",
  },
  { what: /^missing layers\/(\w+\/)*ipv6_ip_version$/, why: "tshark's IPv6 dissector also sets ip.version, so that ip.version == 6 matches; ours is ipv6.version only" },
  {
    what: /^missing layers\/(\w+\/)*(ip_ip_dsfield_(dscp|ecn)|ipv6_ipv6_tclass_(dscp|ecn)|ip_ip_checksum_calculated|tcp_tcp_checksum_calculated|udp_udp_checksum_calculated|icmp_icmp_(ident|seq)_le|gre_gre_flags_(strict_source_route|recursion_control|reserved)|sll_sll_unused|vxlan_vxlan_(flag_[adgi]|flags_reserved|gbp|reserved8))$/,
    why: 'parts of a field we keep whole (DSCP and ECN of dsfield, the GRE and VXLAN flag bits, little-endian ICMP ids) and the checksum tshark computed: we show only whether it is right (checksum.status)',
  },
  {
    what: /^missing layers\/(\w+\/)*(tcp_tcp_(stream|completeness|seq|nxtseq|ack|analysis\w*|time_\w+|window_size|window_size_scalefactor|flags_\w+|payload|options|option_kind|option_len)|tcp_options_mss|udp_udp_(stream|time_\w+|payload)|icmp_icmp_(resp_to|resptime)|icmpv6_icmpv6_(resp_to|resptime)|text)$/,
    why: "tshark's conversation analysis (streams, relative sequence numbers, RTTs, response times), its flag-by-flag TCP items, option labels and payload copies: we decode one packet at a time",
  },
  {
    what: /^missing layers\/(\w+\/)*(icmpv6_icmpv6_(nd_\w+|opt\w*|reserved|mtu)|ipv6_ipv6_(src_)?slaac_mac|ipv6_ipv6_opt\w*|ipv6_(hopopts|dstopts|routing|fraghdr)_ipv6_\w+_(reserved_bits|reserved_octet|srh_\w+)|erspan_erspan_(ft|gra|hw|p|platid|pid3_\w+|reserved)|gre_gre_(offset|routing\w*)|eth_eth_(fcs|fcs_status|trailer|padding))$/,
    why: 'fields we do not decode: ICMPv6 neighbour discovery flags and options, IPv6 option TLVs, ERSPAN type III platform fields, the GRE offset and routing, Ethernet FCS, trailer and padding',
  },
  {
    what: /^missing layers\/ip(v6)?\/ip(v6)?_ip(v6)?_(fragments|reassembled_data)$/,
    captures: ['fragments.pcap', 'lengths.pcap'],
    why: "tshark's list item of the fragments and the reassembled bytes: ours are ip.fragment, ip.fragment.count and ip.reassembled.length",
  },
  { what: /^missing layers\/ip\/ip_ip_fragment_overlap$/, captures: ['fragments.pcap'], why: 'tshark marks an overlapping piece on the frame that completes the datagram; we mark the piece itself (ip.fragment_overlap warning)' },
  {
    what: /^(extra layers\/(gre|icmp|ip)|missing layers\/data|shape layers\/(eth|ip))$/,
    captures: ['fragments.pcap', 'lengths.pcap'],
    frames: [1, 3, 7, 10, 12, 17],
    why: 'a first fragment: we decode what it holds (GRE, NVGRE, the tenant); tshark shows it as data until the datagram is complete (README, Reassembly)',
  },
  {
    what: /^(missing|value) layers\/frame\/frame_frame_encap_type$/,
    captures: ['netmon-special.cap'],
    frames: [1, 2, 6, 7, 8],
    why: "wiretap's own encapsulations for Network Monitor's records (filter, NetEvent, network info, a frame with a title header) and Token Ring: ours are no packet, Ethernet, or a medium we do not decode",
  },
  {
    what: /^value layers\/frame\/frame_frame_time_delta(_displayed)?$/,
    captures: ['netmon-special.cap'],
    frames: [2, 7],
    why: 'tshark skips the records left out (known.ts), so its time delta counts from the record before them',
  },
  { what: /^missing layers\/frame\/frame_frame_drop_count$/, captures: ['multi-section.pcapng'], why: 'the enhanced packet block drop count option (epb_dropcount): we do not read it' },
  {
    what: /^(extra layers\/frame\/frame_frame_(time|offset_shift|time_epoch|time_delta|time_delta_displayed|time_relative)|value timestamp)$/,
    captures: ['multi-section.pcapng'],
    frames: [7],
    why: 'a simple packet block has no time: we show time 0 (1970), tshark none',
  },
  { what: /^extra layers\/(eth|null|icmp)$/, captures: ['lengths.pcap', 'null-truncated.pcap'], why: 'a header cut short: we write its layer with what we read, tshark a _ws_malformed item' },
  { what: /^missing layers\/icmp\/icmp_icmp_(unused|mtu)$/, captures: ['mtu.pcap'], why: "ICMP's unused bytes and next-hop MTU in fragmentation needed: we do not decode them (--stats counts the message)" },
  { what: /^extra layers\/icmp\/eth$/, captures: ['mtu.pcap'], frames: [5], why: 'an ICMP error quoting an NVGRE datagram up to its GRE key: we write the tenant Ethernet layer with no bytes read, tshark stops at GRE' },
  {
    what: /^(extra layers\/pktmon|missing layers\/frame\/frame_frame_(interface_description|p2p_dir|packet_id|verdict|verdict_ebpf_xdp|packet_flags\w*))$/,
    captures: ['pktmon-seed.etl2pcapng.pcapng'],
    why: "etl2pcapng's options: we show the packet id and verdict as the pktmon layer (as from the .etl); tshark as frame fields, with the interface description and the packet flags we do not show",
  },
  { what: /^shape layers\/ip$/, captures: ['lengths.pcap'], frames: [9], why: 'GRE R bit: we do not decode RFC 1701 routing and show the rest as data; tshark goes on to the payload (as in agreement.test.ts)' },
];

type Doc = { timestamp: string; layers: { frame: { frame_frame_number: string } } };
const underscored = (s: string): string => s.replaceAll('.', '_');
/** A field's -T ek key: data.len is data_data_len, ipv6.hopopts.nxt ipv6_hopopts_ipv6_hopopts_nxt. */
const ekKey = (field: string): string => `${underscored(FIELD_DEFS.get(field)?.proto ?? field.split('.')[0])}_${underscored(field)}`;

/** Differences of one capture, each as `line` with its tshark frame number; known.ts's frames and fields left out. */
async function differences(capture: string): Promise<{ frame: number; line: string }[]> {
  const lines = (text: string): unknown[] => text.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
  const theirs = lines(readFileSync(`${ROOT}test/tshark/${capture}.ek.ndjson`, 'utf8'));
  const r = await runCli(['-T', 'ek', `fixtures/${capture}`], { env: { TZ: 'UTC' } });
  expect(r.code).toBe(0);
  const all = lines(r.stdout);
  const leftOut = LEFT_OUT_BY_TSHARK[capture]?.frames ?? [];
  const ours = all.filter((_, i) => !leftOut.includes(Number((all[i - (i % 2) + 1] as Doc).layers.frame.frame_frame_number)));
  const known = DIFFERENT_ON_PURPOSE[capture] ?? [];
  if (!known.some((k) => k.frames.includes(0))) expect(ours.length, 'frame count').toBe(theirs.length);
  const found: { frame: number; line: string }[] = [];
  for (let i = 0; i * 2 < Math.min(ours.length, theirs.length); i++) {
    const frame = i + 1;
    expect(ours[i * 2], `index line of frame ${frame}`).toEqual(theirs[i * 2]);
    if (known.some((k) => k.frames.includes(frame) && k.fields === 'any')) continue;
    const fields = known.filter((k) => k.frames.includes(frame) && k.fields !== 'any').flatMap((k) => k.fields as readonly string[]);
    const keys = fields.map((f) => (f === 'frame.comment' ? 'pkt_comment' : ekKey(f)));
    for (const line of ekDifferences(ours[i * 2 + 1] as never, theirs[i * 2 + 1] as never)) {
      if (!keys.some((k) => line.split(/[ /]/).includes(k))) found.push({ frame, line });
    }
  }
  return found;
}

describe('-T ek agrees with tshark -T ek on every fixture, document by document', () => {
  const seen = new Map<Listed, number>();
  it('has a recording of every fixture', () => {
    const recorded = readdirSync(`${ROOT}test/tshark`).filter((f) => f.endsWith('.ek.ndjson')).map((f) => f.replace('.ek.ndjson', ''));
    expect(recorded.sort()).toEqual([...fixtures].sort());
  });

  for (const capture of fixtures) {
    it(capture, async () => {
      const unexplained: string[] = [];
      for (const d of await differences(capture)) {
        const rule = LISTED.find((l) => l.what.test(d.line) && (l.captures?.includes(capture) ?? true) && (l.frames?.includes(d.frame) ?? true));
        if (rule === undefined) unexplained.push(`frame ${d.frame}: ${d.line}`);
        else seen.set(rule, (seen.get(rule) ?? 0) + 1);
      }
      expect(unexplained).toEqual([]);
    });
  }

  it('every listed difference is still seen (a fixed one must leave the list)', () => {
    expect(LISTED.filter((l) => !seen.has(l)).map((l) => l.why)).toEqual([]);
  });
});
