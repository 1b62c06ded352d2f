// The user data of the packet-bearing ETW events, version 0 (the only one public sources lay out):
// - Microsoft-Windows-NDIS-PacketCapture 1001 and 1003: the provider's manifest, as bundled by
//   fox-it/dissect.etl (manifests/xml/{2ed6006e-4729-4609-b423-3ee7bcd678ef}.xml);
// - Microsoft-Windows-PktMon 160/170 and the component events 20, 70, 73: airbus-cert/etl-parser
//   etl/parsers/etw/Microsoft_Windows_PktMon.py.
// What the fields mean and how a packet becomes a pcap record: microsoft/etl2pcapng src/main.c.

import { readUtf16z } from './etl-records.js';
import { type NdisPacketInfo, type PktmonPacketInfo, pktGroupId, type VmSwitchInfo } from './etw-packet.js';

export const NDIS_PROVIDER = '2ed6006e-4729-4609-b423-3ee7bcd678ef';
export const PKTMON_PROVIDER = '4d4f80d9-c8bd-4d73-bb5b-19c90402c5ac';

export const NDIS_PACKET_FRAGMENT = 1001;
export const NDIS_VMSWITCH_FRAGMENT = 1003;
export const PKTMON_COMPONENT = 20;
export const PKTMON_HW_ADDRESS = 70;
export const PKTMON_VMSWITCH_NAME = 73;
export const PKTMON_PACKET = 160;
export const PKTMON_DROP = 170;

// NDIS-PacketCapture keywords (the manifest; etl2pcapng's KW_* constants).
export const KW_WIRELESS_WAN = 0x200n;
export const KW_NATIVE_802_11 = 0x10000n;
export const KW_TRUNCATED = 0x2000000n;
export const KW_PACKET_START = 0x40000000n;
export const KW_PACKET_END = 0x80000000n;
export const KW_SEND = 0x100000000n;
export const KW_RECEIVE = 0x200000000n;

export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_IEEE802_11 = 105;

/** One fragment of a packet: where its bytes are in the event's user data, and what came with it. */
export interface Fragment {
  start: number;
  end: number;
  info: NdisPacketInfo;
}

/** An event shorter than its own sizes say: the message for the reader's CaptureError. */
export type Short = string;

const u32 = (b: Uint8Array, p: number): number => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
const u16 = (b: Uint8Array, p: number): number => b[p] | (b[p + 1] << 8);

function direction(keywords: bigint): 'send' | 'receive' | undefined {
  if ((keywords & KW_SEND) !== 0n) return 'send';
  if ((keywords & KW_RECEIVE) !== 0n) return 'receive';
  return undefined;
}

/**
 * Event 1001 (MiniportIfIndex, LowerIfIndex, FragmentSize, Fragment) or 1003 (the same indexes,
 * SourcePortId, three strings, DestinationCount and its entries, FragmentSize, Fragment,
 * OOBDataSize, OOBData). Newer builds append fields to 1001 (etl-parser's template has two u64
 * after the fragment): trailing bytes are allowed.
 */
export function ndisFragment(id: number, user: Uint8Array, keywords: bigint, pointerSize: number): Fragment | Short {
  if (user.length < 12) return `NDIS-PacketCapture event ${id} of ${user.length} bytes, shorter than its 12 fixed bytes`;
  const info: NdisPacketInfo = {
    provider: 'ndis',
    eventId: id,
    miniportIfIndex: u32(user, 0),
    lowerIfIndex: u32(user, 4),
    direction: direction(keywords),
    truncated: (keywords & KW_TRUNCATED) !== 0n,
    events: 1,
    vswitch: undefined,
  };
  let p = 8;
  let vswitch: Omit<VmSwitchInfo, 'vlanId' | 'userPriority'> | undefined;
  if (id === NDIS_VMSWITCH_FRAGMENT) {
    const portId = u32(user, 8);
    const portName = readUtf16z(user, 12);
    const nicName = readUtf16z(user, portName.next);
    const nicType = readUtf16z(user, nicName.next);
    if (!nicType.terminated || nicType.next + 4 > user.length) {
      return `NDIS-PacketCapture event 1003 of ${user.length} bytes ends inside its port and NIC names`;
    }
    const destinationCount = u32(user, nicType.next);
    // The manifest declares each Destination a win:Double: 8 bytes.
    p = nicType.next + 4 + destinationCount * 8;
    if (p + 4 > user.length) {
      return `NDIS-PacketCapture event 1003 of ${user.length} bytes is shorter than its ${destinationCount} destinations`;
    }
    vswitch = { portId, portName: portName.text, nicName: nicName.text, nicType: nicType.text, destinationCount };
  }
  const size = u32(user, p);
  const start = p + 4;
  if (size > user.length - start) {
    return `NDIS-PacketCapture event ${id} declares a ${size}-byte fragment, ${user.length - start} bytes left in the event`;
  }
  if (vswitch !== undefined) {
    const oobAt = start + size;
    if (oobAt + 4 > user.length) return `NDIS-PacketCapture event 1003 of ${user.length} bytes ends before its OOBDataSize`;
    const oobSize = u32(user, oobAt);
    if (oobSize > user.length - oobAt - 4) {
      return `NDIS-PacketCapture event 1003 declares ${oobSize} bytes of OOB data, ${user.length - oobAt - 4} bytes left in the event`;
    }
    // The OOB data is the NBL info array, one pointer-sized slot each; slot 4 is the 802.1Q info
    // (UserPriority 3 bits, CFI 1, VlanId 12), as etl2pcapng reads it.
    const slot = 4 * pointerSize;
    const tag = slot + 4 <= oobSize ? u32(user, oobAt + 4 + slot) : undefined;
    info.vswitch = { ...vswitch, vlanId: tag === undefined ? undefined : (tag >>> 4) & 0xfff, userPriority: tag === undefined ? undefined : tag & 7 };
  }
  return { start, end: start + size, info };
}

/** The link type of an NDIS packet by its keywords, as etl2pcapng chooses it. */
export function ndisLinktype(keywords: bigint): number {
  if ((keywords & KW_NATIVE_802_11) !== 0n) return LINKTYPE_IEEE802_11;
  if ((keywords & KW_WIRELESS_WAN) !== 0n) return LINKTYPE_RAW;
  return LINKTYPE_ETHERNET;
}

/**
 * The length a packet had before NDIS truncated it, read from its IP header as etl2pcapng does
 * (NDIS does not log it); the captured length when the header does not say more. etl2pcapng adds
 * an Ethernet header's 14 bytes to raw IP packets too; here a raw packet is counted without it.
 */
export function inferredLength(data: Uint8Array, linktype: number): number {
  const ip = linktype === LINKTYPE_ETHERNET ? 14 : linktype === LINKTYPE_RAW ? 0 : -1;
  if (ip < 0 || data.length < ip + 20) return data.length;
  if (ip === 14) {
    const type = (data[12] << 8) | data[13];
    if (type !== 0x0800 && type !== 0x86dd) return data.length;
  }
  const version = data[ip] >>> 4;
  let n = data.length;
  if (version === 4) n = ip + ((data[ip + 2] << 8) | data[ip + 3]);
  else if (version === 6 && data.length >= ip + 40) n = ip + 40 + ((data[ip + 4] << 8) | data[ip + 5]);
  // LSO packets leave the IP length zero: never less than what was captured.
  return Math.max(n, data.length);
}

/** The fixed bytes of PktMon 160/170 before the packet. */
export const PKTMON_FIXED = 34;
/** Where the ComponentId is in them. */
export const PKTMON_COMPONENT_AT = 16;

/** A PktmonPacketInfo for readPktmonPacket to fill: the reader reuses one, as it reuses the Frame it rides on. */
export function newPktmonInfo(): PktmonPacketInfo {
  return {
    provider: 'pktmon',
    pktGroupId: 0,
    pktNumber: 0,
    appearance: 0,
    dirTag: 0,
    packetType: 0,
    componentId: 0,
    component: undefined,
    componentDescription: undefined,
    componentAddress: undefined,
    edgeId: 0,
    filterId: 0,
    dropped: false,
    dropReason: 0,
    dropLocation: 0,
    originalSize: 0,
    loggedSize: 0,
  };
}

/**
 * PktMon 160/170, the user data from `at` to `end` of `b`: PKTMON_FIXED bytes read into `info`,
 * then LoggedPayloadSize bytes of packet. Read in place, as the reader's one pass over the buffer.
 */
export function readPktmonPacket(id: number, b: Uint8Array, at: number, end: number, components: Map<number, Component>, info: PktmonPacketInfo): Short | undefined {
  const length = end - at;
  if (length < PKTMON_FIXED) return `PktMon event ${id} of ${length} bytes, shorter than its ${PKTMON_FIXED} fixed bytes`;
  const loggedSize = u16(b, at + 32);
  if (loggedSize > length - PKTMON_FIXED) {
    return `PktMon event ${id} declares a ${loggedSize}-byte payload, ${length - PKTMON_FIXED} bytes left in the event`;
  }
  const componentId = u16(b, at + PKTMON_COMPONENT_AT);
  const c = components.get(componentId);
  info.pktGroupId = pktGroupId(u32(b, at), u32(b, at + 4));
  info.pktNumber = u16(b, at + 8);
  info.appearance = u16(b, at + 10);
  info.dirTag = u16(b, at + 12);
  info.packetType = u16(b, at + 14);
  info.componentId = componentId;
  info.component = c?.name;
  info.componentDescription = c?.description;
  info.componentAddress = c?.hwAddress;
  info.edgeId = u16(b, at + 18);
  info.filterId = u16(b, at + 20);
  info.dropped = id === PKTMON_DROP;
  info.dropReason = u32(b, at + 22);
  info.dropLocation = u32(b, at + 26);
  info.originalSize = u16(b, at + 30);
  info.loggedSize = loggedSize;
  return undefined;
}

/** PKTMON_PACKET_TYPE to a link type (etl2pcapng): 1 Ethernet, 2 Wi-Fi, 3 IP; undefined for the rest. */
export function pktmonLinktype(packetType: number): number | undefined {
  return packetType === 1 ? LINKTYPE_ETHERNET : packetType === 2 ? LINKTYPE_IEEE802_11 : packetType === 3 ? LINKTYPE_RAW : undefined;
}

/** What pktmon's component events say about a component: 20 its name and description, 70 its hardware address, 73 a vSwitch's name. */
export interface Component {
  name: string | undefined;
  description: string | undefined;
  hwAddress: string | undefined;
}

/**
 * Applies component event 20 (Id, Type, Name, Description), 70 (ComponentId, Type, Size, bytes)
 * or 73 (ComponentId, Type, a name) to `components`. 73 names a component only when 20 did not.
 * A short event is ignored: it names nothing, and no packet depends on it.
 */
export function applyComponentEvent(id: number, user: Uint8Array, components: Map<number, Component>): void {
  if (user.length < 6) return;
  const componentId = u16(user, 0);
  let c = components.get(componentId);
  if (c === undefined) components.set(componentId, (c = { name: undefined, description: undefined, hwAddress: undefined }));
  if (id === PKTMON_HW_ADDRESS) {
    const size = u32(user, 4);
    if (user.length >= 8 && size <= user.length - 8) c.hwAddress = Array.from(user.subarray(8, 8 + size), (b) => b.toString(16).padStart(2, '0')).join(':');
    return;
  }
  const name = readUtf16z(user, 4);
  if (id === PKTMON_COMPONENT) {
    c.name = name.text;
    c.description = readUtf16z(user, name.next).text;
  } else c.name ??= name.text;
}
