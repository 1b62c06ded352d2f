// What an ETW trace logged about a frame besides its bytes (Frame.etw), as the first layer: its
// fields go through the same definitions as a decoder's, so every output and -Y see them.
import type { EtwPacketInfo, NdisPacketInfo, PktGroupId, PktmonConvertedInfo, PktmonPacketInfo } from '../../capture/etw-packet.js';
import type { FieldDef, FieldValue } from '../fields.js';
import { fieldId } from '../field-store.js';
import type { Dissection } from '../packet.js';

/**
 * PKTMON_DROP_REASON names, as Microsoft's retina spells them (pkg/metrics/types_windows.go @7f23e835,
 * the table it maps pktmon's drop reasons with): the NDIS, vSwitch and NIC ranges a Hyper-V host's
 * packets meet. A reason not listed shows as its number.
 */
export const DROP_REASON_NAMES: Readonly<Record<number, string>> = {
  0: 'Drop_Unknown', 1: 'Drop_InvalidData', 2: 'Drop_InvalidPacket', 3: 'Drop_Resources', 4: 'Drop_NotReady',
  5: 'Drop_Disconnected', 6: 'Drop_NotAccepted', 7: 'Drop_Busy', 8: 'Drop_Filtered', 9: 'Drop_FilteredVLAN',
  10: 'Drop_UnauthorizedVLAN', 11: 'Drop_UnauthorizedMAC', 12: 'Drop_FailedSecurityPolicy', 13: 'Drop_FailedPvlanSetting',
  14: 'Drop_Qos', 15: 'Drop_Ipsec', 16: 'Drop_MacSpoofing', 17: 'Drop_DhcpGuard', 18: 'Drop_RouterGuard',
  19: 'Drop_BridgeReserved', 20: 'Drop_VirtualSubnetId', 21: 'Drop_RequiredExtensionMissing', 22: 'Drop_InvalidConfig',
  23: 'Drop_MTUMismatch', 24: 'Drop_NativeFwdingReq', 25: 'Drop_InvalidVlanFormat', 26: 'Drop_InvalidDestMac',
  27: 'Drop_InvalidSourceMac', 28: 'Drop_InvalidFirstNBTooSmall', 29: 'Drop_Wnv', 30: 'Drop_StormLimit',
  31: 'Drop_InjectedIcmp', 32: 'Drop_FailedDestinationListUpdate', 33: 'Drop_NicDisabled', 34: 'Drop_FailedPacketFilter',
  35: 'Drop_SwitchDataFlowDisabled', 36: 'Drop_FilteredIsolationUntagged', 37: 'Drop_InvalidPDQueue', 38: 'Drop_LowPower',
  201: 'Drop_Pause', 202: 'Drop_Reset', 203: 'Drop_SendAborted', 204: 'Drop_ProtocolNotBound', 205: 'Drop_Failure',
  206: 'Drop_InvalidLength', 207: 'Drop_HostOutOfMemory', 208: 'Drop_FrameTooLong', 209: 'Drop_FrameTooShort',
  210: 'Drop_FrameLengthError', 211: 'Drop_CrcError', 212: 'Drop_BadFrameChecksum', 213: 'Drop_FcsError',
  214: 'Drop_SymbolError', 215: 'Drop_HeadQTimeout', 216: 'Drop_StalledDiscard', 217: 'Drop_RxQFull',
  218: 'Drop_PhysLayerError', 219: 'Drop_DmaError', 220: 'Drop_FirmwareError', 221: 'Drop_DecryptionFailed',
  222: 'Drop_BadSignature', 223: 'Drop_CoalescingError', 225: 'Drop_VlanSpoofing', 226: 'Drop_UnallowedEtherType',
  227: 'Drop_VportDown', 228: 'Drop_SteeringMismatch',
  401: 'Drop_MicroportError', 402: 'Drop_VfNotReady', 403: 'Drop_MicroportNotReady', 404: 'Drop_VMBusError',
  701: 'Drop_ArpGuard', 702: 'Drop_ArpLimiter', 703: 'Drop_DhcpLimiter', 704: 'Drop_BlockBroadcast', 705: 'Drop_BlockNonIp',
  706: 'Drop_ArpFilter', 707: 'Drop_Ipv4Guard', 708: 'Drop_Ipv6Guard', 709: 'Drop_MacGuard',
  710: 'Drop_BroadcastNoDestinations', 711: 'Drop_UnicastNoDestination', 712: 'Drop_UnicastPortNotReady',
  713: 'Drop_SwitchCallbackFailed', 714: 'Drop_Icmpv6Limiter', 715: 'Drop_Intercept', 716: 'Drop_InterceptBlock',
  717: 'Drop_NDPGuard', 718: 'Drop_PortBlocked', 719: 'Drop_NicSuspended',
};

/**
 * PKTMON_DIRECTION_TAG, as Microsoft's Packet Monitor API reference names it
 * (learn.microsoft.com/windows/win32/pktmon/packetmonitor/nf-packetmonitor-packetmonitorcreaterealtimestream,
 * MicrosoftDocs/win32 desktop-src/pktmon/packetmonitor/): In and Out at a component's upper or
 * lower edge, Rx and Tx at a network interface, Ingress and Egress at the vSwitch. Shown without
 * the `PktMonDirTag_` prefix, as `pktmon etl2txt` prints `Direction Rx`.
 */
export const DIRECTION_NAMES: Readonly<Record<number, string>> = { 0: 'Unspecified', 1: 'In', 2: 'Out', 3: 'Rx', 4: 'Tx', 5: 'Ingress', 6: 'Egress' };

/** `In`, or the number of a tag the reference does not name. */
export const directionText = (tag: number): string => DIRECTION_NAMES[tag] ?? String(tag);

/** PKTMON_PACKET_TYPE (etl2pcapng's src/main.c). */
const PACKET_TYPE_NAMES = { 1: 'Ethernet', 2: 'Wi-Fi', 3: 'IP' } as const;

export const pktmonFields: FieldDef[] = [
  { key: 'pktmon.pkt_group_id', type: 'FT_UINT64', label: 'PktGroupId', kind: 'dec' },
  { key: 'pktmon.pkt_number', type: 'FT_UINT16', label: 'PktNumber', kind: 'dec' },
  { key: 'pktmon.appearance', type: 'FT_UINT16', label: 'Appearance', kind: 'dec' },
  { key: 'pktmon.component_id', type: 'FT_UINT16', label: 'Component', kind: 'dec' },
  { key: 'pktmon.component', type: 'FT_STRING', label: 'Component Name', kind: 'text' },
  { key: 'pktmon.component_description', type: 'FT_STRING', label: 'Component Description', kind: 'text' },
  { key: 'pktmon.component_address', type: 'FT_STRING', label: 'Component Address', kind: 'text' },
  { key: 'pktmon.direction', type: 'FT_UINT16', label: 'Direction', kind: 'dec', names: DIRECTION_NAMES },
  { key: 'pktmon.edge_id', type: 'FT_UINT16', label: 'Edge', kind: 'dec' },
  { key: 'pktmon.filter_id', type: 'FT_UINT16', label: 'Filter', kind: 'dec' },
  { key: 'pktmon.packet_type', type: 'FT_UINT16', label: 'Packet Type', kind: 'dec', names: PACKET_TYPE_NAMES },
  // On every drop, logged (event 170) or converted (epb_verdict): `-Y pktmon.dropped` selects both.
  { key: 'pktmon.dropped', type: 'FT_UINT8', label: 'Dropped', kind: 'dec', names: { 1: 'Yes' }, nameOnly: true },
  { key: 'pktmon.drop_reason', type: 'FT_UINT32', label: 'Drop Reason', kind: 'dec', names: DROP_REASON_NAMES },
  { key: 'pktmon.drop_location', type: 'FT_UINT32', label: 'Drop Location', kind: 'hex', width: 8 },
  { key: 'pktmon.original_size', type: 'FT_UINT16', label: 'Original Size', kind: 'dec', unit: 'bytes' },
  { key: 'pktmon.logged_size', type: 'FT_UINT16', label: 'Logged Size', kind: 'dec', unit: 'bytes' },
  // A converted pcapng's interface, which stands for the component whose id it does not keep.
  { key: 'pktmon.interface_id', type: 'FT_UINT32', label: 'Interface', kind: 'dec' },
];

/** ndis.direction: from the SendPath and ReceivePath keywords. */
export const NDIS_SEND = 1;
export const NDIS_RECEIVE = 2;

export const ndisFields: FieldDef[] = [
  { key: 'ndis.event_id', type: 'FT_UINT16', label: 'Event', kind: 'dec', names: { 1001: 'Packet fragment', 1003: 'VMSwitch packet fragment' } },
  { key: 'ndis.if_index', type: 'FT_UINT32', label: 'Miniport Interface', kind: 'dec' },
  { key: 'ndis.lower_if_index', type: 'FT_UINT32', label: 'Lower Interface', kind: 'dec' },
  { key: 'ndis.direction', type: 'FT_UINT8', label: 'Direction', kind: 'dec', names: { [NDIS_SEND]: 'Send', [NDIS_RECEIVE]: 'Receive' } },
  { key: 'ndis.events', type: 'FT_UINT32', label: 'Events Joined', kind: 'dec' },
  { key: 'ndis.port_id', type: 'FT_UINT32', label: 'vSwitch Port', kind: 'dec' },
  { key: 'ndis.port_name', type: 'FT_STRING', label: 'Port Name', kind: 'text' },
  { key: 'ndis.nic_name', type: 'FT_STRING', label: 'NIC Name', kind: 'text' },
  { key: 'ndis.nic_type', type: 'FT_STRING', label: 'NIC Type', kind: 'text' },
  { key: 'ndis.destination_count', type: 'FT_UINT32', label: 'Destinations', kind: 'dec' },
  { key: 'ndis.vlan', type: 'FT_UINT16', mask: 0xfff, label: 'VLAN', kind: 'dec' },
  { key: 'ndis.user_priority', type: 'FT_UINT8', mask: 0x7, label: 'User Priority', kind: 'dec' },
];

/** A PktGroupId as a field: the number while it is one (exact, as every JSON reader holds it); its decimal digits beyond. */
const groupField = (v: PktGroupId): FieldValue => (typeof v === 'number' ? v : v.toString());

const NDIS_DESTINATION_COUNT = fieldId('ndis.destination_count');
const NDIS_DIRECTION = fieldId('ndis.direction');
const NDIS_EVENT_ID = fieldId('ndis.event_id');
const NDIS_EVENTS = fieldId('ndis.events');
const NDIS_IF_INDEX = fieldId('ndis.if_index');
const NDIS_LOWER_IF_INDEX = fieldId('ndis.lower_if_index');
const NDIS_NIC_NAME = fieldId('ndis.nic_name');
const NDIS_NIC_TYPE = fieldId('ndis.nic_type');
const NDIS_PORT_ID = fieldId('ndis.port_id');
const NDIS_PORT_NAME = fieldId('ndis.port_name');
const NDIS_USER_PRIORITY = fieldId('ndis.user_priority');
const NDIS_VLAN = fieldId('ndis.vlan');
const PKTMON_APPEARANCE = fieldId('pktmon.appearance');
const PKTMON_COMPONENT = fieldId('pktmon.component');
const PKTMON_COMPONENT_ADDRESS = fieldId('pktmon.component_address');
const PKTMON_COMPONENT_DESCRIPTION = fieldId('pktmon.component_description');
const PKTMON_COMPONENT_ID = fieldId('pktmon.component_id');
const PKTMON_DIRECTION = fieldId('pktmon.direction');
const PKTMON_DROP_LOCATION = fieldId('pktmon.drop_location');
const PKTMON_DROP_REASON = fieldId('pktmon.drop_reason');
const PKTMON_DROPPED = fieldId('pktmon.dropped');
const PKTMON_EDGE_ID = fieldId('pktmon.edge_id');
const PKTMON_FILTER_ID = fieldId('pktmon.filter_id');
const PKTMON_INTERFACE_ID = fieldId('pktmon.interface_id');
const PKTMON_LOGGED_SIZE = fieldId('pktmon.logged_size');
const PKTMON_ORIGINAL_SIZE = fieldId('pktmon.original_size');
const PKTMON_PACKET_TYPE = fieldId('pktmon.packet_type');
const PKTMON_PKT_GROUP_ID = fieldId('pktmon.pkt_group_id');
const PKTMON_PKT_NUMBER = fieldId('pktmon.pkt_number');

function addPktmon(e: PktmonPacketInfo, p: Dissection): void {
  const layer = p.add('pktmon', 0, 0);
  const f = layer.fields;
  f.setValue(PKTMON_PKT_GROUP_ID, groupField(e.pktGroupId));
  f.set(PKTMON_PKT_NUMBER, e.pktNumber);
  f.set(PKTMON_APPEARANCE, e.appearance);
  f.set(PKTMON_COMPONENT_ID, e.componentId);
  if (e.component !== undefined) f.setValue(PKTMON_COMPONENT, e.component);
  if (e.componentDescription !== undefined) f.setValue(PKTMON_COMPONENT_DESCRIPTION, e.componentDescription);
  if (e.componentAddress !== undefined) f.setValue(PKTMON_COMPONENT_ADDRESS, e.componentAddress);
  f.setValue(PKTMON_DIRECTION, e.dirTag);
  f.setValue(PKTMON_EDGE_ID, e.edgeId);
  f.setValue(PKTMON_FILTER_ID, e.filterId);
  f.setValue(PKTMON_PACKET_TYPE, e.packetType);
  // Only a drop (event 170) has a reason and a location: `-Y pktmon.drop_reason` selects the drops.
  if (e.dropped) {
    f.setValue(PKTMON_DROPPED, 1);
    f.setValue(PKTMON_DROP_REASON, e.dropReason);
    f.setValue(PKTMON_DROP_LOCATION, e.dropLocation);
  }
  f.setValue(PKTMON_ORIGINAL_SIZE, e.originalSize);
  f.setValue(PKTMON_LOGGED_SIZE, e.loggedSize);
  if (!e.dropped) return;
  const name = e.component === undefined ? '' : ` (${e.component})`;
  const reason = DROP_REASON_NAMES[e.dropReason];
  const location = `0x${e.dropLocation.toString(16).padStart(8, '0')}`;
  p.warn(layer, 'pktmon.drop', `dropped at component ${e.componentId}${name}: reason ${reason === undefined ? e.dropReason : `${reason} (${e.dropReason})`}, location ${location}`);
}

/** What a converted pcapng kept (PktmonConvertedInfo): the group, the interface, the component's names, the drop. */
function addPktmonConverted(e: PktmonConvertedInfo, p: Dissection): void {
  const layer = p.add('pktmon', 0, 0);
  const f = layer.fields;
  f.setValue(PKTMON_PKT_GROUP_ID, groupField(e.pktGroupId));
  f.set(PKTMON_INTERFACE_ID, e.interfaceId);
  if (e.component !== undefined) f.setValue(PKTMON_COMPONENT, e.component);
  if (e.componentDescription !== undefined) f.setValue(PKTMON_COMPONENT_DESCRIPTION, e.componentDescription);
  if (e.componentAddress !== undefined) f.setValue(PKTMON_COMPONENT_ADDRESS, e.componentAddress);
  if (e.dropped) f.setValue(PKTMON_DROPPED, 1);
  if (!e.dropped) return;
  const name = e.component === undefined ? '' : ` (${e.component})`;
  p.warn(layer, 'pktmon.drop', `dropped at interface ${e.interfaceId}${name}: the converted file keeps no drop reason or location`);
}

function addNdis(e: NdisPacketInfo, p: Dissection): void {
  const f = p.add('ndis', 0, 0).fields;
  f.set(NDIS_EVENT_ID, e.eventId);
  f.set(NDIS_IF_INDEX, e.miniportIfIndex);
  f.set(NDIS_LOWER_IF_INDEX, e.lowerIfIndex);
  if (e.direction !== undefined) f.setValue(NDIS_DIRECTION, e.direction === 'send' ? NDIS_SEND : NDIS_RECEIVE);
  f.setValue(NDIS_EVENTS, e.events);
  const v = e.vswitch;
  if (v !== undefined) {
    f.setValue(NDIS_PORT_ID, v.portId);
    f.setValue(NDIS_PORT_NAME, v.portName);
    f.setValue(NDIS_NIC_NAME, v.nicName);
    f.setValue(NDIS_NIC_TYPE, v.nicType);
    f.setValue(NDIS_DESTINATION_COUNT, v.destinationCount);
    if (v.vlanId !== undefined) f.setValue(NDIS_VLAN, v.vlanId);
    if (v.userPriority !== undefined) f.setValue(NDIS_USER_PRIORITY, v.userPriority);
  }
}

/** The trace's metadata of the frame as its first layer (`pktmon` or `ndis`), before the link layer. */
export function addEtwLayer(e: EtwPacketInfo, p: Dissection): void {
  if (e.provider === 'pktmon') addPktmon(e, p);
  else if (e.provider === 'pktmon-pcapng') addPktmonConverted(e, p);
  else addNdis(e, p);
}
