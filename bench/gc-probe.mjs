// Loaded with `node --import` into a run of nvgre-dissect by bench/allocation.ts: writes to the file
// named by NVGRE_GC_PROBE how many bytes the V8 heap allocated from here to exit. The heap's use
// only grows by allocation between collections, so the total is, for each collection, its use
// before it less the use after the one before, plus the growth after the last. v8.GCProfiler
// (Node >= 18.15) reports both figures of every collection, young and old; no flag changes the
// run's GC. What lives outside the heap (a Buffer's bytes, a typed array's store) is not counted,
// only the objects that hold them.
import { writeFileSync } from 'node:fs';
import { GCProfiler, getHeapStatistics } from 'node:v8';

const profiler = new GCProfiler();
const startUsed = getHeapStatistics().used_heap_size;
profiler.start();
process.on('exit', () => {
  const { statistics } = profiler.stop();
  let allocated = 0;
  let after = startUsed;
  for (const gc of statistics) {
    allocated += gc.beforeGC.heapStatistics.usedHeapSize - after;
    after = gc.afterGC.heapStatistics.usedHeapSize;
  }
  allocated += getHeapStatistics().used_heap_size - after;
  writeFileSync(process.env.NVGRE_GC_PROBE, JSON.stringify({ allocated, collections: statistics.length }));
});
