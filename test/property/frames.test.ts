// Property 1: a mutated or made-up frame never crashes the dissector or a formatter, and what
// they print stays well-formed (one line, valid JSON, known warnings, no control characters,
// layers inside the captured bytes, fields equal to the bytes they claim to show).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/capture/frame.js';
import { Conversations } from '../../src/decode/conversations.js';
import { dissect } from '../../src/decode/dissect.js';
import { Dissection, type Packet } from '../../src/decode/packet.js';
import { Reassembler } from '../../src/decode/reassembly.js';
import { formatJson } from '../../src/format/json.js';
import { makePalette } from '../../src/format/palette.js';
import { formatSummary } from '../../src/format/summary.js';
import { formatTree } from '../../src/format/tree.js';
import {
  bitFlippedFrame,
  check,
  checkEq,
  checkJson,
  checkPacket,
  checkSummary,
  checkTree,
  FIXTURE_FRAMES,
  FIXTURES,
  type HonestFrame,
  honestFrame,
  type MutatedFrame,
  overwrittenFrame,
  params,
  randomBytesFrame,
  runs,
  scratchFrame,
  snaplenFrame,
  timeoutFor,
  truncatedFrame,
} from './support.js';
import { fieldsOf } from '../fields.js';

const plain = makePalette(0);
const colour = makePalette(1);
/** Reused across cases, as run() reuses one per capture: state leaking from one frame to the next would show. */
const independent = new Dissection(null);
/** The CLI's default: fragments reassembled across frames (here across unrelated cases, which is fine). */
const reassembling = new Dissection(new Reassembler());

function checkRendered(frame: Frame, pkt: Packet): string {
  checkPacket(frame, pkt);
  checkTree(frame, formatTree(pkt, plain), false);
  checkTree(frame, formatTree(pkt, colour), true);
  checkSummary(frame, formatSummary(pkt));
  const json = formatJson(pkt);
  checkJson(frame, json);
  return json;
}

function checkFrame({ how, frame }: MutatedFrame): void {
  try {
    // Each case is a capture of its own: its TCP/UDP conversations (carried across frames on purpose) start afresh.
    independent.conversations = new Conversations();
    const json = checkRendered(frame, dissect(frame, independent));
    checkEq(formatJson(dissect(frame, new Dissection(null))), json, 'a fresh Dissection vs the reused one');
    checkRendered(frame, dissect(frame, reassembling));
  } catch (e) {
    if (e instanceof Error) e.message = `[${how}] ${e.message}`;
    throw e;
  }
}

const property = (arb: fc.Arbitrary<MutatedFrame>): fc.IPropertyWithHooks<[MutatedFrame]> =>
  fc.property(arb, (m) => {
    checkFrame(m);
  });

/** numRuns per generator in `npm test`; x FUZZ_RUNS in `npm run fuzz`. */
const FRAME_RUNS = {
  truncation: 2500,
  bitFlips: 3000,
  overwrites: 3000,
  snaplen: 2000,
  scratch: 3000,
  randomBytes: 1000,
  honest: 3000,
};

describe(`frame mutations of ${FIXTURE_FRAMES.length} fixture frames (${FIXTURES.map((f) => f.name).join(', ')})`, () => {
  it('the fixtures themselves pass every check', () => {
    expect(FIXTURE_FRAMES.length).toBeGreaterThan(0);
    for (const { file, frame } of FIXTURE_FRAMES) checkFrame({ how: `${file}#${frame.number}`, frame });
  });

  it('truncation to any length 0..len', { timeout: timeoutFor(20_000) }, () => {
    fc.assert(property(truncatedFrame), params(runs(FRAME_RUNS.truncation)));
  });

  it('1..8 bit flips', { timeout: timeoutFor(20_000) }, () => {
    fc.assert(property(bitFlippedFrame), params(runs(FRAME_RUNS.bitFlips)));
  });

  it('random bytes written at random offsets, mostly in the headers', { timeout: timeoutFor(20_000) }, () => {
    fc.assert(property(overwrittenFrame), params(runs(FRAME_RUNS.overwrites)));
  });

  it('snaplen cuts: caplen < origLen', { timeout: timeoutFor(20_000) }, () => {
    fc.assert(property(snaplenFrame), params(runs(FRAME_RUNS.snaplen)));
  });
});

describe('frames from scratch', () => {
  it('random header stacks (Ethernet, VLAN, IPv4, GRE, NVGRE, ARP, ICMP, TCP, UDP)', { timeout: timeoutFor(20_000) }, () => {
    fc.assert(property(scratchFrame), params(runs(FRAME_RUNS.scratch)));
  });

  it('random bytes', { timeout: timeoutFor(20_000) }, () => {
    fc.assert(property(randomBytesFrame), params(runs(FRAME_RUNS.randomBytes)));
  });
});

describe('honest frames: never a false alarm, never a missed layer', () => {
  // Every length and checksum as a sender writes them, every type field naming what follows: the
  // dissector must find exactly those layers and raise no error (a bad-checksum or truncation
  // verdict here would be a lie). Notes and RFC 7637 warnings (reserved VSID, ...) may appear.
  // Some are then cut the honest ways, by a snaplen or as a first IPv4 fragment: bytes missing
  // for those reasons are said once (frame.truncated, ip.fragment), never as an error.
  it('well-typed stacks of Ethernet, VLAN, IPv4, GRE, NVGRE, ARP, ICMP, TCP, UDP', { timeout: timeoutFor(20_000) }, () => {
    fc.assert(
      fc.property(honestFrame, (h: HonestFrame) => {
        checkFrame(h);
        const pkt = dissect(h.frame, new Dissection(null));
        const warnings = [...(pkt.frameWarnings ?? []), ...pkt.layers.flatMap((l) => l.warnings ?? [])];
        const deep = warnings.some((w) => w.code === 'dissect.depth_exceeded');
        const errors = warnings.filter((w) => w.severity === 'error' && w.code !== 'dissect.depth_exceeded');
        check(errors.length === 0, `[${h.how}] false alarm: ${errors.map((w) => `${w.code}: ${w.message}`).join('; ')}`);
        for (const l of pkt.layers) {
          for (const key in fieldsOf(l)) {
            if (key.endsWith('.checksum.status')) check(fieldsOf(l)[key] !== 0, `[${h.how}] ${key} is Bad`);
          }
        }
        // Past the nesting cap the rest is data by design: the shape is checked below it.
        if (!deep && h.protos !== null) checkEq(pkt.layers.map((l) => l.proto).join('/'), h.protos.join('/'), `[${h.how}] layers found`);
      }),
      params(runs(FRAME_RUNS.honest)),
    );
  });
});
