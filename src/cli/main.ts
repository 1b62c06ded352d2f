import { readFileSync } from 'node:fs';
import { supportsColor } from 'chalk';
import { Command, CommanderError } from 'commander';
import { colorLevel, type ColorLevel } from './color.js';
import { EXIT_BROKEN, run, type Streams } from './run.js';

const EXAMPLES = `
Examples:
  nvgre-dissect capture.pcap                 every frame as a tree, VSID and FlowID in the NVGRE node
  tcpdump -i eth0 -U -w - proto gre | nvgre-dissect -
                                             live: frames are printed as they arrive
  nvgre-dissect capture.pcap | grep 'VSID:'  one line per NVGRE header, decimal and hex

Exit status: 0 success; 2 usage error or an unreadable / broken capture (frames before the damage are printed).
Colour only on a terminal; NO_COLOR=1 or --no-color turn it off, --color forces it.`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Parses argv into Options and runs them; returns the exit code (never calls process.exit). */
export async function main(argv: string[], io: Streams = process): Promise<number> {
  const program = new Command('nvgre-dissect')
    .description('Dissect NVGRE (RFC 7637) captures: outer Ethernet/IP, GRE key split into VSID and FlowID, tenant frame.')
    .argument('<capture...>', 'pcap files to read; - reads standard input')
    .option('--color', 'colour the output even when it is not a terminal')
    .option('--no-color', 'never colour the output (as does NO_COLOR=1)')
    .version(version(), '-V, --version')
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`nvgre-dissect: ${s.replace(/^error: /, '')}`),
    });
  try {
    program.parse(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      io.stderr.write("Try 'nvgre-dissect --help' for more information.\n");
      return EXIT_BROKEN;
    }
    throw err;
  }
  const opts = program.opts<{ color?: boolean }>();
  const stdout = io.stdout as NodeJS.WriteStream;
  const detected = (supportsColor ? supportsColor.level : 0) as ColorLevel;
  return run(
    {
      captures: program.args,
      color: colorLevel(opts.color, process.env, stdout.isTTY === true, detected),
    },
    io,
  );
}
