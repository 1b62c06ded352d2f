import type { FieldDef } from './fields.js';
import { dataFields } from './protocols/data.js';
import { arpFields } from './protocols/arp.js';
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
    ethernetFields,
    vlanFields,
    ieee8021adFields,
    ipv4Fields,
    greFields,
    nvgreFields,
    arpFields,
    icmpFields,
    tcpFields,
    udpFields,
    dataFields,
  ]
    .flat()
    .map((f) => [f.key, f]),
);
