// Rewrites the golden files from the current build: run `npm run golden`, then review `git diff test/golden`.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

for (const name of ['seed-ping', 'seed-ping-vlan', 'tenant-mix']) {
  const out = execFileSync(process.execPath, ['bin/nvgre-dissect', `fixtures/${name}.pcap`], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  writeFileSync(`test/golden/${name}.tree.txt`, out);
}
