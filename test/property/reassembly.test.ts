// IPv4 fragments through the reassembling dissector (the CLI's default): fragments of an honest
// datagram in any order decode, on the frame that completes it, exactly as the unfragmented
// datagram does; no fragment raises an error; every packet passes the frame-level checks.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { dissect } from '../../src/decode/dissect.js';
import { Dissection, type Packet } from '../../src/decode/packet.js';
import { Reassembler } from '../../src/decode/reassembly.js';
import { formatJson } from '../../src/format/json.js';
import { makePalette } from '../../src/format/palette.js';
import { formatSummary } from '../../src/format/summary.js';
import { formatTree } from '../../src/format/tree.js';
import {
  check,
  checkEq,
  checkJson,
  checkPacket,
  checkSummary,
  checkTree,
  fragmentedDatagram,
  params,
  runs,
  timeoutFor,
} from './support.js';
import { keep } from '../fields.js';

const codes = (pkt: Packet): string[] => [...(pkt.frameWarnings ?? []), ...pkt.layers.flatMap((l) => l.warnings ?? [])].map((w) => w.code);
const errors = (pkt: Packet): string[] =>
  [...(pkt.frameWarnings ?? []), ...pkt.layers.flatMap((l) => l.warnings ?? [])]
    .filter((w) => w.severity === 'error' && w.code !== 'dissect.depth_exceeded')
    .map((w) => `${w.code}: ${w.message}`);
/** The layers after the outermost IPv4 header: what reassembly must restore. */
const inner = (pkt: Packet): string => pkt.layers.slice(pkt.layers.findIndex((l) => l.proto === 'ip') + 1).map((l) => l.proto).join('/');

describe('IPv4 reassembly', () => {
  it('honest fragments in any order: one frame completes the datagram and decodes it as if whole', { timeout: timeoutFor(20_000) }, () => {
    fc.assert(
      fc.property(fragmentedDatagram, (g) => {
        try {
          const whole = dissect(g.whole, new Dissection(null));
          const p = new Dissection(new Reassembler());
          const pkts = g.fragments.map((f) => {
            const pkt = dissect(f, p);
            checkPacket(f, pkt);
            checkTree(f, formatTree(pkt, makePalette(0)), false);
            checkSummary(f, formatSummary(pkt));
            checkJson(f, formatJson(pkt));
            check(errors(pkt).length === 0, `false alarm in fragment frame ${f.number}: ${errors(pkt).join('; ')}`);
            return keep(pkt);
          });
          const done = pkts.filter((pkt) => codes(pkt).includes('ip.reassembled')).map((pkt) => pkt.frame.number);
          checkEq(done.join(','), String(g.fragments.length), 'frames that completed the datagram');
          const last = pkts[pkts.length - 1];
          checkEq(inner(last), inner(whole), 'layers decoded from the reassembled datagram vs the whole one');
          checkEq(formatJson(last).includes('"ip.reassembled"') || codes(last).includes('ip.reassembled'), true, 'reassembly said');
        } catch (e) {
          if (e instanceof Error) e.message = `[${g.how}] ${e.message}`;
          throw e;
        }
      }),
      params(runs(1500)),
    );
  });

  it('messy fragments (dropped, repeated, overlapping, bits flipped, cut) never crash or break the output', { timeout: timeoutFor(20_000) }, () => {
    const edit = fc.record({
      pick: fc.nat(),
      kind: fc.constantFrom('repeat', 'drop', 'flip', 'cut', 'shift'),
      at: fc.nat(),
      bit: fc.integer({ min: 0, max: 7 }),
    });
    fc.assert(
      fc.property(fragmentedDatagram, fc.array(edit, { minLength: 1, maxLength: 6 }), (g, edits) => {
        const frames = g.fragments.map((f) => f.data);
        for (const e of edits) {
          if (frames.length === 0) break;
          const k = e.pick % frames.length;
          const d = frames[k];
          if (e.kind === 'repeat') frames.splice(e.at % (frames.length + 1), 0, d);
          else if (e.kind === 'drop') frames.splice(k, 1);
          else if (e.kind === 'cut') frames[k] = d.slice(0, e.at % (d.length + 1));
          else if (e.kind === 'flip') {
            // Mostly the IPv4 header (offsets 14-33): flags, offset, length, id, addresses.
            const o = e.at % 3 === 0 ? e.at % d.length : 14 + (e.at % 20);
            const c = d.slice();
            if (o < c.length) c[o] ^= 1 << e.bit;
            frames[k] = c;
          } else {
            // Overlap: move the fragment offset by a few 8-byte units.
            const c = d.slice();
            if (c.length >= 22) {
              const v = ((c[20] << 8) | c[21]) & 0x1fff;
              const moved = Math.max(0, v + ((e.at % 5) - 2));
              c[20] = (c[20] & 0xe0) | (moved >>> 8);
              c[21] = moved & 0xff;
            }
            frames[k] = c;
          }
        }
        const p = new Dissection(new Reassembler());
        frames.forEach((data, n) => {
          const f = { ...g.whole, number: n + 1, data, caplen: data.length, origLen: data.length };
          try {
            const pkt = dissect(f, p);
            checkPacket(f, pkt);
            checkTree(f, formatTree(pkt, makePalette(1)), true);
            checkSummary(f, formatSummary(pkt));
            checkJson(f, formatJson(pkt));
          } catch (e) {
            if (e instanceof Error) e.message = `[${g.how}; ${JSON.stringify(edits)}; frame ${n + 1}] ${e.message}`;
            throw e;
          }
        });
      }),
      params(runs(1500)),
    );
  });
});
