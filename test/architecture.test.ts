// DESIGN.md: data flows one way, and no module imports one that imports it back (type imports
// included: a cycle of types is still two modules that cannot be understood apart).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli/spawn.js';

const SRC = resolve(ROOT, 'src');

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? modules(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Each module's local imports, as paths relative to src/. */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of modules(SRC)) {
    const deps = [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)\.js';/gm)].map((m) =>
      relative(SRC, resolve(dirname(file), `${m[1]}.ts`)),
    );
    g.set(relative(SRC, file), deps);
  }
  return g;
}

/** Every import cycle, each as the modules along it. */
function cycles(g: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (m: string): void => {
    state.set(m, 'open');
    path.push(m);
    for (const d of g.get(m) ?? []) {
      if (state.get(d) === 'open') found.push([...path.slice(path.indexOf(d)), d]);
      else if (!state.has(d)) visit(d);
    }
    path.pop();
    state.set(m, 'done');
  };
  for (const m of g.keys()) if (!state.has(m)) visit(m);
  return found;
}

describe('module structure', () => {
  it('no module of src/ imports one that imports it back', () => {
    expect(cycles(graph()).map((c) => c.join(' -> '))).toEqual([]);
  });
  it('finds a cycle where there is one (the check itself)', () => {
    const g = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });
  it('a capture reader does not import the module that chooses the reader', () => {
    const g = graph();
    const readers = [...g.keys()].filter((m) => m.startsWith('capture/') && m !== 'capture/read.ts');
    expect(readers.filter((m) => g.get(m)!.includes('capture/read.ts'))).toEqual([]);
  });
});
