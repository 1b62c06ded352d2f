// The harness itself: a property with a wrong expectation must be reported failed by fast-check,
// and each check the properties rely on must reject the lie it is there to catch. Without this, a
// green property suite could mean a harness that cannot fail.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dissect } from '../../src/decode/dissect.js';
import { formatJson } from '../../src/format/json.js';
import { formatSummary } from '../../src/format/summary.js';
import {
  builtFile,
  checkJson,
  checkPacket,
  checkRun,
  checkSummary,
  chunkSizes,
  FIXTURE_FRAMES,
  modelRead,
  PropertyViolation,
  runOn,
  splitBySizes,
  truncatedFrame,
} from './support.js';
import { fieldId } from '../../src/decode/field-store.js';

describe('the harness can fail', () => {
  it('fast-check reports a property with a deliberately wrong expectation as failed, with seed and counterexample', () => {
    // Wrong on purpose: "no truncated fixture frame ever carries a warning".
    const details = fc.check(
      fc.property(truncatedFrame, ({ frame }) => formatSummary(dissect(frame)).includes(' !') === false),
      { numRuns: 2000 },
    );
    expect(details.failed).toBe(true);
    expect(details.counterexample).not.toBeNull();
    expect(typeof details.seed).toBe('number');
    expect(details.counterexamplePath).toEqual(expect.any(String));
  });

  it('an async property over run() with a wrong expectation is reported failed too', async () => {
    // Wrong on purpose: "every constructed file exits 0" (damaged ones exit 2).
    const details = await fc.check(
      fc.asyncProperty(builtFile, chunkSizes, async (file, sizes) => {
        const r = await runOn(splitBySizes(file.bytes, sizes), 'summary', 0);
        return r.code === 0;
      }),
      { numRuns: 300 },
    );
    expect(details.failed).toBe(true);
  });

  it('checkPacket rejects a packet whose VSID is not the key bytes', () => {
    const { frame } = FIXTURE_FRAMES.find(({ frame: f }) => dissect(f).layers.some((l) => l.proto === 'nvgre'))!;
    const pkt = dissect(frame);
    expect(() => checkPacket(frame, pkt)).not.toThrow();
    const nv = pkt.layers.find((l) => l.proto === 'nvgre')!;
    const vsid = fieldId('nvgre.vsid');
    nv.fields.set(vsid, nv.fields.num(vsid)! ^ 1);
    expect(() => checkPacket(frame, pkt)).toThrow(PropertyViolation);
  });

  it('checkPacket rejects a layer running past caplen and an unknown warning code', () => {
    const { frame } = FIXTURE_FRAMES[0];
    const long = dissect(frame);
    const last = long.layers[long.layers.length - 1];
    last.length = frame.caplen - last.offset + 1;
    expect(() => checkPacket(frame, long)).toThrow(/beyond caplen/);
    const odd = dissect(frame);
    odd.frameWarnings = [{ code: 'no.such.code' as never, severity: 'note', message: '' }];
    expect(() => checkPacket(frame, odd)).toThrow(/unknown warning code/);
  });

  it('checkSummary and checkJson reject two lines, a control character, broken JSON and a wrong number', () => {
    const { frame } = FIXTURE_FRAMES[0];
    const summary = formatSummary(dissect(frame));
    const json = formatJson(dissect(frame));
    expect(() => checkSummary(frame, summary)).not.toThrow();
    expect(() => checkJson(frame, json)).not.toThrow();
    expect(() => checkSummary(frame, `x${summary}`)).toThrow(PropertyViolation);
    expect(() => checkSummary(frame, summary.replace(' ', '\n'))).toThrow(PropertyViolation);
    expect(() => checkSummary(frame, summary.replace(' ', ' \u001b[2J'))).toThrow(/control character/);
    expect(() => checkSummary(frame, summary.replace(' ', ' \u009b'))).toThrow(/control character/);
    expect(() => checkJson(frame, json.replace('}', ''))).toThrow(/JSON.parse/);
    expect(() => checkJson({ ...frame, number: frame.number + 1 }, json)).toThrow(/frame.number/);
  });

  it('checkRun rejects a missing frame, a wrong exit code and a stack trace', () => {
    const file = FIXTURE_FRAMES[0].file;
    const empty = modelRead(new Uint8Array(0)); // a broken (empty) file: no frames, damage at 0
    expect(empty.damage).toEqual({ offset: 0 });
    const how = { color: 0, times: true, exact: true } as const;
    const ok = { code: 2, stdout: '', stderr: 'nvgre-dissect: (stdin): at byte 0: empty file: no capture header\n' };
    expect(() => checkRun(ok, 'summary', empty, how)).not.toThrow();
    expect(() => checkRun({ ...ok, code: 0 }, 'summary', empty, how)).toThrow(/exit code/);
    expect(() => checkRun({ ...ok, stderr: `${ok.stderr}    at run (run.ts:1:1)\n` }, 'summary', empty, how)).toThrow(
      PropertyViolation,
    );
    expect(() => checkRun({ ...ok, stderr: ok.stderr.replace('byte 0', 'byte 7') }, 'summary', empty, how)).toThrow(
      /byte offset/,
    );
    const frames = FIXTURE_FRAMES.filter((f) => f.file === file).map((f) => f.frame);
    const all = frames.map((f) => formatSummary(dissect(f))).join('');
    expect(() => checkRun({ code: 0, stdout: all, stderr: '' }, 'summary', { frames, damage: null }, how)).not.toThrow();
    const missing = frames.slice(1).map((f) => formatSummary(dissect(f))).join('');
    expect(() => checkRun({ code: 0, stdout: missing, stderr: '' }, 'summary', { frames, damage: null }, how)).toThrow(/frame numbers/);
  });
});
