#!/usr/bin/env bash
# Re-records tshark's view of every fixture, for test/tshark/agreement.test.ts.
# Needs tshark (Debian: apt-get install tshark). Run from the repository root: npm run record-tshark
set -euo pipefail
cd "$(dirname "$0")/../.."
fields=(frame.number frame.len eth.src eth.dst eth.type vlan.id ip.src ip.dst ip.proto ip.ttl ip.id ip.checksum.status
  gre.flags_and_version gre.proto gre.key icmp.type icmp.code icmp.ident icmp.seq icmp.checksum.status
  tcp.srcport tcp.dstport tcp.flags tcp.seq_raw tcp.ack_raw tcp.checksum.status udp.srcport udp.dstport udp.length
  udp.checksum.status arp.opcode arp.src.hw_mac arp.src.proto_ipv4 arp.dst.proto_ipv4
  sll.pkttype sll.etype sll.ifindex sll.src.eth null.family cmd.sgt cmd.type
  ipv6.src ipv6.dst ipv6.nxt ipv6.plen ipv6.hlim ipv6.hopopts.len ipv6.dstopts.len ipv6.routing.type ipv6.routing.segleft
  icmpv6.type icmpv6.code icmpv6.checksum.status icmpv6.echo.identifier icmpv6.echo.sequence_number
  icmpv6.nd.ns.target_address icmpv6.nd.na.target_address icmpv6.nd.na.flag icmpv6.nd.ra.cur_hop_limit icmpv6.nd.ra.router_lifetime
  vxlan.vni erspan.version erspan.spanid erspan.index)
args=()
for f in "${fields[@]}"; do args+=(-e "$f"); done
tshark --version | head -1 > test/tshark/VERSION
for pcap in fixtures/*.pcap; do
  name=$(basename "$pcap" .pcap)
  tshark -r "$pcap" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
    -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=, "${args[@]}" > "test/tshark/$name.fields.tsv"
done
