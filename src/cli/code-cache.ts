import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * The bundle (dist/cli/main.cjs), compiled with the V8 code cache the build wrote beside it.
 * Compiling the bundle and then each function as it first ran was about 12 ms of a start that
 * prints 8 frames in 110 ms. Node 20 has no compile cache for modules (module.enableCompileCache
 * and NODE_COMPILE_CACHE came in Node 22.1), but vm.Script takes cached data, so the bundle is
 * CommonJS, run as Node runs a CommonJS module. A cache from another Node or V8 is rejected by V8
 * (it checks the version, flags and source) and the bundle is compiled as if there were none.
 */
export function compileBundle(file: string, useCache = true): { exports: Record<string, unknown>; script: Script } {
  let cachedData: Buffer | undefined;
  try {
    if (useCache) cachedData = readFileSync(`${file}.cache`);
  } catch {
    // No cache (a build that did not write one): compiled from the source alone.
  }
  const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script };
}

/**
 * After `warmUp` has run the bundle, its code cache: the functions the run compiled are in it too.
 * Compiled without the cache of the last build: V8 checks a cache against the source's length, not
 * its text, so a rebuilt bundle of the same length took the old functions (and wrote them again).
 */
export async function writeCodeCache(file: string, warmUp: (exports: Record<string, unknown>) => Promise<void>): Promise<void> {
  const { exports, script } = compileBundle(file, false);
  await warmUp(exports);
  writeFileSync(`${file}.cache`, script.createCachedData());
}
