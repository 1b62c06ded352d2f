// Stands in for node:child_process in the bundle (package.json's build: --alias). commander
// requires it when loaded, for executable subcommands, which this CLI has none of; loading it (and
// the net, dgram and stream modules it pulls in) was 2.3 ms of every start. It is loaded only if
// commander ever spawns.
import type { spawn as Spawn } from 'node:child_process';
import { createRequire } from 'node:module';

export const spawn: typeof Spawn = ((...args: Parameters<typeof Spawn>) =>
  (createRequire(import.meta.url)('node:child_process') as { spawn: typeof Spawn }).spawn(...args)) as typeof Spawn;
