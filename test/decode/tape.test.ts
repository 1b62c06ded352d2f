import { describe, expect, it } from 'vitest';
import { Conversations } from '../../src/decode/conversations.js';
import { Reassembler } from '../../src/decode/reassembly.js';
import { RecordingConversations, RecordingFragments, ReplayedConversations, ReplayedFragments, Tape } from '../../src/decode/tape.js';

const A = 0x0a000001;
const B = 0x0a000002;

describe('Tape: the answers of the state, recorded in order and replayed', () => {
  it('a replay gives the TCP and UDP answers the live conversations gave, frames not shown left out', () => {
    const tape = new Tape();
    const rec = new RecordingConversations(new Conversations(), tape);
    const answers: number[][] = [];
    tape.mark();
    const syn = rec.tcp(A, 1000, B, 80, 5000, 0, 0x02);
    answers.push([syn.stream, syn.seq, syn.ack]);
    // A frame that is not shown: decoded (the state moves on) but forgotten on the tape.
    tape.mark();
    rec.udp(A, 53, B, 53);
    tape.rewind();
    tape.mark();
    const ack = rec.tcp(B, 80, A, 1000, 9000, 5001, 0x12);
    answers.push([ack.stream, ack.seq, ack.ack]);
    answers.push([rec.udp(B, 5353, A, 5353)]);
    expect(answers).toEqual([[0, 0, 0], [0, 0, 1], [1]]);

    const { nums, objs } = tape.take();
    const replay = new ReplayedConversations(new Tape(nums, objs));
    const t1 = replay.tcp();
    expect([t1.stream, t1.seq, t1.ack]).toEqual([0, 0, 0]);
    const t2 = replay.tcp();
    expect([t2.stream, t2.seq, t2.ack]).toEqual([0, 0, 1]);
    expect(replay.udp()).toBe(1);
  });

  it('a replay gives the datagram of the fragments and the drops the reassembler reported', () => {
    const tape = new Tape();
    const rec = new RecordingFragments(new Reassembler(), tape);
    rec.add('k', 'IPv4 datagram id 0x0001', 0, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), true, 1, 0);
    expect(rec.takeDropped()).toEqual([]);
    const done = rec.add('k', 'IPv4 datagram id 0x0001', 8, Uint8Array.of(9), false, 2, 1);
    rec.add('old', 'IPv4 datagram id 0x0002', 0, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), true, 3, 2);
    rec.add('new', 'IPv4 datagram id 0x0003', 0, Uint8Array.of(1), true, 4, 100);
    const dropped = rec.takeDropped();
    expect(dropped).toEqual(['IPv4 datagram id 0x0002 (pieces in frames #3) incomplete after 30 s, dropped']);

    const { nums, objs } = tape.take();
    const replay = new ReplayedFragments(new Tape(nums, objs));
    replay.add();
    expect(replay.takeDropped()).toEqual([]);
    expect(replay.add()).toEqual(done);
    expect(done).toMatchObject({ kind: 'complete', datagram: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9), frames: [1, 2] });
    replay.add();
    replay.add();
    expect(replay.takeDropped()).toEqual(dropped);
  });
});
