import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBundle, writeCodeCache } from '../../src/cli/code-cache.js';

describe('the build code cache', () => {
  it('a rebuilt bundle of the same length gets a cache of its own functions, not the last build\'s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nvgre-cache-'));
    try {
      const file = join(dir, 'main.cjs');
      const bundle = (n: number): string => `exports.answer = function answer() { return ${n}; };`;
      const warmUp = async (exports: Record<string, unknown>): Promise<void> => void (exports.answer as () => number)();
      writeFileSync(file, bundle(1));
      await writeCodeCache(file, warmUp);
      writeFileSync(file, bundle(2)); // the same length: V8 takes the old cache for it
      await writeCodeCache(file, warmUp);
      expect((compileBundle(file).exports.answer as () => number)()).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
