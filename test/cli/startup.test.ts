// Issue 18, a fast start: bin/ runs one bundled file from V8's code cache (Node resolved, read,
// compiled and linked about 80 modules before the first frame), and what only some runs need is
// loaded by those runs only.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './spawn.js';

const BUNDLE = `${ROOT}dist/cli/main.cjs`;

/** The modules a file loads by name: `require("x")` calls and static `import ... from "x"`. */
const loadsByName = (code: string): string[] =>
  [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)|(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+?\s*from\s*)?["']([^"']+)["']/g)].map((m) => m[1] ?? m[2]);

/** The CommonJS modules a run loaded (chalk is loaded by require()), written to stderr at exit. */
const PROBE = `data:text/javascript,${encodeURIComponent(
  "import m from 'node:module'; process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(m._cache))));",
)}`;

/** The Node built-in modules a run loaded (process.moduleLoadList), written to stderr at exit. */
const BUILTINS_PROBE = `data:text/javascript,${encodeURIComponent(
  "process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)))));",
)}`;

function builtins(args: string[]): string[] {
  const r = spawnSync(process.execPath, ['--import', BUILTINS_PROBE, BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status).toBe(0);
  return JSON.parse(r.stderr) as string[];
}

function loaded(args: string[]): string[] {
  const r = spawnSync(process.execPath, ['--import', PROBE, BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined } });
  expect(r.status).toBe(0);
  return (JSON.parse(r.stderr) as string[]).map((p) => p.slice(ROOT.length));
}

describe('start-up', () => {
  it('bin/ runs one bundled file that loads only Node modules', () => {
    expect(loadsByName(readFileSync(BIN, 'utf8'))).toEqual(['../dist/cli/start.cjs']);
    const names = loadsByName(readFileSync(BUNDLE, 'utf8'));
    expect(names).toContain('node:fs');
    expect(names.filter((s) => !s.startsWith('node:'))).toEqual([]);
  });
  it('the name finder sees the shapes a bundle has', () => {
    expect(loadsByName('import{a as b}from"node:fs";import"./x.js";var y=require("node:vm"),z=require( \'./w.js\' );f(import("lazy"))')).toEqual([
      'node:fs',
      './x.js',
      'node:vm',
      './w.js',
    ]);
  });
  it('the build wrote a code cache that this Node accepts for the bundle', () => {
    // A child, not this worker: V8 checks the cache against the flags of the process that reads it.
    const check = `
      const { readFileSync } = require('node:fs');
      const s = new (require('node:vm').Script)(require('node:module').wrap(readFileSync(${JSON.stringify(BUNDLE)}, 'utf8')),
        { filename: ${JSON.stringify(BUNDLE)}, cachedData: readFileSync(${JSON.stringify(`${BUNDLE}.cache`)}) });
      process.stdout.write(String(s.cachedDataRejected));`;
    expect(spawnSync(process.execPath, ['-e', check], { encoding: 'utf8' }).stdout).toBe('false');
  });
  it('the seed loads no built-in module it does not use: child_process (commander loads it for subcommands), zlib, fs/promises', () => {
    const unused = ['child_process', 'zlib', 'fs/promises', 'readline', 'dgram'];
    expect(builtins(['fixtures/seed-ping.pcap']).filter((m) => unused.includes(m))).toEqual([]);
    // The probe sees them when they are used: a gzipped capture needs zlib.
    expect(builtins(['fixtures/seed-ping.pcap.gz'])).toContain('zlib');
  });
  it('the policy readers are set up only for --policy: their modules run in esbuild\'s lazy init, reached by a dynamic import', () => {
    // jsonc-parser builds 1,200 indentation strings when loaded, csv-parse its option tables.
    const bundle = readFileSync(BUNDLE, 'utf8');
    for (const m of ['node_modules/jsonc-parser/lib/esm/impl/string-intern.js', 'node_modules/csv-parse/lib/api/index.js', 'src/cli/policy-files.ts']) {
      expect(bundle, m).toContain(`__esm({"${m}"`);
    }
    expect(bundle).toMatch(/Promise\.resolve\(\)\.then\(\(\)=>\(init_policy_files\(\)/);
  });
  it("the bundle's stand-in for node:child_process spawns as commander would", async () => {
    const { spawn } = await import('../../src/cli/lazy-child-process.js');
    const code = await new Promise((resolve) => spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' }).on('exit', resolve));
    expect(code).toBe(3);
  });
  it('chalk is loaded only when colour is on', () => {
    const chalk = (files: string[]): string[] => files.filter((f) => f.includes('node_modules/chalk/'));
    expect(chalk(loaded(['fixtures/seed-ping.pcap']))).toEqual([]);
    expect(chalk(loaded(['--color', '-s', 'fixtures/seed-ping.pcap']))).toEqual(['node_modules/chalk/source/index.js']);
  });
});
