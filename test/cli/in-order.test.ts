import { describe, expect, it } from 'vitest';
import { InOrder } from '../../src/cli/in-order.js';

describe('InOrder (the ordered merge of --jobs)', () => {
  it('hands results on in the order their slots were taken, whatever order they finish in', () => {
    const out: string[] = [];
    const order = new InOrder<string>((r) => out.push(r));
    const [a, b, c, d] = [order.take(), order.take(), order.take(), order.take()];
    order.fill(c, 'c');
    order.fill(b, 'b');
    expect(out).toEqual([]);
    expect(order.open).toBe(4);
    order.fill(a, 'a');
    expect(out).toEqual(['a', 'b', 'c']);
    expect(order.open).toBe(1);
    order.fill(d, 'd');
    expect(out).toEqual(['a', 'b', 'c', 'd']);
    expect(order.open).toBe(0);
  });
});
