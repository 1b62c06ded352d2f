import { readFileSync } from 'node:fs';
import { supportsColor } from 'chalk';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { FilterError, parseFilter, parseIpv4, parseIpv6 } from '../filter/parse.js';
import type { Address, Selection } from '../filter/select.js';
import { colorLevel, type ColorLevel } from './color.js';
import { stdinChunks } from '../capture/read.js';
import { Output } from './output.js';
import type { WriteFormat } from '../capture/writer.js';
import type { WriteOptions } from './write-file.js';
import { complain, EXIT_BROKEN, EXIT_OK, type Mode, run, type Streams } from './run.js';

const EXAMPLES = `
Examples:
  nvgre-dissect capture.pcap                     every frame as a tree, VSID and FlowID in the NVGRE node
  nvgre-dissect -s capture.pcap | grep -w vsid=4020644
                                                 one line per frame, grep for a tenant
  nvgre-dissect --json capture.pcap | jq -c '.layers[].proto'
  nvgre-dissect -Y 'nvgre.vsid == 0x3D59A4 && ip.dst == 10.2.0.2' capture.pcap
  nvgre-dissect --stats capture.pcap             per-VSID table: frames, bytes, FlowIDs, PAs, CAs
  nvgre-dissect --lookup capture.pcap            Get-NetVirtualizationLookupRecord, rebuilt from the wire
  nvgre-dissect -x -c 1 capture.pcap             tree and hex dump, the VSID bytes marked
  nvgre-dissect -q --vsid 4020644 capture.pcap   exit 0 if that VSID is in the capture, 1 if not
  nvgre-dissect --vsid 4020644 --decap -w tenant.pcapng capture.cap
                                                 the tenant's own frames as pcapng, to open in Wireshark
  tcpdump -i eth0 -U -w - proto gre | nvgre-dissect -s -
                                                 live: frames are printed as they arrive

Repeated --vsid, --flow-id, --pa or --ca keep frames with any of the values; different options must
all hold. With several captures, each summary line starts with its file's name (as grep -H) and each
JSON object has a "file" key. Capture filters (BPF: host, port, ...) are not taken: use -Y, --ca, --pa.

Exit status: 0 success; 1 a check failed (a filter matched no frame, --strict saw a warning);
2 usage error, an unreadable / broken capture (frames before the damage are printed), or output
that cannot be written (a full disk).
Colour only on a terminal; NO_COLOR=1 or --no-color turn it off, --color forces it.`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** A number as users write VSIDs: decimal or 0x hex, within [0, max]. */
function numberArg(max: number): (value: string) => number {
  return (value) => {
    const v = /^0x[0-9a-f]+$/i.test(value) ? Number.parseInt(value.slice(2), 16) : /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(v >= 0 && v <= max)) throw new InvalidArgumentError(`expected a number from 0 to ${max} (decimal or 0x hex)`);
    return v;
  };
}

function ipArg(value: string): Address {
  const address = parseIpv4(value) ?? parseIpv6(value);
  if (address === null) throw new InvalidArgumentError('expected an IPv4 or IPv6 address');
  return address;
}

function countArg(value: string): number {
  const v = Number(value);
  if (!/^\d+$/.test(value) || v < 1) throw new InvalidArgumentError('expected a positive whole number');
  return v;
}

interface RawOptions {
  color?: boolean;
  reassemble: boolean;
  summary?: boolean;
  json?: boolean;
  stats?: boolean;
  lookup?: boolean;
  hex?: boolean;
  quiet?: boolean;
  strict?: boolean;
  count?: number;
  vsid?: number[];
  flowId?: number[];
  pa?: Address[];
  ca?: Address[];
  filter?: string[];
  write?: string;
  writeFormat?: WriteFormat;
  decap?: boolean;
  print?: boolean;
}

/** A repeatable option's parser: every value is kept, in order (no default: --help would show `[]`). */
const repeated =
  <T>(parse: (value: string) => T) =>
  (value: string, acc: T[] | undefined): T[] => [...(acc ?? []), parse(value)];

function program(io: Streams, writeOut: (s: string) => void): Command {
  return new Command('nvgre-dissect')
    .description('Dissect NVGRE (RFC 7637) captures: outer Ethernet/IP, GRE key split into VSID and FlowID, tenant frame.')
    .argument('<capture...>', 'captures to read: pcap, pcapng (either gzipped), Network Monitor .cap, ETW trace .etl; - reads standard input')
    .addOption(new Option('-s, --summary', 'one line per frame (for grep)').conflicts(['json']))
    .option('--json', 'one JSON object per frame (NDJSON), field names as in Wireshark')
    .addOption(new Option('--stats', 'after the pass, a table per VSID instead of frames (JSON with --json)').conflicts(['summary', 'lookup']))
    .addOption(
      new Option('--lookup', 'after the pass, the HNV lookup records (CA, VSID, MAC, PA) rebuilt from the traffic, and their conflicts').conflicts([
        'summary',
      ]),
    )
    .addOption(new Option('-x, --hex', 'a hex dump after each frame, VSID and FlowID bytes marked').conflicts(['json', 'stats', 'lookup']))
    .option('--vsid <n>', 'only frames with this VSID (decimal or 0x hex; repeat for any of several)', repeated(numberArg(0xffffff)))
    .option('--flow-id <n>', 'only frames with this NVGRE FlowID (repeat for any of several)', repeated(numberArg(0xff)))
    .option('--pa <ip>', 'only frames with this provider (outer) address, source or destination (repeat for any of several)', repeated(ipArg))
    .option('--ca <ip>', 'only frames with this customer (inner) address, source or destination (repeat for any of several)', repeated(ipArg))
    .option(
      '-Y, --filter <expr>',
      "display filter, e.g. 'nvgre.vsid == 0x3D59A4 && ip.dst == 10.2.0.2' (once: join several with && or ||)",
      repeated((v) => v),
    )
    .option('-c, --count <n>', 'stop after n shown frames', countArg)
    .option('-w, --write <file>', 'also write the selected frames to a capture file (pcapng; - for standard output); alone, prints nothing')
    .addOption(new Option('-F, --write-format <format>', 'the format -w writes').choices(['pcapng', 'pcap']))
    .option('--decap', "with -w, write each tunnel's inner Ethernet frame (the tenant's own), its VSID or VNI in the frame's comment")
    .option('-P, --print', 'with -w, print the frames too (as tshark -P); -s, --json and -x print them anyway')
    .option('--no-reassemble', 'show IP fragments as they are instead of decoding the datagram on its last fragment')
    .option('-q, --quiet', 'print nothing; the exit status tells')
    .option('--strict', 'exit 1 if a shown frame carries a warning (severity warn or error)')
    .option('--color', 'colour the output even when it is not a terminal')
    .option('--no-color', 'never colour the output (as does NO_COLOR=1)')
    .version(version(), '-V, --version')
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({
      writeOut,
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`nvgre-dissect: ${s.replace(/^error: /, '')}`),
    });
}

/** The process's own streams; standard input read into reused buffers (see stdinChunks). */
const processIo = (): Streams => ({ stdin: stdinChunks(), stdout: process.stdout, stderr: process.stderr });

/** Parses argv into Options and runs them; returns the exit code (never calls process.exit). */
export async function main(argv: string[], io: Streams = processIo()): Promise<number> {
  // Standard error is the last channel: when it cannot be written either (a full disk, a closed
  // pipe), nothing is left to tell, and the exit status still says what happened.
  io.stderr.on('error', () => undefined);
  // --help and --version go through an Output too: a closed pipe is quiet, a full disk one line and 2.
  let helpOut = undefined as Output | undefined;
  const cmd = program(io, (s) => (helpOut ??= new Output(io.stdout, (m) => complain(io, m))).str(s));
  try {
    cmd.parse(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') {
        if (helpOut === undefined) return EXIT_OK;
        await helpOut.finish();
        return helpOut.failed ? EXIT_BROKEN : EXIT_OK;
      }
      io.stderr.write("Try 'nvgre-dissect --help' for more information.\n");
      return EXIT_BROKEN;
    }
    throw err;
  }
  const o = cmd.opts<RawOptions>();
  const selection: Selection = { vsids: o.vsid, flowIds: o.flowId, pas: o.pa, cas: o.ca };
  // tshark keeps the last of several -Y in silence; dropping a filter the user typed is worse than asking.
  const filters = o.filter ?? [];
  if (filters.length > 1) {
    complain(io, `-Y given ${filters.length} times, but one display filter is taken: join them with && (all must hold) or || (any may), e.g. -Y '(A) && (B)'`);
    return EXIT_BROKEN;
  }
  const filter = filters[0];
  if (filter !== undefined) {
    try {
      selection.filter = parseFilter(filter);
    } catch (err) {
      if (!(err instanceof FilterError)) throw err;
      io.stderr.write(`nvgre-dissect: invalid filter: ${err.message}\n  ${filter}\n  ${' '.repeat(err.column)}^\n`);
      return EXIT_BROKEN;
    }
  }
  const write = writeOptions(o);
  if (typeof write === 'string') {
    complain(io, write);
    return EXIT_BROKEN;
  }
  const stdout = io.stdout as NodeJS.WriteStream;
  const detected = (supportsColor ? supportsColor.level : 0) as ColorLevel;
  const mode: Mode = o.json ? 'json' : o.summary ? 'summary' : 'tree';
  return run(
    {
      captures: cmd.args,
      color: colorLevel(o.color, process.env, stdout.isTTY === true, detected),
      mode,
      stats: o.stats === true,
      lookup: o.lookup === true,
      hex: o.hex === true,
      quiet: o.quiet === true,
      strict: o.strict === true,
      reassemble: o.reassemble,
      count: o.count,
      selection,
      write,
    },
    io,
  );
}

/** -w and the options that go with it, or what is wrong with them. */
function writeOptions(o: RawOptions): WriteOptions | undefined | string {
  if (o.write === undefined) {
    const alone = o.writeFormat !== undefined ? '-F' : o.decap ? '--decap' : o.print ? '-P' : undefined;
    return alone === undefined ? undefined : `${alone} goes with -w FILE, which is not given`;
  }
  const print = o.print === true || o.summary === true || o.json === true || o.hex === true;
  if (o.write === '-' && (print || o.stats === true || o.lookup === true)) {
    return '-w - writes the capture to standard output: it cannot print there too (write to a file, or leave out -s, --json, -x, -P, --stats, --lookup)';
  }
  return { path: o.write, format: o.writeFormat ?? 'pcapng', decap: o.decap === true, print };
}
