// temporary probe (not committed): formatter cost per frame, in process
import { readFileSync } from 'node:fs';
import { PcapParser, pcapMagic } from '../dist/capture/pcap.js';
import { dissect } from '../dist/decode/dissect.js';
import { Dissection } from '../dist/decode/packet.js';
import { writeTree } from '../dist/format/tree.js';
import { writeJson } from '../dist/format/json.js';
import { writeSummary } from '../dist/format/summary.js';
import { makePalette } from '../dist/format/palette.js';
import { TextSink } from '../dist/format/sink.js';
const bytes = readFileSync(process.argv[2] ?? 'bench/corpus/100000.pcap');
const frames = [];
const p = new PcapParser(pcapMagic(bytes));
p.push(bytes, (f) => { frames.push({ ...f, data: f.data.slice() }); });
const d = new Dissection();
class Null extends TextSink { makeRoom(n) { this.total = (this.total ?? 0) + this.pos; this.pos = 0; if (n > this.buf.length) this.buf = new Uint8Array(n); } }
const pal = makePalette(0);
const modes = { tree: (k, o) => writeTree(k, pal, o), json: writeJson, summary: writeSummary };
for (const m of (process.argv[3] ?? 'tree,json,summary').split(',')) {
  const sink = new Null(1 << 20);
  for (let r = 0; r < 4; r++) {
    const t = process.hrtime.bigint();
    for (const f of frames) modes[m](dissect(f, d), sink);
    const ns = Number(process.hrtime.bigint() - t);
    if (r > 0) console.log(m, (ns / frames.length).toFixed(0), 'ns/frame', ((sink.total ?? 0) / 1e6).toFixed(0), 'MB');
  }
}
let t;
for (let r = 0; r < 3; r++) { t = process.hrtime.bigint(); for (const f of frames) dissect(f, d); console.log('dissect', (Number(process.hrtime.bigint() - t) / frames.length).toFixed(0), 'ns/frame'); }
