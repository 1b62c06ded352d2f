// Display filters on real decoded packets. Expected frame lists come from the fixture spec:
//
// seed-ping.pcap (8 frames): odd = ICMP echo request 10.1.0.2 -> 10.2.0.2 (VM1 00:1d:d8:b7:1c:02
// to VM2 00:1d:d8:b7:1c:03) inside 172.16.0.2 -> 172.16.0.3, VSID 4020644 (0x3D59A4), FlowID 0;
// even = reply 10.2.0.2 -> 10.1.0.2 inside 172.16.0.3 -> 172.16.0.2, VSID 8793502 (0x862D9E).
// ICMP id 1, seq 1,1,2,2,3,3,4,4. Hosts: A 172.16.0.2 00:15:5d:00:01:02, B 172.16.0.3 00:15:5d:00:01:03.
//
// tenant-mix.pcap (9 frames): 1 provider ARP who-has 172.16.0.3 tell 172.16.0.2 (broadcast, no
// NVGRE); 2 inner ARP request (VSID 4020644, FlowID 0, broadcast) who-has 10.2.0.2 tell 10.1.0.2;
// 3 inner ARP reply (VSID 8793502, FlowID 0); 4-7 TCP 10.1.0.2:49152 <-> 10.2.0.2:80, FlowID 42:
// 4 SYN (with MSS), 5 SYN-ACK (from VM2), 6 ACK, 7 PSH-ACK with 18 bytes; 8-9 UDP
// 10.1.0.2:53000 -> 10.2.0.2:53 and back, FlowID 7.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../src/decode/packet.js';
import { cases, loadPackets, range } from './helpers.js';

let ping: Packet[];
let mix: Packet[];
let vlan: Packet[];

beforeAll(async () => {
  ping = await loadPackets('seed-ping.pcap');
  mix = await loadPackets('tenant-mix.pcap');
  vlan = await loadPackets('seed-ping-vlan.pcap');
});

const ODD = [1, 3, 5, 7];
const EVEN = [2, 4, 6, 8];
const ALL_PING = range(1, 8);
const NVGRE_MIX = range(2, 9);

describe('fixtures', () => {
  it('load with the expected frame counts and numbers', () => {
    expect(ping.map((p) => p.frame.number)).toEqual(ALL_PING);
    expect(mix.map((p) => p.frame.number)).toEqual(range(1, 9));
  });
});

cases('seed-ping: NVGRE fields', () => ping, [
  ['nvgre', ALL_PING],
  ['nvgre.vsid == 0x3d59a4', ODD],
  ['nvgre.vsid == 4020644', ODD],
  ['nvgre.vsid == 0x862D9E', EVEN],
  ['nvgre.vsid eq 8793502', EVEN],
  ['nvgre.vsid == 1', []],
  ['nvgre.vsid > 5000000', EVEN],
  ['nvgre.vsid < 5000000', ODD],
  ['nvgre.flow_id == 0', ALL_PING],
  ['nvgre.flow_id != 0', []],
  ['nvgre.vsid == 0x3d59a4 && ip.dst == 10.2.0.2', ODD],
  ['nvgre.vsid == 0x3d59a4 && ip.dst == 10.1.0.2', []],
]);

cases('seed-ping: any occurrence of outer and inner ip', () => ping, [
  ['ip.dst == 172.16.0.3', ODD],
  ['ip.dst == 10.2.0.2', ODD],
  ['ip.src == 172.16.0.3', EVEN],
  ['ip.src == 10.2.0.2', EVEN],
  ['ip.dst == 172.16.0.3 && ip.dst == 10.2.0.2', ODD],
  ['ip.dst == 172.16.0.3 && ip.src == 10.2.0.2', []],
  ['ip.addr == 10.1.0.2', ALL_PING],
  ['ip.addr == 172.16.0.2', ALL_PING],
  ['ip.addr == 10.9.9.9', []],
  ['ip.src == 10.0.0.0/8', ALL_PING],
  ['ip.src == 10.1.0.0/16', ODD],
  ['ip.dst == 10.2.0.0/16', ODD],
  ['ip.src == 172.16.0.0/12', ALL_PING],
  ['ip.src == 192.168.0.0/16', []],
  ['ip.src == 0.0.0.0/0', ALL_PING],
  ['ip.src == 10.1.0.2/32', ODD],
  // Host bits in a network literal are ignored, as in tshark.
  ['ip.src == 10.1.0.2/16', ODD],
  ['ip.dst == 172.16.0.99/24', ALL_PING],
]);

cases('seed-ping: != is "no occurrence equals"', () => ping, [
  ['ip.dst != 10.2.0.2', EVEN],
  ['ip.dst ne 172.16.0.3', EVEN],
  ['ip.src != 10.1.0.2', EVEN],
  ['ip.addr != 10.1.0.2', []],
  ['ip.addr != 10.9.9.9', ALL_PING],
  ['!(ip.dst == 10.2.0.2)', EVEN],
  ['ip.src != 10.0.0.0/8', []],
]);

cases('seed-ping: ICMP and Ethernet', () => ping, [
  ['icmp', ALL_PING],
  ['icmp.type == 8', ODD],
  ['icmp.type == 0', EVEN],
  ['icmp.ident == 1', ALL_PING],
  ['icmp.seq >= 3', [5, 6, 7, 8]],
  ['icmp.seq > 3', [7, 8]],
  ['icmp.seq < 2', [1, 2]],
  ['icmp.seq <= 2', [1, 2, 3, 4]],
  ['icmp.seq ge 2 and icmp.seq le 3', [3, 4, 5, 6]],
  ['icmp.seq == 0x4', [7, 8]],
  ['icmp.seq le 2 and icmp.type eq 0', [2, 4]],
  ['eth.src == 00:1d:d8:b7:1c:02', ODD],
  ['eth.src == 00-1D-D8-B7-1C-02', ODD],
  ['eth.dst == 00:1d:d8:b7:1c:02', EVEN],
  ['eth.src == 00:15:5d:00:01:03', EVEN],
  ['eth.addr == 00:1d:d8:b7:1c:03', ALL_PING],
  ['eth.addr == ff:ff:ff:ff:ff:ff', []],
  ['tcp || udp || arp', []],
  ['vlan', []],
  ['!vlan', ALL_PING],
]);

cases('tenant-mix: protocols and presence', () => mix, [
  ['!nvgre', [1]],
  ['not nvgre', [1]],
  ['nvgre', NVGRE_MIX],
  ['gre', NVGRE_MIX],
  ['ip', NVGRE_MIX],
  ['arp', [1, 2, 3]],
  ['arp && nvgre', [2, 3]],
  ['arp && !nvgre', [1]],
  ['tcp', [4, 5, 6, 7]],
  ['udp', [8, 9]],
  ['icmp', []],
  ['ip && !tcp && !udp', [2, 3]],
  ['nvgre.flow_id', NVGRE_MIX],
  ['tcp.port', [4, 5, 6, 7]],
  ['udp.port', [8, 9]],
  ['ip.addr', NVGRE_MIX],
  ['tcp.options.mss_val', [4]],
]);

cases('tenant-mix: precedence on real packets', () => mix, [
  ['arp || tcp && tcp.len > 0', [1, 2, 3, 7]],
  ['(arp || tcp) && tcp.len > 0', [7]],
  ['(arp || tcp) && nvgre.flow_id == 0', [2, 3]],
  ['!arp && nvgre', [4, 5, 6, 7, 8, 9]],
  ['!(arp && nvgre)', [1, 4, 5, 6, 7, 8, 9]],
  ['not arp or udp', [4, 5, 6, 7, 8, 9]],
  ['!tcp && !udp || icmp', [1, 2, 3]],
]);

cases('tenant-mix: NVGRE, IP and ARP fields', () => mix, [
  ['nvgre.flow_id == 42 || nvgre.flow_id == 7', [4, 5, 6, 7, 8, 9]],
  ['nvgre.flow_id == 0x2a', [4, 5, 6, 7]],
  ['nvgre.flow_id == 0', [2, 3]],
  ['nvgre.vsid == 0x3d59a4', [2, 4, 6, 7, 8]],
  ['nvgre.vsid == 8793502', [3, 5, 9]],
  ['ip.addr == 10.1.0.2', [4, 5, 6, 7, 8, 9]],
  ['ip.addr == 172.16.0.2', NVGRE_MIX],
  ['ip.dst == 10.2.0.2', [4, 6, 7, 8]],
  // Frame 2 is the inner ARP for 10.2.0.2: no IP header carries it, only the outer 172.16.0.3.
  // A frame without the field does not match `!=` (frame 1, provider ARP), as in tshark 4.0.
  ['ip.dst != 10.2.0.2', [2, 3, 5, 9]],
  ['ip.src == 10.0.0.0/8', [4, 5, 6, 7, 8, 9]],
  ['ip.src == 10.1.0.0/16', [4, 6, 7, 8]],
  ['ip.src == 0.0.0.0/0', NVGRE_MIX],
  ['!(ip.src == 10.0.0.0/8)', [1, 2, 3]],
  ['arp.opcode == 1', [1, 2]],
  ['arp.opcode == 2', [3]],
  ['arp.src.proto_ipv4 == 10.1.0.2', [2]],
  ['arp.dst.proto_ipv4 == 10.1.0.2', [3]],
  ['arp.src.proto_ipv4 == 172.16.0.2', [1]],
  ['arp.dst.proto_ipv4 == 10.0.0.0/8', [2, 3]],
]);

cases('tenant-mix: TCP and UDP fields', () => mix, [
  ['tcp.flags == 0x002', [4]],
  ['tcp.flags == 2', [4]],
  ['tcp.flags == 0x012', [5]],
  ['tcp.flags == 0x010', [6]],
  ['tcp.flags == 0x018', [7]],
  ['tcp.port == 80', [4, 5, 6, 7]],
  ['tcp.port == 49152', [4, 5, 6, 7]],
  ['tcp.dstport == 80', [4, 6, 7]],
  ['tcp.srcport == 80', [5]],
  ['tcp.port == 80 && tcp.len > 0', [7]],
  ['tcp.len == 18', [7]],
  ['tcp.len == 0', [4, 5, 6]],
  ['tcp.port != 80', []],
  ['tcp.port not in {80}', [1, 2, 3, 8, 9]],
  ['udp.dstport == 53', [8]],
  ['udp.srcport == 53', [9]],
  ['udp.port == 53', [8, 9]],
  ['udp.port == 53000', [8, 9]],
  ['udp.port == 80', []],
  ['udp.dstport gt 1024', [9]],
]);

cases('tenant-mix: Ethernet addresses, outer and inner', () => mix, [
  ['eth.src == 00:1d:d8:b7:1c:02', [2, 4, 6, 7, 8]],
  ['eth.src == 00:15:5d:00:01:02', [1, 2, 4, 6, 7, 8]],
  ['eth.src == 00:15:5d:00:01:03', [3, 5, 9]],
  ['eth.dst == ff:ff:ff:ff:ff:ff', [1, 2]],
  ['eth.addr == 00:1d:d8:b7:1c:02', NVGRE_MIX],
  ['eth.addr == 00:15:5d:00:01:02', range(1, 9)],
  ['arp.dst.hw_mac == 00:1d:d8:b7:1c:02', [3]],
  ['arp.src.hw_mac == 00:15:5d:00:01:02', [1]],
]);

// Undecoded payload is the `data` protocol, with data.len. tenant-mix has no decoders above
// TCP/UDP here, so the HTTP request (18 bytes) and both DNS messages are data. In tshark the
// 32-byte ICMP echo payload is a Data layer too: `data` and `data.len` match every ping frame.
cases('data', () => mix, [
  ['data', [7, 8, 9]],
  ['data.len == 18', [7]],
  ['data && tcp', [7]],
]);

cases('seed-ping: ICMP echo data', () => ping, [
  ['data.len == 32', ALL_PING],
  ['data', ALL_PING],
  ['data.len && !data', []],
]);

// seed-ping-vlan.pcap: seed-ping with an 802.1Q tag (VID 10) on the outer frame only.
cases('seed-ping-vlan', () => vlan, [
  ['vlan', ALL_PING],
  ['vlan.id == 10', ALL_PING],
  ['vlan.id != 10', []],
  ['ieee8021ad', []],
  ['vlan && nvgre.vsid == 0x3d59a4 && ip.dst == 10.2.0.2', ODD],
]);
