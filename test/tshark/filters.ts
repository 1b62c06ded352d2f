// The display filters compared with tshark 4.0 on every fixture and public capture
// (test/tshark/filters.test.ts); record.sh records tshark's answers. Run directly, this prints
// one line per filter, ours and tshark's spelling separated by a tab, for record.sh to read.
import { fileURLToPath } from 'node:url';

/** A filter, and the spelling tshark needs when it differs: tshark has no nvgre.* fields, so they are asked as gre.key. */
export interface FilterCase {
  ours: string;
  tshark?: string;
}

const vsid = (n: number): string => `gre.key & 0xffffff00 == ${n * 256}`;

export const FILTERS: readonly FilterCase[] = [
  // protocols and presence
  { ours: 'eth' }, { ours: 'ip' }, { ours: 'ipv6' }, { ours: 'arp' }, { ours: 'tcp' }, { ours: 'udp' }, { ours: 'icmp' },
  { ours: 'icmpv6' }, { ours: 'gre' }, { ours: 'vxlan' }, { ours: 'erspan' }, { ours: 'vlan' }, { ours: 'data' }, { ours: 'frame' },
  { ours: 'gre.key' }, { ours: 'tcp.flags.syn' }, { ours: 'frame.comment' },
  // IPv6 extension headers, which tshark names as protocols
  { ours: 'ipv6.hopopts' }, { ours: 'ipv6.routing' }, { ours: 'ipv6.fraghdr' }, { ours: 'ipv6.dstopts' }, { ours: 'ipv6 && !ipv6.fraghdr' },
  // comparisons
  { ours: 'ip.src == 10.1.0.2' }, { ours: 'ip.dst == 10.2.0.2' }, { ours: 'ip.addr == 172.16.0.2' }, { ours: 'ip.src == 10.0.0.0/8' },
  { ours: 'ip.dst != 10.2.0.2' }, { ours: 'ip.ttl > 63' }, { ours: 'ip.ttl <= 64' }, { ours: 'tcp.port == 80' }, { ours: 'udp.port == 53' },
  { ours: 'eth.src == 00:1d:d8:b7:1c:02' }, { ours: 'eth.addr == ff:ff:ff:ff:ff:ff' }, { ours: 'icmp.type == 8' }, { ours: 'icmp.seq >= 3' },
  { ours: 'gre.proto == 0x6558' }, { ours: 'gre.key == 0x3d59a400' }, { ours: 'ipv6.addr == fd00:16::2' }, { ours: 'ipv6.src == fd00::/8' },
  // NVGRE, asked of tshark through the GRE key
  { ours: 'nvgre', tshark: 'gre.proto == 0x6558 && gre.key' },
  { ours: 'nvgre.vsid == 4020644', tshark: vsid(4020644) },
  { ours: 'nvgre.vsid == 0x862D9E', tshark: vsid(0x862d9e) },
  { ours: 'nvgre.vsid == "4020644"', tshark: vsid(4020644) },
  { ours: 'nvgre.flow_id == 42', tshark: 'gre.key & 0xff == 42' },
  { ours: 'nvgre.vsid in {4020644, 8793502}', tshark: `${vsid(4020644)} || ${vsid(8793502)}` },
  { ours: 'nvgre.vsid == 4020644 && icmp.type == 8', tshark: `${vsid(4020644)} && icmp.type == 8` },
  // sets
  { ours: 'ip.src in {10.2.0.2, 10.9.9.9}' }, { ours: 'ip.dst#2 in {10.2.0.2, 10.9.9.9} && icmp.type == 8' }, { ours: 'tcp.port in {80, 443}' },
  { ours: 'tcp.port in {1..100}' }, { ours: 'tcp.port not in {80}' }, { ours: 'icmp.seq in {1, 3..4}' }, { ours: 'ip.ttl in {60..70}' },
  { ours: 'eth.src in {00:15:5d:00:01:02, 00:15:5d:00:01:03}' }, { ours: 'udp.dstport in {53, 4789}' },
  // strings, bytes, contains, matches
  { ours: 'data.data == 61:62' }, { ours: 'tcp contains "GET"' }, { ours: 'tcp matches "get.*http"' }, { ours: 'tcp matches "(?-i)get"' },
  { ours: 'data.data contains 00:01' }, { ours: 'ip contains 0a:01:00:02' }, { ours: 'eth contains 08:00' }, { ours: 'udp contains "a"' },
  { ours: 'frame.protocols contains "tcp"' }, { ours: 'frame.protocols == "eth:ethertype:arp"' }, { ours: 'frame.protocols matches "gre:eth:ethertype:ip:icmp"' },
  { ours: 'frame.protocols matches ":ip:.*:ip:"' },
  // slices
  { ours: 'eth.src[0:3] == 00:1d:d8' }, { ours: 'eth.dst[0] == ff' }, { ours: 'ip.src[-1:] == 02' }, { ours: 'ip.src[0-1] == 0a:01' },
  { ours: 'ip.dst[1] == 02' }, { ours: 'tcp[0:2] == c0:00' }, { ours: 'ip[0] == 45' }, { ours: 'eth[12:2] == 08:00' }, { ours: 'ipv6.src[0:2] == fd:00' },
  // arithmetic and bitwise
  { ours: 'gre.key & 0xff == 42' }, { ours: 'tcp.flags & 0x12 == 0x12' }, { ours: 'tcp.srcport - 1 == 79' }, { ours: 'tcp.len * 2 == 36' },
  { ours: 'ip.len / 2 > 40' }, { ours: 'icmp.seq % 2 == 0' }, { ours: 'gre.key + 1 == 0x3d59a42b' },
  // layers and quantifiers
  { ours: 'ip.src#1 == 172.16.0.2' }, { ours: 'ip.src#2 == 10.1.0.2' }, { ours: 'eth.dst#2 == 00:1d:d8:b7:1c:03' }, { ours: 'any ip.src == 10.1.0.2' },
  { ours: 'all ip.src == 10.0.0.0/8' }, { ours: 'all ip.ttl >= 64' }, { ours: 'all eth.src != ff:ff:ff:ff:ff:ff' },
  // a quantifier with a set: with all, each member on its own; not in: no occurrence in the set, whatever the quantifier
  { ours: 'all ip.src in {10.1.0.2, 172.16.0.2}' }, { ours: 'all ip.src in {10.0.0.0/8, 172.16.0.0/12}' }, { ours: 'all ip.src in {10.0.0.0/8, 10.1.0.2}' },
  { ours: 'all ip.src in {10.1.0.2..10.1.0.9, 172.16.0.2}' }, { ours: 'all ip.ttl in {64, 128}' }, { ours: 'all tcp.port in {80, 49152}' },
  { ours: 'all ip.src not in {172.16.0.2}' }, { ours: 'any ip.src not in {172.16.0.2}' }, { ours: 'all ip.src not in {172.16.0.0/16}' },
  // tshark 4.0's equality operators: === every occurrence equal, !== and ~= some one differs; a typed quantifier overrides
  { ours: 'ip.src === 172.16.0.2' }, { ours: 'ip.ttl === 64' }, { ours: 'ip.src !== 172.16.0.2' }, { ours: 'ip.src ~= 172.16.0.2' },
  { ours: 'any ip.src != 172.16.0.2' }, { ours: 'all ip.src !== 172.16.0.2' }, { ours: 'any ip.src === 172.16.0.2' }, { ours: 'ip.src !== ip.dst' },
  { ours: 'tcp.port all_eq 80' }, { ours: 'tcp.port any_ne 80' }, { ours: 'ip.ttl all_ne 64' }, { ours: 'ip.ttl any_eq 64' },
  // the frame
  { ours: 'frame.number == 3' }, { ours: 'frame.number >= 5' }, { ours: 'frame.len > 100' }, { ours: 'frame.cap_len < 64' },
  { ours: 'frame.len != 98' }, { ours: 'frame.time_relative > 0.5' }, { ours: 'frame.time_delta > 0.05' },
  // (frame.time_delta_displayed: not here, as record-filters.sh's taps display every frame; test/cli/filter-gaps.test.ts has tshark -Y's answers)
  { ours: 'frame.time_epoch > 1374220860.3' }, { ours: 'frame.time >= "2013-07-19 08:01:00.2"' }, { ours: 'frame.time < "Jul 19, 2013 08:01:00.300"' },
  // the frame fields -T ek writes (interface and section: pcapng only); booleans as true/false too
  { ours: 'frame.marked == false' }, { ours: 'frame.marked == TRUE' }, { ours: 'frame.ignored == False' },
  { ours: 'frame.marked == 0' }, { ours: 'frame.marked == 1' }, { ours: 'frame.ignored' }, { ours: 'frame.encap_type == 1' }, { ours: 'frame.encap_type == 7' },
  { ours: 'frame.offset_shift == 0' }, { ours: 'frame.interface_id == 0' }, { ours: 'frame.interface_id == 1' }, { ours: 'frame.interface_name == "unknown"' },
  { ours: 'frame.interface_name contains "eth"' }, { ours: 'frame.section_number == 2' }, { ours: 'frame.section_number' },
  // tshark 4.0's functions: count (none when absent), max and min over every argument, abs, upper, lower
  { ours: 'count(ip.src) == 2' }, { ours: 'count(ip.addr) == 4' }, { ours: 'count(ip) == 1' }, { ours: 'count(tcp.port) == 0' }, { ours: 'count(ip.src#2) == 1' },
  { ours: 'count(eth.src) > 1' }, { ours: 'count(ipv6.src) == 2' }, { ours: 'max(icmp.seq) + 1 == 3' }, { ours: 'min(ip.src) == 10.1.0.2' }, { ours: 'max(ip.src) == 172.16.0.3' },
  { ours: 'max(ip.ttl) == 64' }, { ours: 'min(ip.ttl) < 64' }, { ours: 'max(tcp.srcport, tcp.dstport) == 49152' }, { ours: 'min(udp.srcport, udp.dstport) == 53' }, { ours: 'abs(-icmp.seq) == 1' },
  { ours: 'icmp.seq == max(icmp.seq)' }, { ours: 'upper(frame.protocols) contains "ICMP"' }, { ours: 'lower(frame.protocols) contains "tcp"' },
  { ours: 'string(frame.number) matches "[13579]$"' }, { ours: 'string(ip.src) == "10.1.0.2"' }, { ours: 'string(gre.key) == "1029284864"' },
  { ours: 'string(eth.src) == "00:1d:d8:b7:1c:02"' }, { ours: 'string(ipv6.src) contains "fd00"' }, { ours: 'string(ipv6.dst) == "fd00:16::3"' }, { ours: 'string(udp.port) == "53"' },
  // TCP flags, lengths
  { ours: 'tcp.flags.syn == 1' }, { ours: 'tcp.flags.ack == 1 && tcp.flags.push == 1' }, { ours: 'tcp.flags.reset == 1' }, { ours: 'tcp.flags.fin == 0' },
  { ours: 'len(eth.src) == 6' }, { ours: 'len(data.data) > 10' }, { ours: 'len(ip.src) == 4' }, { ours: 'len(tcp) > 20' },
  // arithmetic precedence (tshark's grammar: unary minus, then * / %, then + -, then &)
  { ours: 'ip.ttl + 1 * 2 == 130' }, { ours: 'frame.len - 1 * 2 == 98' }, { ours: 'ip.ttl * 2 % 7 == 4' }, { ours: 'ip.ttl + 1 & 0x0f == 1' },
  { ours: 'ip.ttl & 0x0f + 1 == 1' }, { ours: '-ip.ttl == -128' }, { ours: 'ip.ttl == 130 - 2' }, { ours: 'ip.ttl - 1 - 1 == 126' },
  // field to field: any pair of occurrences (every pair with all), arithmetic on either side
  { ours: 'ip.src == ip.dst' }, { ours: 'ip.src != ip.dst' }, { ours: 'tcp.srcport < tcp.dstport' }, { ours: 'udp.srcport > udp.dstport' },
  { ours: 'frame.len > ip.len + 20' }, { ours: 'ip.len + 34 == frame.len' }, { ours: 'ip.src[0:1] == ip.dst[0:1]' }, { ours: 'eth.src[0:3] == eth.dst[0:3]' },
  { ours: 'ip.ttl#1 == ip.ttl#2' }, { ours: 'all ip.src == ip.src' }, { ours: 'tcp.srcport + tcp.dstport == 49232' }, { ours: 'ip.len + ip.len == 130' },
  { ours: 'ip.len > tcp.len' }, { ours: 'tcp.srcport != udp.srcport' }, { ours: 'ipv6.src == ipv6.dst' }, { ours: 'len(ip.src) == len(eth.src) - 2' },
  // fields in a set: each one `field == member`, as tshark 4.0 (with all, each member on its own)
  { ours: 'ip.src in {ip.dst, 10.1.0.2}' }, { ours: 'ip.src not in {ip.dst, 10.1.0.2}' }, { ours: 'ip.src in {ip.dst#2, 172.16.0.2}' },
  { ours: 'tcp.srcport in {tcp.dstport, 80}' }, { ours: 'ip.len in {ip.len, 1..10}' }, { ours: 'all ip.src in {ip.src}' },
  // conversations and relative sequence numbers
  { ours: 'tcp.stream == 0' }, { ours: 'tcp.stream == 1' }, { ours: 'tcp.stream >= 3' }, { ours: 'udp.stream == 0' }, { ours: 'udp.stream == 1' },
  { ours: 'udp.stream in {2..5}' }, { ours: 'tcp.seq == 0' }, { ours: 'tcp.seq == 1' }, { ours: 'tcp.seq > 100' }, { ours: 'tcp.ack == 1' },
  { ours: 'tcp.ack == 0' }, { ours: 'tcp.ack > 1000' }, { ours: 'tcp.seq == tcp.ack' }, { ours: 'tcp.seq_raw == 1000' }, { ours: 'tcp.ack_raw == 5001' },
  { ours: 'tcp.stream == udp.stream' },
  // combinations
  { ours: '!(tcp.port in {80}) && ip' }, { ours: 'not arp and ip.ttl > 1' }, { ours: '(ip.src == 10.1.0.2 || ip.src == 10.2.0.2) && !icmp' },
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of FILTERS) process.stdout.write(`${f.ours}\t${f.tshark ?? f.ours}\n`);
}
