// Rewrites the golden files from the current build: run `npm run golden`, then review `git diff test/golden`.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { GOLDEN_CASES } from './cases.js';

for (const { file, args, fixture, code } of GOLDEN_CASES) {
  const run = spawnSync(process.execPath, ['bin/nvgre-dissect', ...args, `fixtures/${fixture}`], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  // A case exits as it says (a comparison that finds a difference, 1): anything else is a broken case, not a golden.
  if (run.status !== (code ?? 0) || run.stderr.length > 0) throw new Error(`${file}: exit ${run.status}, ${run.stderr.toString()}`);
  writeFileSync(`test/golden/${file}`, run.stdout);
}
