import { describe, expect, it } from 'vitest';
import { colorLevel } from '../../src/cli/color.js';

describe('colorLevel', () => {
  it('uses the terminal level on a TTY and none on a pipe', () => {
    expect(colorLevel(undefined, {}, true, () => 3)).toBe(3);
    expect(colorLevel(undefined, {}, false, () => 3)).toBe(0);
  });
  it('honours NO_COLOR when non-empty, ignores it when empty', () => {
    expect(colorLevel(undefined, { NO_COLOR: '1' }, true, () => 3)).toBe(0);
    expect(colorLevel(undefined, { NO_COLOR: '' }, true, () => 2)).toBe(2);
  });
  it('--no-color and --color win over the environment', () => {
    expect(colorLevel(false, { FORCE_COLOR: '3' }, true, () => 3)).toBe(0);
    expect(colorLevel(true, { NO_COLOR: '1' }, false, () => 0)).toBe(1);
    expect(colorLevel(true, {}, true, () => 2)).toBe(2);
  });
  it('asks for the terminal level only when the answer depends on it', () => {
    const asked: string[] = [];
    const detect = (): 3 => (asked.push('asked'), 3);
    expect(colorLevel(undefined, {}, false, detect)).toBe(0);
    expect(colorLevel(undefined, { NO_COLOR: '1' }, true, detect)).toBe(0);
    expect(colorLevel(false, {}, true, detect)).toBe(0);
    expect(asked).toEqual([]);
    expect(colorLevel(undefined, {}, true, detect)).toBe(3);
    expect(asked).toEqual(['asked']);
  });
  it('FORCE_COLOR uses the level chalk detected from it, even in a pipe', () => {
    expect(colorLevel(undefined, { FORCE_COLOR: '2' }, false, () => 2)).toBe(2);
    expect(colorLevel(undefined, { FORCE_COLOR: '0' }, true, () => 0)).toBe(0);
  });
});
