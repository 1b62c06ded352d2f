// Issue 18, a fast start: bin/ runs one bundled file (Node resolved, read, compiled and linked about
// 80 modules before the first frame), and what only some runs need is loaded by those runs only.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './spawn.js';

/** The specifiers of a module's static imports (`import x from "y"`, `import "y"`), not of import(). */
const staticImports = (code: string): string[] => [...code.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+?\s*from\s*)?["']([^"']+)["']/g)].map((m) => m[1]);

/** The CommonJS modules a run loaded (chalk is loaded by require()), written to stderr at exit. */
const PROBE = `data:text/javascript,${encodeURIComponent(
  "import m from 'node:module'; process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(m._cache))));",
)}`;

function loaded(args: string[]): string[] {
  const r = spawnSync(process.execPath, ['--import', PROBE, BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined } });
  expect(r.status).toBe(0);
  return (JSON.parse(r.stderr) as string[]).map((p) => p.slice(ROOT.length));
}

describe('start-up', () => {
  it('bin/ runs one bundled file that imports only Node modules', () => {
    const bin = readFileSync(BIN, 'utf8');
    expect(staticImports(bin)).toEqual(['../dist/cli/main.js']);
    const imports = staticImports(readFileSync(`${ROOT}dist/cli/main.js`, 'utf8'));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((s) => !s.startsWith('node:'))).toEqual([]);
  });
  it('the import finder sees the shapes a bundle has', () => {
    expect(staticImports('import{a as b}from"node:fs";import"./x.js";var y=1;import * as z from \'chalk\';f(import("lazy"))')).toEqual(['node:fs', './x.js', 'chalk']);
  });
  it('chalk is loaded only when colour is on', () => {
    const chalk = (files: string[]): string[] => files.filter((f) => f.includes('node_modules/chalk/'));
    expect(chalk(loaded(['fixtures/seed-ping.pcap']))).toEqual([]);
    expect(chalk(loaded(['--color', '-s', 'fixtures/seed-ping.pcap']))).toEqual(['node_modules/chalk/source/index.js']);
  });
});
