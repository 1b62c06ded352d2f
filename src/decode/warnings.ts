export type Severity = 'note' | 'warn' | 'error';

/**
 * Every warning code the decoders can raise, with its severity and a one-line meaning. Codes are a
 * public contract (scripts grep for them): add new ones, never rename.
 */
export const WARNINGS = {
  'frame.truncated': ['note', 'The frame was cut by the capture snaplen (captured < on wire): later layers may be incomplete.'],
  'dissect.depth_exceeded': ['error', 'Tunnels nested deeper than the decoder follows (GRE in GRE ...): the rest is shown as data.'],
  'pktmon.drop': ['warn', 'pktmon logged the packet as dropped (event 170): the message names the component, the drop reason and the drop location.'],
  'link.unknown': ['warn', 'The capture link type is not one this tool decodes: the frame is shown as data.'],
  'sll.truncated': ['error', 'Fewer bytes than the Linux cooked-capture header needs.'],
  'null.truncated': ['error', 'Fewer than 4 bytes for the loopback address family.'],
  'eth.truncated': ['error', 'Fewer than 14 bytes for the Ethernet header.'],
  'vlan.truncated': ['error', 'Fewer than 4 bytes for an 802.1Q/802.1ad tag.'],
  'cmd.truncated': ['error', 'Fewer than 8 bytes for the Cisco MetaData header.'],
  'ip.truncated': ['error', 'Fewer bytes than the IPv4 header needs.'],
  'ip.version': ['error', 'The IPv4 version field is not 4.'],
  'ip.ihl_too_small': ['error', 'IPv4 header length below 5 words (20 bytes).'],
  'ip.total_length_too_small': ['error', 'IPv4 total length is smaller than its header.'],
  'ip.total_length_exceeds_capture': ['error', 'IPv4 total length runs past the bytes on the wire.'],
  'ip.checksum_bad': ['error', 'IPv4 header checksum does not match the header.'],
  'ip.checksum_zero': ['note', 'IPv4 header checksum is zero: Bad as captured (as tshark says), but zero is what a sender leaves for NIC offload to fill in past the capture point.'],
  'eth.trailer': ['note', 'Bytes after the IPv4 datagram in an Ethernet frame longer than the 60-byte minimum (padding below it is normal).'],
  'ip.fragment': ['note', 'IPv4 fragment: the first is decoded as far as its bytes go, a later one names the first and carries its VSID; the whole datagram is decoded on the frame that completes it.'],
  'ip.reassembled': ['note', 'This frame completed a fragmented IPv4/IPv6 datagram: the layers after it are decoded from the whole datagram.'],
  'ip.reassembly_dropped': ['warn', 'Fragments given up on: incomplete after 30 s of capture time, beyond the pending bounds (datagrams, bytes, fragments), past 65535 bytes, or ends that disagree.'],
  'ip.fragment_overlap': ['note', 'This IPv4/IPv6 fragment repeats bytes already received from its datagram, the same bytes.'],
  'ip.fragment_overlap_conflict': ['warn', 'This IPv4/IPv6 fragment overlaps earlier ones with different bytes: the datagram is dropped, as RFC 5722 and Linux do.'],
  'ipv6.truncated': ['error', 'Fewer bytes than the IPv6 header or one of its extension headers needs.'],
  'ipv6.version': ['error', 'The IPv6 version field is not 6.'],
  'ipv6.payload_length_exceeds_capture': ['error', 'IPv6 payload length runs past the bytes on the wire.'],
  'ipv6.fragment': ['note', 'IPv6 fragment: the first is decoded as far as its bytes go, a later one names the first and carries its VSID; the whole datagram is decoded on the frame that completes it.'],
  'gre.truncated': ['error', 'Fewer bytes than the GRE header and its optional fields need.'],
  'gre.checksum_bad': ['error', 'GRE checksum (C bit set) does not match header and payload.'],
  'gre.teb_without_key': ['note', 'Protocol type 0x6558 without the K bit: Ethernet over GRE, not NVGRE (no VSID).'],
  'gre.routing': ['warn', 'GRE R bit or recursion control set (RFC 1701 fields, deprecated by RFC 2784): not decoded.'],
  'nvgre.c_bit_set': ['warn', 'RFC 7637 3.2: the C (checksum present) bit must be 0 in NVGRE.'],
  'nvgre.s_bit_set': ['warn', 'RFC 7637 3.2: the S (sequence number present) bit must be 0 in NVGRE.'],
  'nvgre.version': ['warn', 'RFC 7637 3.2: the GRE version must be 0 in NVGRE.'],
  'nvgre.vsid_reserved': ['warn', 'RFC 7637 3.2: VSIDs 0-0xFFF are reserved.'],
  'nvgre.vsid_vendor': ['note', 'RFC 7637 3.2: VSID 0xFFFFFF is reserved for vendor-specific use.'],
  'nvgre.outer_fragment': ['warn', 'The provider (outer) datagram carrying the NVGRE packet was fragmented: the underlay MTU is below the tenant frame plus the encapsulation (42 bytes over IPv4, 62 over IPv6, 46 with a VLAN tag). HNV needs jumbo frames on the provider network or a lower tenant MTU.'],
  'nvgre.inner_vlan': ['warn', 'RFC 7637 3.1: the inner Ethernet frame must not carry an 802.1Q tag.'],
  'ppp.truncated': ['error', 'Fewer bytes than the PPP header in a PPTP (GRE version 1) tunnel needs.'],
  'erspan.truncated': ['error', 'Fewer bytes than the ERSPAN type II/III header needs.'],
  'vxlan.truncated': ['error', 'Fewer than 8 bytes for the VXLAN header.'],
  'vxlan.i_flag_unset': ['warn', 'RFC 7348: the I flag must be set for the VNI to be valid.'],
  'arp.truncated': ['error', 'Fewer bytes than the ARP packet needs.'],
  'icmp.truncated': ['error', 'Fewer than 8 bytes for the ICMP header.'],
  'icmp.checksum_bad': ['error', 'ICMP checksum does not match the message.'],
  'icmpv6.truncated': ['error', 'Fewer than 4 bytes for the ICMPv6 header.'],
  'icmpv6.checksum_bad': ['error', 'ICMPv6 checksum does not match the message and IPv6 pseudo-header.'],
  'tcp.truncated': ['error', 'Fewer bytes than the TCP header needs.'],
  'tcp.data_offset_too_small': ['error', 'TCP data offset below 5 words (20 bytes).'],
  'tcp.checksum_bad': ['error', 'TCP checksum does not match the segment.'],
  'tcp.checksum_offloaded': ['note', 'TCP checksum holds only the pseudo-header sum: NIC checksum offload on the capturing host.'],
  'udp.truncated': ['error', 'Fewer than 8 bytes for the UDP header.'],
  'udp.length_mismatch': ['error', 'UDP length disagrees with the bytes the IP layer carries.'],
  'udp.checksum_bad': ['error', 'UDP checksum does not match the datagram.'],
  'udp.checksum_offloaded': ['note', 'UDP checksum holds only the pseudo-header sum: NIC checksum offload on the capturing host.'],
  'udp.checksum_zero': ['note', 'UDP checksum is zero: the sender did not compute one (allowed over IPv4).'],
} as const satisfies Record<string, readonly [Severity, string]>;

export type WarningCode = keyof typeof WARNINGS;

export interface Warning {
  code: WarningCode;
  severity: Severity;
  /** This packet's specifics: the values that broke the rule. */
  message: string;
}
