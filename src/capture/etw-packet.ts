// What an ETW trace logged about a packet besides its bytes: it rides on the Frame of an .etl
// trace (Frame.etw), or of a pcapng that etl2pcapng converted from one, and is undefined for
// every other frame.

/**
 * A PktGroupId (a u64): a number while it is exact, below 2^53 (pktmon's are about 2^49), a
 * bigint beyond. Numbers keep the per-frame path free of BigInt, which was much of what reading
 * a pktmon trace cost more than a pcapng; the same value always takes the same form, so either
 * form names a packet (a Map key, a field, text).
 */
export type PktGroupId = number | bigint;

/** The PktGroupId of a u64's two 32-bit halves. */
export function pktGroupId(lo: number, hi: number): PktGroupId {
  return hi < 0x200000 ? hi * 0x1_0000_0000 + lo : (BigInt(hi) << 32n) | BigInt(lo);
}

/** Microsoft-Windows-PktMon event 160 (a packet seen at a component) or 170 (dropped there). */
export interface PktmonPacketInfo {
  provider: 'pktmon';
  /** Ties the appearances of one packet at the components it crossed together. */
  pktGroupId: PktGroupId;
  pktNumber: number;
  appearance: number;
  /** PKTMON_DIRECTION_TAG, as logged (named in src/decode/protocols/etw.ts). */
  dirTag: number;
  /** PKTMON_PACKET_TYPE: 1 Ethernet, 2 Wi-Fi, 3 IP (etl2pcapng's src/main.c). */
  packetType: number;
  componentId: number;
  /**
   * The component's name and description (event 20, or a vSwitch's name from 73) and hardware
   * address (70, colon-separated hex), when the trace logs them (a file is scanned for them first).
   */
  component: string | undefined;
  componentDescription: string | undefined;
  componentAddress: string | undefined;
  edgeId: number;
  filterId: number;
  dropped: boolean;
  dropReason: number;
  /**
   * Where the component dropped it: shown by number (hex), as no public source lists the values.
   * Microsoft's reference of PktMonClntNblDrop (learn.microsoft.com/windows-hardware/drivers/ddi/
   * pktmonclntk/nf-pktmonclntk-pktmonclntnbldrop) gives only the ranges: 0 to 0x7FFFFFFF free for
   * a component's own use, 0x80000000 and up reserved for Microsoft.
   */
  dropLocation: number;
  originalSize: number;
  loggedSize: number;
}

/** The vSwitch fields of Microsoft-Windows-NDIS-PacketCapture event 1003. */
export interface VmSwitchInfo {
  portId: number;
  portName: string;
  nicName: string;
  nicType: string;
  destinationCount: number;
  /** From the 802.1Q NBL info in the OOB data; undefined when the OOB data is too short to hold it. */
  vlanId: number | undefined;
  userPriority: number | undefined;
}

/** Microsoft-Windows-NDIS-PacketCapture event 1001 (a packet fragment) or 1003 (at a vSwitch port). */
export interface NdisPacketInfo {
  provider: 'ndis';
  eventId: number;
  miniportIfIndex: number;
  lowerIfIndex: number;
  /** From the SendPath and ReceivePath keywords; undefined when neither is set. */
  direction: 'send' | 'receive' | undefined;
  /** The PacketTruncated keyword. */
  truncated: boolean;
  /** How many events the packet was logged in (PacketStart to PacketEnd); 1 since Windows 8.1. */
  events: number;
  vswitch: VmSwitchInfo | undefined;
}

/**
 * What a pcapng converted from a pktmon trace by microsoft/etl2pcapng keeps of an appearance
 * (1.12.0 and later, src/main.c @b06ebcf, PcapNgWriteEnhancedPacket and WriteInterfaces): the
 * PktGroupId in the EPB's epb_packetid option (code 5), a drop (event 170) as an epb_verdict
 * option (code 7, type 2 "eBPF XDP", value 1 XDP_DROP), and the component only as the interface
 * written for it (if_name and if_description from event 20, if_MACaddr from event 70). The
 * component id, PktNumber, appearance, DirTag, edge, filter, drop reason and location are not
 * written ("The original Component Id is not preserved as there is no field for it in pcapng",
 * microsoft/etl2pcapng#79), nor a comment on pktmon packets. `pktmon etl2pcap` itself writes none
 * of this: "All information about the packet drop reports and packet flow through the networking
 * stack is lost in pcapng format output" (Microsoft's "Pktmon support for Wireshark (pcapng)").
 */
export interface PktmonConvertedInfo {
  provider: 'pktmon-pcapng';
  pktGroupId: PktGroupId;
  dropped: boolean;
  /** The pcapng interface of the frame: etl2pcapng writes one per component (and link type). */
  interfaceId: number;
  component: string | undefined;
  componentDescription: string | undefined;
  componentAddress: string | undefined;
}

export type EtwPacketInfo = PktmonPacketInfo | PktmonConvertedInfo | NdisPacketInfo;
