// What an ETW trace logged about a packet besides its bytes: it rides on the Frame of an .etl
// trace (Frame.etw) and is undefined for every other format.

/** Microsoft-Windows-PktMon event 160 (a packet seen at a component) or 170 (dropped there). */
export interface PktmonPacketInfo {
  provider: 'pktmon';
  /** Ties the appearances of one packet at the components it crossed together. */
  pktGroupId: bigint;
  pktNumber: number;
  appearance: number;
  /** PKTMON_DIRECTION, as logged: its values are not named in the public sources. */
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

export type EtwPacketInfo = PktmonPacketInfo | NdisPacketInfo;
