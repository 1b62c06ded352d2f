// Issue 17, point 2: the lines of every fixture, in one file, load into DuckDB with
// read_json_auto and no options, and the README's queries (read from the README itself) answer
// what was checked by hand against --stats and the fixtures' scripts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../cli/spawn.js';
import { blocks } from '../readme/transcripts.js';
import { everyFixtureJson, FIXTURES } from './fixtures-json.js';

/** Every `duckdb -c "..."` of the README's sh blocks, in order. */
const QUERIES = blocks(readFileSync(`${ROOT}README.md`, 'utf8'))
  .filter((b) => b.tag === 'sh')
  .flatMap((b) => [...b.lines.join('\n').matchAll(/duckdb -c "([^"]*)"/g)].map((m) => m[1]));

const dir = mkdtempSync(join(tmpdir(), 'nvgre-duckdb-'));
const FRAMES = join(dir, 'frames.ndjson');
let db: DuckDBConnection;
beforeAll(async () => {
  writeFileSync(FRAMES, await everyFixtureJson());
  db = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A README query on the file of every fixture's lines: rows as plain objects, numbers as numbers. */
async function run(sql: string): Promise<Record<string, unknown>[]> {
  const rows = (await db.runAndReadAll(sql.replaceAll("'frames.ndjson'", `'${FRAMES}'`).replaceAll("'frames.parquet'", `'${join(dir, 'frames.parquet')}'`))).getRowObjectsJson();
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) && k !== 'hex' ? Number(v) : v])));
}

describe('every fixture\'s --json in DuckDB, read_json_auto with no options', () => {
  it('the README has the three queries and the Parquet line', () => {
    expect(QUERIES).toHaveLength(4);
  });

  it('infers one type per top-level key: numbers, a timestamp, strings', async () => {
    const types = Object.fromEntries((await run(`DESCRIBE SELECT * FROM read_json_auto('frames.ndjson')`)).map((r) => [r.column_name, r.column_type]));
    expect(types).toMatchObject({
      file: 'VARCHAR', number: 'BIGINT', time: 'TIMESTAMP', len: 'BIGINT', caplen: 'BIGINT', tunnel: 'VARCHAR', vsid: 'BIGINT', flow_id: 'BIGINT',
      pa_src: 'VARCHAR', pa_dst: 'VARCHAR', ca_src: 'VARCHAR', ca_dst: 'VARCHAR', ca_proto: 'BIGINT', severity: 'VARCHAR',
      warnings: 'STRUCT(proto VARCHAR, code VARCHAR, severity VARCHAR, message VARCHAR)[]',
    });
    expect(await run(`SELECT count(*) AS frames, count(DISTINCT file) AS files FROM read_json_auto('frames.ndjson')`)).toEqual([{ frames: 496, files: FIXTURES.length }]);
  });

  it('frames and bytes per VSID: --stats\'s table over the same captures', async () => {
    const rows = await run(QUERIES[0]);
    expect(rows).toEqual([
      { tunnel: 'nvgre', vsid: 0, hex: '0x000000', frames: 1, bytes: 116 },
      { tunnel: 'nvgre', vsid: 4095, hex: '0x000FFF', frames: 1, bytes: 116 },
      { tunnel: 'nvgre', vsid: 4096, hex: '0x001000', frames: 1, bytes: 116 },
      { tunnel: 'nvgre', vsid: 4020644, hex: '0x3D59A4', frames: 199, bytes: 33687 },
      { tunnel: 'nvgre', vsid: 5000000, hex: '0x4C4B40', frames: 1, bytes: 116 },
      { tunnel: 'nvgre', vsid: 8793502, hex: '0x862D9E', frames: 140, bytes: 17765 },
      { tunnel: 'nvgre', vsid: 16777215, hex: '0xFFFFFF', frames: 1, bytes: 116 },
      { tunnel: 'vxlan', vsid: 5001, hex: '0x001389', frames: 11, bytes: 1310 },
    ]);
    const stats = JSON.parse((await runCli(['--stats', '--json', ...FIXTURES])).stdout) as Record<'vsids' | 'vnis', { frames: number; bytes: number }[]>;
    const fromStats = [...stats.vsids, ...stats.vnis].map((s) => [s.frames, s.bytes]);
    expect(rows.map((r) => [r.frames, r.bytes])).toEqual(fromStats);
  });

  it('a tenant\'s conversations by CA pair: VSID 4020644 (the same counted with jq and awk)', async () => {
    const rows = await run(QUERIES[1]);
    expect(rows.map(({ first: _, last: __, ...r }) => Object.values(r))).toEqual([
      ['10.1.0.2', '10.2.0.2', 1, 160, 29572],
      ['10.1.0.2', '10.2.0.2', 6, 15, 1468],
      ['10.1.0.2', '10.2.0.2', 17, 8, 744],
      ['fd10::2', 'fd20::2', 58, 4, 526],
      ['10.9.0.2', '10.2.0.2', 1, 1, 116],
      ['fd10::2', 'fd20::2', 6, 1, 140],
      ['fd10::2', 'fd20::2', 17, 1, 147],
      ['fd10::2', 'ff02::1:ff00:2', 58, 1, 148],
      ['fe80::21d:d8ff:feb7:1c02', 'ff02::2', 58, 1, 132],
    ]);
    expect(rows[0]).toMatchObject({ first: '2013-07-19 08:00:00', last: '2013-07-19 10:00:33.2' });
  });

  it('warnings per code, with their frames and captures', async () => {
    const rows = await run(QUERIES[2]);
    expect(rows.slice(0, 4)).toEqual([
      { code: 'ip.fragment', severity: 'note', warnings: 13, frames: 13, captures: 2 },
      { code: 'nvgre.outer_fragment', severity: 'warn', warnings: 11, frames: 11, captures: 2 },
      { code: 'frame.truncated', severity: 'note', warnings: 9, frames: 9, captures: 2 },
      { code: 'pktmon.drop', severity: 'warn', warnings: 6, frames: 6, captures: 6 },
    ]);
    // --stats counts the same warnings: 64 warnings and errors, 37 notes.
    const sum = (sev: (s: unknown) => boolean): number => rows.filter((r) => sev(r.severity)).reduce((n, r) => n + (r.warnings as number), 0);
    expect([sum((s) => s !== 'note'), sum((s) => s === 'note')]).toEqual([64, 37]);
  });

  it('into Parquet: every line, the types kept', async () => {
    const copy = QUERIES[3].replace("'/dev/stdin'", "'frames.ndjson'");
    await run(copy);
    expect(await run(`SELECT count(*) AS frames, typeof(any_value(time)) AS time, typeof(any_value(vsid)) AS vsid FROM 'frames.parquet'`)).toEqual([
      { frames: 496, time: 'TIMESTAMP', vsid: 'BIGINT' },
    ]);
  });

  it('on one capture alone the queries bind too: no tunnel, no warning (gre-nesting #1 alone, seed-ping)', async () => {
    for (const args of [['-c', '1', 'fixtures/gre-nesting.pcap'], ['fixtures/seed-ping.pcap']]) {
      writeFileSync(FRAMES, (await runCli(['--json', ...args])).stdout);
      expect((await run(QUERIES[2])).length).toBe(0);
      expect((await run(QUERIES[0])).length).toBe(args.length === 1 ? 2 : 0);
    }
  });
});
