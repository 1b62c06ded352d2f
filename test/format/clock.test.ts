import { describe, expect, it } from 'vitest';
import { writeSpan } from '../../src/format/clock.js';
import { textOf } from '../../src/format/sink.js';

const span = (sec: number, nsec: number, digits = 9): string => textOf((out) => writeSpan(out, sec, nsec, digits));

describe('writeSpan: a difference of whole seconds and nanoseconds, as tshark writes frame.time_delta', () => {
  it('carries a negative nanosecond part into the seconds (1 s - 512 us is 0.999488, as tshark says on multi-section.pcapng)', () => {
    expect(span(1, -512000)).toBe('0.999488000');
    expect(span(2, -1)).toBe('1.999999999');
    expect(span(0, 1_500_000_000)).toBe('1.500000000');
  });

  it('a negative span has one minus sign, whatever the signs of its parts', () => {
    expect(span(-1, 488000)).toBe('-0.999512000');
    expect(span(0, -500_000_000)).toBe('-0.500000000');
    expect(span(-2, 0)).toBe('-2.000000000');
    expect(span(-1374220804, -500_000_000)).toBe('-1374220804.500000000');
    expect(span(-3, 250_000_000, 3)).toBe('-2.750');
  });
});
