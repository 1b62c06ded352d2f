import { describe, expect, it } from 'vitest';
import { ETHERTYPE_NAMES, IP_PROTO_NAMES } from '../../src/decode/names.js';
import { describeLayer } from '../../src/format/describe.js';
import { makePalette } from '../../src/format/palette.js';
import { formatSummary } from '../../src/format/summary.js';
import { formatTree } from '../../src/format/tree.js';
import { hex, layer, run } from '../decode/helpers.js';

const ETH = '00155d000103 00155d000102';
const PLAIN = makePalette(0);

describe('layer titles name what their fields name', () => {
  it('PPTP: the GRE title names PPP (0x880b), the PPP title names the protocol its field names', () => {
    const pkt = run(
      hex(
        ETH,
        '0800', //                                              IPv4
        '45 00 0044 0001 0000 40 2f 0000 ac100002 ac100003', // IPv4: len 68, proto 47 (checksum left 0)
        '3001 880b', //                                         GRE version 1 (PPTP): K and S bits, protocol PPP
        '0018 0006', //                                         key: payload length 24, call id 6
        '00000007', //                                          sequence number 7
        'ff03 0021', //                                         PPP: address, control, protocol IPv4
        '45 00 0014 0002 0000 40 ff 0000 0a010002 0a020002', // IPv4: 20 bytes, protocol 255, no payload
      ),
    );
    expect(describeLayer(layer(pkt, 'gre'))).toBe('GRE: flags 0x3001, PPP (0x880b)');
    expect(describeLayer(layer(pkt, 'ppp'))).toBe('PPP: IPv4 (0x0021)');
    const tree = formatTree(pkt, PLAIN);
    expect(tree).toContain('    Protocol Type: PPP (0x880b)\n');
    expect(tree).toContain('      Protocol: IPv4 (0x0021)\n');
  });

  it('IP protocols and ethertypes this tool does not decode are named from one table, as tshark names them', () => {
    // ERSPAN-mirrored PIM hello, as in the public tcpdump ERSPAN capture: IPv4 protocol 103.
    const pim = run(hex(ETH, '0800', '45 c0 001a 0001 0000 01 67 0000 0a300601 e000000d', '2000 0000 0000'));
    expect(describeLayer(layer(pim, 'ip'))).toBe('IPv4: 10.48.6.1 -> 224.0.0.13, PIM (103)');
    expect(formatTree(pim, PLAIN)).toContain('    Protocol: PIM (103)\n');
    expect([IP_PROTO_NAMES[112], IP_PROTO_NAMES[88], IP_PROTO_NAMES[115]]).toEqual(['VRRP', 'EIGRP', 'Layer 2 Tunneling']);

    // A PTP (IEEE 1588) header with nothing after it: named in the tree, the title and the summary line alike.
    const ptp = run(hex('011b19000000 00155d000102', '88f7'));
    expect(describeLayer(layer(ptp, 'eth'))).toBe('Ethernet II: 00:15:5d:00:01:02 -> 01:1b:19:00:00:00, PTPv2 over Ethernet (IEEE1588) (0x88f7)');
    expect(formatTree(ptp, PLAIN)).toContain('    Type: PTPv2 over Ethernet (IEEE1588) (0x88f7)\n');
    expect(formatSummary(ptp)).toContain(' 00:15:5d:00:01:02 -> 01:1b:19:00:00:00 PTPv2 over Ethernet (IEEE1588) (0x88f7) len=14');
    expect([ETHERTYPE_NAMES[0x9000], ETHERTYPE_NAMES[0x8863], ETHERTYPE_NAMES[0x888e]]).toEqual(['Loopback', 'PPPoE Discovery', '802.1X Authentication']);
  });
});
