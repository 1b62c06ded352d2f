// Rewrites the golden files from the current build: run `npm run golden`, then review `git diff test/golden`.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { GOLDEN_CASES } from './cases.js';

for (const { file, args, fixture } of GOLDEN_CASES) {
  const out = execFileSync(process.execPath, ['bin/nvgre-dissect', ...args, `fixtures/${fixture}`], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  writeFileSync(`test/golden/${file}`, out);
}
