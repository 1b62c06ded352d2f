import type { FieldDef } from './fields.js';
import { dataFields } from './protocols/data.js';
import { arpFields } from './protocols/arp.js';
import { pppFields } from './protocols/ppp.js';
import { ciscoMetadataFields } from './protocols/cisco-metadata.js';
import { erspanFields } from './protocols/erspan.js';
import { ndisFields, pktmonFields } from './protocols/etw.js';
import { icmpv6Fields } from './protocols/icmpv6.js';
import { ipv6Fields } from './protocols/ipv6.js';
import { sllFields } from './protocols/linux-sll.js';
import { loopbackFields } from './protocols/loopback.js';
import { vxlanFields } from './protocols/vxlan.js';
import { ethernetFields } from './protocols/ethernet.js';
import { greFields } from './protocols/gre.js';
import { icmpFields } from './protocols/icmp.js';
import { ipv4Fields } from './protocols/ipv4.js';
import { nvgreFields } from './protocols/nvgre.js';
import { tcpFields } from './protocols/tcp.js';
import { udpFields } from './protocols/udp.js';
import { ieee8021adFields, vlanFields } from './protocols/vlan.js';

/** Every field any decoder can set, by its Wireshark name: labels and kinds for the formatters. */
export const FIELD_DEFS: ReadonlyMap<string, FieldDef> = new Map(
  [
    pktmonFields,
    ndisFields,
    sllFields,
    loopbackFields,
    ethernetFields,
    vlanFields,
    ieee8021adFields,
    ciscoMetadataFields,
    ipv4Fields,
    ipv6Fields,
    greFields,
    nvgreFields,
    erspanFields,
    pppFields,
    arpFields,
    icmpFields,
    icmpv6Fields,
    tcpFields,
    udpFields,
    vxlanFields,
    dataFields,
  ]
    .flat()
    .map((f) => [f.key, f]),
);
