import type { Decoder, TableId } from './packet.js';
import { arp } from './protocols/arp.js';
import { ethernet } from './protocols/ethernet.js';
import { gre } from './protocols/gre.js';
import { icmp } from './protocols/icmp.js';
import { ipv4 } from './protocols/ipv4.js';
import { nvgre } from './protocols/nvgre.js';
import { tcp } from './protocols/tcp.js';
import { udp } from './protocols/udp.js';
import { ieee8021ad, vlan } from './protocols/vlan.js';

/**
 * Every "protocol X carries Y when field = V" edge, in one place. Decoders name a table and a
 * key; they never import each other. A key with no entry ends the packet in a `data` layer.
 */
export const BINDINGS: Record<TableId, ReadonlyMap<number, Decoder>> = {
  linktype: new Map([[1, ethernet]]), // LINKTYPE_ETHERNET (also the frame inside NVGRE)
  ethertype: new Map([
    [0x0800, ipv4],
    [0x0806, arp],
    [0x8100, vlan],
    [0x88a8, ieee8021ad],
  ]),
  'ip.proto': new Map([
    [1, icmp],
    [4, ipv4],
    [6, tcp],
    [17, udp],
    [47, gre],
  ]),
  'gre.proto': new Map([
    [0x0800, ipv4],
    [0x0806, arp],
    [0x6558, nvgre], // NVGRE with the K bit, else Ethernet over GRE (the decoder tells them apart)
  ]),
  'tcp.port': new Map(),
  'udp.port': new Map(),
};
