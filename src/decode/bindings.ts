import type { Decoder, TableId } from './packet.js';
import { arp } from './protocols/arp.js';
import { ciscoMetadataEth, ciscoMetadataGre } from './protocols/cisco-metadata.js';
import { erspan, erspan3 } from './protocols/erspan.js';
import { ethernet } from './protocols/ethernet.js';
import { gre } from './protocols/gre.js';
import { icmp } from './protocols/icmp.js';
import { icmpv6 } from './protocols/icmpv6.js';
import { ipv4 } from './protocols/ipv4.js';
import { ipv6 } from './protocols/ipv6.js';
import { linuxSll, linuxSll2 } from './protocols/linux-sll.js';
import { bsdNull, openbsdLoop, rawIp } from './protocols/loopback.js';
import { nvgre } from './protocols/nvgre.js';
import { ppp } from './protocols/ppp.js';
import { tcp } from './protocols/tcp.js';
import { udp } from './protocols/udp.js';
import { ieee8021ad, vlan } from './protocols/vlan.js';
import { vxlan } from './protocols/vxlan.js';

/**
 * Every "protocol X carries Y when field = V" edge, in one place. Decoders name a table and a
 * key; they never import each other. A key with no entry ends the packet in a `data` layer.
 */
export const BINDINGS: Record<TableId, ReadonlyMap<number, Decoder>> = {
  // Capture link types (tcpdump.org/linktypes.html); 1 is also the frame inside NVGRE/VXLAN/ERSPAN.
  linktype: new Map([
    [0, bsdNull],
    [1, ethernet],
    [12, rawIp], // DLT_RAW as some systems wrote it
    [14, rawIp],
    [101, rawIp],
    [108, openbsdLoop],
    [113, linuxSll],
    [228, ipv4],
    [229, ipv6],
    [276, linuxSll2],
  ]),
  ethertype: new Map([
    [0x0800, ipv4],
    [0x0806, arp],
    [0x8100, vlan],
    [0x86dd, ipv6],
    [0x88a8, ieee8021ad],
    [0x8909, ciscoMetadataEth],
  ]),
  'ip.proto': new Map([
    [1, icmp],
    [4, ipv4],
    [6, tcp],
    [17, udp],
    [41, ipv6],
    [47, gre],
    [58, icmpv6],
  ]),
  'gre.proto': new Map([
    [0x0800, ipv4],
    [0x0806, arp],
    [0x22eb, erspan3],
    [0x6558, nvgre], // NVGRE with the K bit, else Ethernet over GRE (the decoder tells them apart)
    [0x86dd, ipv6],
    [0x880b, ppp], // PPTP (GRE version 1)
    [0x88be, erspan],
    [0x8909, ciscoMetadataGre],
  ]),
  'tcp.port': new Map(),
  'udp.port': new Map([[4789, vxlan]]),
};
