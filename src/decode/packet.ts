import { type Frame, newFrame } from '../capture/frame.js';
import { type Address, type ConversationState, Conversations } from './conversations.js';
import { Fields, fieldId } from './field-store.js';
import type { FragmentState } from './reassembly.js';
import { WARNINGS, type Warning, type WarningCode } from './warnings.js';

/** Protocol ids are Wireshark's display-filter names: the public vocabulary of every output. */
export type ProtoId =
  | 'frame'
  | 'pktmon'
  | 'ndis'
  | 'sll'
  | 'null'
  | 'eth'
  | 'vlan'
  | 'ieee8021ad'
  | 'cmd'
  | 'ip'
  | 'ipv6'
  | 'gre'
  | 'nvgre'
  | 'erspan'
  | 'ppp'
  | 'arp'
  | 'icmp'
  | 'icmpv6'
  | 'tcp'
  | 'udp'
  | 'vxlan'
  | 'data';

export interface Layer {
  proto: ProtoId;
  /** First byte of this layer's header in the frame. */
  offset: number;
  /** Bytes of header this layer covers (its payload belongs to the layers after it). */
  length: number;
  /** Tunnel nesting: layers carried inside a tunnel (GRE, NVGRE) are one deeper. */
  depth: number;
  /** Numbers (addresses too), byte ranges, the odd text, by field id (field-store.ts); text is the formatter's job. */
  fields: Fields;
  warnings: Warning[] | null;
  /** The header was cut short: `fields` holds only what its bytes gave. */
  cut: boolean;
  /** offset/length refer to the packet's reassembled datagram, not to the frame's bytes. */
  reassembled: boolean;
  /**
   * 0, or the frame this layer was decoded from when it is not this one: a later fragment carries
   * the NVGRE header of its datagram's first fragment (offset and length are then 0).
   */
  learntFrom: number;
}

export interface Packet {
  frame: Frame;
  layers: Layer[];
  /** Problems of the frame itself (snaplen cut, nesting cap), not of one protocol layer. */
  frameWarnings: Warning[] | null;
  /** The IP payload put together from this and earlier frames' fragments, when this frame completed one. */
  reassembled: Uint8Array | null;
}

const IP_SRC = fieldId('ip.src');
const IP_DST = fieldId('ip.dst');
const IPV6_SRC = fieldId('ipv6.src');
const IPV6_DST = fieldId('ipv6.dst');

/** Dispatch tables named by decoders; the edges themselves live in bindings.ts. */
export type TableId = 'linktype' | 'ethertype' | 'ip.proto' | 'gre.proto' | 'tcp.port' | 'udp.port';

/**
 * What a decoder writes into: it adds layers, raises warnings and names what comes next. One
 * instance is reused for every frame, and so are its layers, their field stores and the Packet
 * it returns: decoding a frame makes no object (field-store.ts says why). What is kept past the
 * frame is copied. `next*` hold the pending hop so no object is made per hop either.
 */
export class Dissection {
  readonly layers: Layer[] = [];
  /** Every layer handed out so far, for the next frames: layers[i] is always pool[i]. */
  private readonly pool: Layer[] = [];
  /** What dissect() returns, refilled for each frame. */
  readonly packet: Packet = { frame: newFrame(), layers: this.layers, frameWarnings: null, reassembled: null };
  frameWarnings: Warning[] | null = null;
  depth = 0;
  nextTable: TableId | null = null;
  nextKey = 0;
  nextOffset = 0;
  nextEnd = 0;
  nextTunnel = false;
  /** A second key to try when `nextKey` has no binding (UDP/TCP: the source port). */
  nextAltKey = -1;
  /**
   * The carrying IPv4 header's source+destination one's-complement sum, for TCP/UDP checksums;
   * -1 when the payload is not whole (a fragment, a cut frame) and cannot be verified.
   */
  pseudoSum = -1;
  /**
   * Bytes from here on may be missing, by a snaplen cut or because the carrying IPv4 datagram is a
   * first fragment: lengths running past the end are then expected, not errors.
   */
  incomplete = false;
  /** Bytes to decode from the next hop on instead of the frame's: a reassembled datagram. */
  nextData: Uint8Array | null = null;
  reassembled: Uint8Array | null = null;
  /**
   * Set by a first fragment still pending: its datagram's key, and where its payload's layers
   * start. Once the frame is decoded, the NVGRE header found there is lent to the later fragments.
   */
  learnKey: string | null = null;
  learnAfter = 0;
  /** The frame being decoded, for the reassembler's bookkeeping. */
  frameNumber = 0;
  time = 0;
  /**
   * Asked after each layer: true when the layers so far already show the frame will not be shown
   * (a --vsid that the NVGRE header does not carry). Decoding then stops; `rejected` says so.
   */
  rejects: ((layers: readonly Layer[]) => boolean) | null = null;
  rejected = false;
  /** TCP and UDP conversations so far in the capture: tcp.stream, udp.stream, relative tcp.seq. */
  conversations: ConversationState = new Conversations();
  /** Reused by carrier(). */
  private readonly endpoints: { src: Address; dst: Address } = { src: 0, dst: 0 };

  /** `reassembly`: fragment state across the frames of a capture; null shows fragments as they are. */
  constructor(public reassembly: FragmentState | null = null) {}

  reset(): void {
    // pop() keeps the array's store; `length = 0` gives it up, and the next push would make another.
    while (this.layers.length > 0) this.layers.pop();
    this.frameWarnings = null;
    this.depth = 0;
    this.nextTable = null;
    this.pseudoSum = -1;
    this.incomplete = false;
    this.nextData = null;
    this.reassembled = null;
    this.learnKey = null;
    this.rejected = false;
  }

  /** The next layer, its fields empty: the decoder sets them. */
  add(proto: ProtoId, offset: number, length: number): Layer {
    const reassembled = this.reassembled !== null;
    let layer = this.pool[this.layers.length];
    if (layer === undefined) {
      layer = { proto, offset, length, depth: this.depth, fields: new Fields(), warnings: null, cut: false, reassembled, learntFrom: 0 };
      this.pool.push(layer);
    } else {
      layer.proto = proto;
      layer.offset = offset;
      layer.length = length;
      layer.depth = this.depth;
      layer.fields.clear();
      layer.warnings = null;
      layer.cut = false;
      layer.reassembled = reassembled;
      layer.learntFrom = 0;
    }
    this.layers.push(layer);
    return layer;
  }

  /**
   * The addresses of the IP header nearest before the bytes being decoded (the tenant's inside a
   * tunnel), for a transport header's conversation; 0 to 0 when none carries them. Read at once:
   * the object is reused.
   */
  carrier(): { readonly src: Address; readonly dst: Address } {
    const e = this.endpoints;
    e.src = e.dst = 0;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const f = this.layers[i].fields;
      if (f.has(IP_SRC)) {
        e.src = f.num(IP_SRC)!;
        e.dst = f.num(IP_DST)!;
        break;
      }
      if (f.has(IPV6_SRC)) {
        e.src = f.get(IPV6_SRC) as Uint8Array;
        e.dst = f.get(IPV6_DST) as Uint8Array;
        break;
      }
    }
    return e;
  }

  /** The layer added last (the one carrying the bytes now being decoded). */
  last(): Layer | undefined {
    return this.layers[this.layers.length - 1];
  }

  warn(layer: Layer | null, code: WarningCode, message: string): void {
    const w: Warning = { code, severity: WARNINGS[code][0], message };
    if (layer === null) (this.frameWarnings ??= []).push(w);
    else (layer.warnings ??= []).push(w);
  }

  /**
   * When fewer than `min` bytes remain for a header: adds the layer, empty, with `code` and
   * returns true (the caller stops, after setting what the bytes there do give: the ports of a cut
   * TCP header, as decoding keeps what it can). Every decoder starts with this check.
   */
  tooShort(
    proto: ProtoId,
    off: number,
    end: number,
    min: number,
    code: WarningCode,
    header: string,
  ): boolean {
    const avail = end - off;
    if (avail >= min) return false;
    const layer = this.add(proto, off, avail);
    layer.cut = true;
    this.cut(layer, code, `${avail} bytes, ${header} needs ${min}`);
    return true;
  }

  /**
   * A header runs past the bytes there are. In bytes already known to be incomplete (a snaplen
   * cut, a first fragment) that is expected and said once, at the cut: no second warning here.
   */
  cut(layer: Layer, code: WarningCode, message: string): void {
    if (!this.incomplete) this.warn(layer, code, message);
  }

  /** Hands the bytes [offset, end) to the decoder bound to `key` in `table`; `tunnel` nests them. */
  next(table: TableId, key: number, offset: number, end: number, tunnel = false, altKey = -1): void {
    this.nextTable = table;
    this.nextKey = key;
    this.nextAltKey = altKey;
    this.nextOffset = offset;
    this.nextEnd = end;
    this.nextTunnel = tunnel;
  }
}

/** Decodes one protocol at d[offset, end) into `p`. Never throws on packet content. */
export type Decoder = (d: Uint8Array, offset: number, end: number, p: Dissection) => void;
