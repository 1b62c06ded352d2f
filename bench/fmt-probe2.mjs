import { readFileSync } from 'node:fs';
import { PcapParser, pcapMagic } from '../dist/capture/pcap.js';
import { dissect } from '../dist/decode/dissect.js';
import { Dissection } from '../dist/decode/packet.js';
import { FIELD_DEFS } from '../dist/decode/registry.js';
import { describeLayer } from '../dist/format/describe.js';
import { writeValue } from '../dist/format/fields.js';
import { TextSink, encoded } from '../dist/format/sink.js';
const bytes = readFileSync('bench/corpus/100000.pcap');
const frames = [];
new PcapParser(pcapMagic(bytes)).push(bytes, (f) => { frames.push({ ...f, data: f.data.slice() }); });
const d = new Dissection();
class Null extends TextSink { makeRoom(n) { this.pos = 0; } }
const sink = new Null(1 << 20);
const pre = new Map([...FIELD_DEFS].map(([k, def]) => [k, encoded('      ' + def.label + ': ')]));
const variants = {
  dissectOnly: (pkt) => {},
  forIn: (pkt) => { for (const l of pkt.layers) for (const k in l.fields) sink.byte(10); },
  forInGet: (pkt) => { for (const l of pkt.layers) for (const k in l.fields) { const def = FIELD_DEFS.get(k); sink.byte(def.kind.length); } },
  prefixes: (pkt) => { for (const l of pkt.layers) for (const k in l.fields) { sink.bytes(pre.get(k)); } },
  values: (pkt) => { for (const l of pkt.layers) { const f = l.fields; for (const k in f) { writeValue(FIELD_DEFS.get(k), f[k], sink); } } },
  describe: (pkt) => { for (const l of pkt.layers) sink.str(describeLayer(l)); },
};
for (const [name, fn] of Object.entries(variants)) {
  for (let r = 0; r < 3; r++) {
    const t = process.hrtime.bigint();
    for (const f of frames) fn(dissect(f, d));
    if (r > 0) console.log(name, (Number(process.hrtime.bigint() - t) / frames.length).toFixed(0), 'ns/frame');
  }
}
