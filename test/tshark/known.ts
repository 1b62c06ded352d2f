import { FIELD_DEFS } from '../../src/decode/registry.js';

// Where our fields and decoding differ from tshark 4.0's on purpose. The field by field comparison
// (agreement.test.ts) checks each difference is still there; -G fields (glossary.test.ts) and the
// -T ek comparison (ek.test.ts) leave them out.

/**
 * Our fields tshark 4.0.17 does not have, and why: the recordings hold every other field we define
 * (record.sh asks for all), so a field added to a decoder fails here until it is recorded or listed.
 */
export const NOT_IN_TSHARK: Record<string, string> = {
  'nvgre.vsid': 'tshark has no NVGRE dissector: checked against gre.key >> 8 instead',
  'nvgre.flow_id': 'tshark has no NVGRE dissector: checked against gre.key & 0xff instead',
  // Not from the packet: names a --policy gives (src/analyze/names.ts), which no capture carries.
  'nvgre.vm_src': 'a VM name from --policy, not a header field',
  'nvgre.vm_dst': 'a VM name from --policy, not a header field',
  'nvgre.rdid': 'a routing domain from --policy, not a header field',
  'ieee8021ad.etype': 'tshark shows the type after an 802.1ad tag with no field of its own',
  'ip.options': 'tshark has fields per option (ip.opt.type, ip.opt.len ...), none for the option bytes',
  'tcp.options.sack_perm': 'tshark marks the option as tcp.option_kind 4, with no field of its own',
  'ip.fragment.first_frame': 'tshark names the datagram by the frame that completes it (ip.reassembled_in, a second pass); one pass can name only its first fragment',
  'ipv6.fragment.first_frame': 'as ip.fragment.first_frame, over IPv6',
  // An ETW trace's metadata: tshark 4.0 reads no .etl (its etwdump extcap runs on Windows only).
  ...Object.fromEntries(
    [...FIELD_DEFS.keys()].filter((k) => k.startsWith('pktmon.') || k.startsWith('ndis.')).map((k) => [k, 'metadata of an ETW trace, which tshark 4.0 does not read']),
  ),
};

/**
 * Known differences of one capture, by tshark's frame numbers (0 is the frame count); `fields:
 * 'any'` covers a whole frame.
 */
export interface Known {
  frames: readonly number[];
  fields: readonly string[] | 'any';
  why: string;
}

const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
const ICMP_TIMESTAMP = "ICMP echo data that begins with the sender's time: tshark shows those 8 bytes as icmp.data_time, we leave them in data";

/**
 * Where we differ from tshark on purpose, and why, by capture. The test also checks that each of
 * these still differs in each frame named and each field named, so this list cannot go stale.
 */
export const DIFFERENT_ON_PURPOSE: Record<string, readonly Known[]> = {
  'lengths.pcap': [
    { frames: [3], fields: ['ip.version'], why: 'IPv4 header cut at 12 bytes: we do not half-decode it; tshark shows the version it read (0)' },
    { frames: [4], fields: 'any', why: 'IPv4 header with version 6: we keep the IPv4 fields we read; tshark decodes it as IPv6' },
    { frames: [5], fields: 'any', why: 'IHL 4: we keep every field of the header we read; tshark shows version and header length only' },
    { frames: [6], fields: 'any', why: 'total length 10 < header: we keep the header and decode on; tshark stops' },
    { frames: [7], fields: ['icmp.checksum.status'], why: 'IPv4 claims 200 bytes, 40 are there: the ICMP checksum stays Unverified; tshark sums what is there' },
    { frames: [9], fields: ['ip.version', 'data.len', 'data.data'], why: 'GRE R bit: we do not decode RFC 1701 routing and show the rest as data; tshark goes on to the payload' },
    { frames: [13], fields: 'any', why: 'TCP data offset 3: we keep flags, ack and checksum status; tshark stops after seq' },
  ],
  'gre-nesting.pcap': [{ frames: [2], fields: 'any', why: 'we stop after 8 nested tunnels (dissect.depth_exceeded); tshark follows all 9' }],
  'snaplen-64.pcap': [{ frames: upTo(8), fields: 'any', why: 'the inner IPv4 header is cut after 8 bytes: we do not half-decode it; tshark shows what it read' }],
  'fragments.pcap': [
    {
      frames: [8],
      fields: 'any',
      why: 'last piece 31 s after the first: we give up after 30 s (ip.reassembly_dropped) and show it as data; tshark has no timeout and reassembles',
    },
    {
      frames: [13],
      fields: 'any',
      why: 'a piece overlapping the first with different bytes: we drop the datagram (ip.fragment_overlap_conflict, as RFC 5722 and Linux do); tshark flags the conflict and keeps the first bytes',
    },
  ],
  'sll-truncated.pcap': [{ frames: [1], fields: 'any', why: 'cooked header cut at 10 of 16 bytes: we do not half-decode it; tshark shows the fields it read' }],
  'truncated-headers.pcap': [
    { frames: [1], fields: 'any', why: 'IPv6 header cut at 20 of 40 bytes: we do not half-decode it; tshark shows next header, payload length and hop limit' },
    { frames: [2], fields: 'any', why: 'routing header cut at 16 of its 24 bytes: we keep the base header only; tshark also shows routing type and segments left' },
    { frames: [3], fields: 'any', why: 'an IPv4 packet labelled 0x86dd: we keep the IPv6 fields we read (ipv6.version); tshark decodes it as IPv4' },
    { frames: [4], fields: ['icmpv6.checksum.status'], why: 'IPv6 payload length 200, 40 bytes there: the ICMPv6 checksum stays Unverified; tshark sums what is there' },
    { frames: [5], fields: 'any', why: '2 bytes of ICMPv6: we do not half-decode a header cut below 4 bytes; tshark shows type and code' },
    { frames: [7], fields: ['vxlan.flags'], why: 'VXLAN header cut at 4 of 8 bytes: we do not half-decode it; tshark shows the flags' },
    { frames: [8], fields: 'any', why: 'ERSPAN type II header cut at 4 of 8 bytes: we do not half-decode it; tshark shows version and session id' },
    { frames: [10], fields: 'any', why: 'Cisco MetaData header cut at 4 of 8 bytes: we do not half-decode it; tshark shows version, length and options' },
  ],
  'bad-checksums.pcap': [
    { frames: [5], fields: ['data.len', 'data.data'], why: 'a retransmitted TCP segment with a bad checksum: tshark hands its payload to nothing (tcp.payload only); we show it as data' },
  ],
  'multi-section.pcapng': [
    { frames: [0], fields: 'any', why: 'a custom block last: tshark counts it as frame 10; it is no packet and we skip it' },
    { frames: [7], fields: ['frame.time_epoch'], why: 'a simple packet block has no time: we show time 0 (1970), tshark none' },
  ],
  'seed-ping-nm1.cap': [{ frames: upTo(8), fields: ['frame.comment'], why: 'version 1.1 records local time with no zone: our comment says so, tshark says nothing' }],
  'seed-ping-nm20.cap': [{ frames: upTo(8), fields: ['frame.comment'], why: 'version 2.0 records local time with no zone: our comment says so, tshark says nothing' }],
  'netmon-special.cap': [
    { frames: [2, 3, 4, 5, 6, 7, 8], fields: ['frame.number'], why: 'tshark leaves out the records it skips (below), so its frame numbers fall behind ours' },
    {
      frames: [1, 6, 7],
      fields: ['frame.comment', 'data.len', 'data.data'],
      why: "Network Monitor's own records (filter, NetEvent, network info): our comment says what they are and the record is data; tshark decodes them as netmon_* protocols",
    },
    { frames: [2], fields: ['frame.comment'], why: 'the frame comment (Network Monitor title and description): tshark shows it in its netmon_header protocol, not as frame.comment' },
    { frames: [8], fields: ['frame.comment', 'data.len', 'data.data'], why: 'a Token Ring frame: we show it as data with a comment that says so; tshark decodes Token Ring and LLC' },
  ],
  // Public captures.
  'neighbour_gre-ipv4-plain_zeek_gre-sample': [{ frames: upTo(8), fields: ['data.len', 'data.data'], why: ICMP_TIMESTAMP }],
  neighbour_vxlan_tcpdump_vxlan: [{ frames: [1, 4, 5, 6, 7, 8, 9, 10], fields: ['data.len', 'data.data'], why: ICMP_TIMESTAMP }],
  'neighbour_gre-teb-nokey_suricata-verify_bug-2576-01_temp6': [
    { frames: [6, 8], fields: ['data.len', 'data.data'], why: 'segments of an HTTP response: tshark keeps their bytes for reassembly (tcp.payload only); we show them as data' },
  ],
};

/** Frames of ours that tshark does not show at all: they are left out before rows and frames are paired. */
export const LEFT_OUT_BY_TSHARK: Record<string, { frames: readonly number[]; why: string }> = {
  'netmon-special.cap': { frames: [2, 8, 9], why: 'Network Monitor network info, DNS cache and payload header records (0xFFFD, 0xFFFE, 0xFFFC): tshark skips them' },
};
