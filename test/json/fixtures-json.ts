import { readdirSync } from 'node:fs';
import { ROOT, runCli } from '../cli/spawn.js';

/** A fixture left out, and why: it holds no frame (netmon.test.ts checks its one error line). */
export const NOT_A_CAPTURE = ['pktmon-stub.etl'];

/** Every capture under fixtures/ (not fixtures/broken), by name. */
export const FIXTURES = readdirSync(`${ROOT}fixtures`)
  .filter((name) => /\.(pcap|pcapng|cap|etl|gz)$/.test(name) && !NOT_A_CAPTURE.includes(name))
  .sort()
  .map((name) => `fixtures/${name}`);

/**
 * The `--json` output of every fixture, one after the other: the same lines as each fixture's own
 * run gives, since every line names its file (the golden .ndjson files are checked against it).
 */
export async function everyFixtureJson(): Promise<string> {
  const r = await runCli(['--json', ...FIXTURES]);
  if (r.code !== 0 || r.stderr !== '') throw new Error(`nvgre-dissect --json fixtures: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}
