import { fstatSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parseIpv4, parseIpv6 } from '../analyze/address.js';
import { FilterError, parseFilter } from '../filter/parse.js';
import type { Address, Selection } from '../filter/select.js';
import { nearestNames } from '../decode/nearest.js';
import { FIELD_DEFS } from '../decode/registry.js';
import { TIME_FORMATS, type TimeFormat } from '../format/clock.js';
import { DEFAULT_FIELDS_STYLE, type FieldsStyle, knownField } from '../format/field-columns.js';
import { FRAME_FIELD } from '../format/field-values.js';
import { formatFieldList, formatProtocolList } from '../format/glossary.js';
import { loadChalk } from '../format/palette.js';
import { escapeControls } from '../format/text.js';
import { caretLines } from './caret.js';
import { colorLevel, type ColorLevel } from './color.js';
import { stdinChunks } from '../capture/read.js';
import { Output } from './output.js';
import type { Policy } from '../policy/model.js';
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
  nvgre-dissect -r capture.pcap -T fields -e frame.number -e nvgre.vsid -e ip.src -E occurrence=l
                                                 chosen columns, tab-separated (-E separator=, -E quote=d: CSV)
  nvgre-dissect --stats capture.pcap             per-VSID table: frames, bytes, FlowIDs, PAs, CAs
  nvgre-dissect --lookup capture.pcap            Get-NetVirtualizationLookupRecord, rebuilt from the wire
  nvgre-dissect --lookup --policy lookup.txt capture.pcap
                                                 the wire held against the hosts' policy: exit 1 on a difference
  nvgre-dissect --journey --vsid 4020644 hnv.etl each pktmon packet's path through the host, drops and why
  nvgre-dissect -x -c 1 capture.pcap             tree and hex dump, the VSID bytes marked
  nvgre-dissect -q --vsid 4020644 capture.pcap   exit 0 if that VSID is in the capture, 1 if not
  nvgre-dissect --vsid 4020644 --decap -w tenant.pcapng capture.cap
                                                 the tenant's own frames as pcapng, to open in Wireshark
  tcpdump -i eth0 -U -w - proto gre | nvgre-dissect -s -
                                                 live: frames are printed as they arrive

Repeated --vsid, --flow-id, --pa, --ca or --vm keep frames with any of the values; different
options must all hold. With several captures, each summary line starts with its file's name (as
grep -H); a JSON object always names its file ("file", schema/frame.schema.json). Capture filters
(BPF: host, port, ...) are not taken: use -Y, --ca, --pa.

Exit status: 0 success; 1 a check failed (a filter matched no frame, --strict saw a warning,
--lookup --policy found a difference); 2 usage error, an unreadable / broken capture (frames
before the damage are printed) or --policy file (FILE:LINE: what is wrong), or output that cannot
be written (a full disk).
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

/** -E's option=value pairs, as tshark takes them; every value checked here, so a typo is a usage error. */
const FIELD_STYLE_HELP = 'header=y|n, separator=/t|/s|<character>, occurrence=f|l|a, aggregator=,|/s|<character>, quote=d|s|n, escape=y|n';

function yesNo(v: string): boolean | undefined {
  return v === 'y' ? true : v === 'n' ? false : undefined;
}

/** A one-character separator or aggregator: /t a tab, /s a space, as tshark spells them. */
function character(v: string): string | undefined {
  if (v === '/t') return '\t';
  if (v === '/s') return ' ';
  return [...v].length === 1 ? v : undefined;
}

const QUOTES: Record<string, string> = { d: '"', s: "'", n: '' };

/** Each -E key's value, parsed; undefined for a value tshark does not take. */
const STYLE_VALUES: { [K in keyof FieldsStyle]: (v: string) => FieldsStyle[K] | undefined } = {
  header: yesNo,
  escape: yesNo,
  separator: character,
  aggregator: character,
  occurrence: (v) => (v === 'f' || v === 'l' || v === 'a' ? v : undefined),
  quote: (v) => QUOTES[v],
};

function fieldStyleArg(value: string, acc: FieldsStyle | undefined): FieldsStyle {
  const eq = value.indexOf('=');
  const key = value.slice(0, Math.max(eq, 0));
  const parse = Object.hasOwn(STYLE_VALUES, key) ? STYLE_VALUES[key as keyof FieldsStyle] : undefined;
  const v = parse?.(value.slice(eq + 1));
  if (v === undefined) throw new InvalidArgumentError(`not a field output option=value pair; the pairs are ${FIELD_STYLE_HELP}`);
  return { ...(acc ?? DEFAULT_FIELDS_STYLE), [key]: v };
}

interface RawOptions {
  read?: string[];
  verbose?: boolean;
  numeric?: boolean;
  lineBuffered?: boolean;
  time?: TimeFormat;
  type?: 'text' | 'json' | 'fields' | 'ek';
  field?: string[];
  fieldStyle?: FieldsStyle;
  glossary?: 'fields' | 'protocols';
  color?: boolean;
  reassemble: boolean;
  summary?: boolean;
  json?: boolean;
  stats?: boolean;
  lookup?: boolean;
  journey?: boolean;
  hex?: boolean;
  quiet?: boolean;
  strict?: boolean;
  count?: number;
  vsid?: number[];
  flowId?: number[];
  pa?: Address[];
  ca?: Address[];
  vm?: string[];
  filter?: string[];
  write?: string;
  writeFormat?: WriteFormat;
  decap?: boolean;
  print?: boolean;
  policy?: string[];
  jobs?: number;
}

/** A repeatable option's parser: every value is kept, in order (no default: --help would show `[]`). */
const repeated =
  <T>(parse: (value: string) => T) =>
  (value: string, acc: T[] | undefined): T[] => [...(acc ?? []), parse(value)];

function program(io: Streams, writeOut: (s: string) => void): Command {
  return new Command('nvgre-dissect')
    .description('Dissect NVGRE (RFC 7637) captures: outer Ethernet/IP, GRE key split into VSID and FlowID, tenant frame.')
    .argument(
      '[capture...]',
      'captures to read: pcap, pcapng (either gzipped), Network Monitor .cap, ETW trace .etl; - (or none, when it is not a terminal) reads standard input',
    )
    .option('-r, --read <file>', 'a capture to read, as the argument (tshark and tcpdump habit; repeatable)', repeated((v) => v))
    .option('-V, --verbose', 'the detailed tree (the default; with -T text, which is the summary otherwise, as in tshark)')
    .addOption(
      new Option('-T, --type <format>', 'output as tshark names it: text (summary lines; tree with -V), json, fields (the -e fields), ek (Elasticsearch bulk)').choices([
        'text',
        'json',
        'fields',
        'ek',
      ]),
    )
    .option('-e, --field <field>', 'with -T fields: a field to print, e.g. ip.src (repeat for more columns; -G fields lists them)', repeated((v) => v))
    .option('-E, --field-style <option=value>', `with -T fields, as tshark: ${FIELD_STYLE_HELP} (repeat for several)`, fieldStyleArg)
    .addOption(
      new Option('-t, --time <format>', "frame times as tshark's -t: a, ad, adoy (local), u, ud, udoy (UTC), e (epoch), r (since the first), d, dd (since the previous read, shown)").choices(
        TIME_FORMATS,
      ),
    )
    .option('-l, --line-buffered', 'hand each frame to the output at once (for a reader that follows, as tcpdump -l)')
    .option('-n, --numeric', 'resolve no names (nothing ever is: accepted for the tshark and tcpdump habit)')
    .addOption(new Option('-G, --glossary <report>', 'list every field (fields) or protocol (protocols) in tshark -G layout, and exit').choices(['fields', 'protocols']))
    .addOption(new Option('-s, --summary', 'one line per frame (for grep)').conflicts(['json']))
    .option('--json', 'one JSON object per frame (NDJSON), field names as in Wireshark')
    .addOption(new Option('--stats', 'after the pass, a table per VSID and one of the underlay per PA pair (MTU: sizes, fragments, ICMP too big) instead of frames (JSON with --json)').conflicts(['summary', 'lookup', 'journey']))
    .addOption(
      new Option('--lookup', 'after the pass, the HNV lookup records (CA, VSID, MAC, PA) rebuilt from the traffic, and their conflicts; with --policy, held against it (exit 1 on a difference)').conflicts([
        'summary',
        'journey',
      ]),
    )
    .addOption(
      new Option(
        '--journey',
        "after the pass, each pktmon packet's path through the host (.etl): where it was seen, encapsulated, dropped (JSON with --json)",
      ).conflicts(['summary']),
    )
    .addOption(new Option('-x, --hex', 'a hex dump after each frame, VSID and FlowID bytes marked').conflicts(['json', 'stats', 'lookup', 'journey']))
    .option('--vsid <n>', 'only frames with this VSID (decimal or 0x hex; repeat for any of several)', repeated(numberArg(0xffffff)))
    .option('--flow-id <n>', 'only frames with this NVGRE FlowID (repeat for any of several)', repeated(numberArg(0xff)))
    .option('--pa <ip>', 'only frames with this provider (outer) address, source or destination (repeat for any of several)', repeated(ipArg))
    .option('--ca <ip>', 'only frames with this customer (inner) address, source or destination (repeat for any of several)', repeated(ipArg))
    .option('--vm <name>', 'only frames from or to this VM, as the policy (--policy) names it (repeat for any of several)', repeated((v) => v))
    .option(
      '-Y, --filter <expr>',
      "display filter, e.g. 'nvgre.vsid == 0x3D59A4 && ip.dst == 10.2.0.2' (once: join several with && or ||)",
      repeated((v) => v),
    )
    .option(
      '--policy <file>',
      "the hosts' HNV policy as PowerShell exports it: lookup records, Get-PACAMapping, customer routes, provider addresses (list, CSV or JSON; repeatable)",
      repeated((v) => v),
    )
    .option('-c, --count <n>', 'stop after n shown frames (as tcpdump -c; tshark -c counts the frames read)', countArg)
    .option(
      '--jobs <n>',
      'threads that decode and write the frames, or read several captures side by side (default: the cores when there are more than 2, else 1; 1 reading a pipe); output as with 1. --stats, --lookup, --journey, -q, -l and -w alone run on one',
      countArg,
    )
    .option('-w, --write <file>', 'also write the selected frames to a capture file (pcapng; - for standard output); alone, prints nothing')
    .addOption(new Option('-F, --write-format <format>', 'the format -w writes').choices(['pcapng', 'pcap']))
    .option('--decap', "with -w, write each tunnel's inner Ethernet frame (the tenant's own), its VSID or VNI in the frame's comment")
    .option('-P, --print', 'with -w, print the frames too (as tshark -P); -s, --json and -x print them anyway')
    .option('--no-reassemble', 'show IP fragments as they are instead of decoding the datagram on its last fragment')
    .option('-q, --quiet', 'print nothing; the exit status tells')
    .option('--strict', 'exit 1 if a shown frame carries a warning (severity warn or error)')
    .option('--color', 'colour the output even when it is not a terminal')
    .option('--no-color', 'never colour the output (as does NO_COLOR=1)')
    .version(version(), '-v, --version', 'show the version (as tshark -v; -V is the detailed tree)')
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({
      writeOut,
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`nvgre-dissect: ${commanderLine(s)}\n`),
    });
}

/** tshark's and tcpdump's options this one does not take, and what to use instead: their usage error says it. */
const NOT_TAKEN: Record<string, string> = {
  '-i': 'captures are read, not taken: pipe one in, as tcpdump -i IFACE -U -w - proto gre | nvgre-dissect -s -',
  '-f': 'capture filters (BPF) are not taken: select with -Y, --vsid, --pa or --ca',
  '-R': 'one pass only: filter with -Y',
  '-2': 'one pass only: filter with -Y',
  '-z': "tshark's statistics are not taken: --stats (per VSID and the underlay), --lookup, --journey",
  '-o': 'no preferences: checksums are always verified, IP fragments reassembled (--no-reassemble to show them as they are)',
};

/**
 * Commander's error as one line, as every usage error is: its "(Did you mean --json?)" line
 * joined on, and "is invalid. expected ..." (our parsers' reasons) read as one sentence.
 */
function commanderLine(s: string): string {
  return s
    .replace(/^error: /, '')
    .trimEnd()
    .replace(/^unknown option '([^']+)'$/, (line, option: string) => (Object.hasOwn(NOT_TAKEN, option) ? `${line}: ${NOT_TAKEN[option]}` : line))
    .replace(/\n\(Did you mean/g, ' (did you mean')
    .replace(/\n/g, ' ')
    .replace(/ is invalid\. (?=[a-z])/, ' is invalid: ');
}

/** A usage error: its one line, and exit 2. */
function usageError(io: Streams, message: string): number {
  complain(io, message);
  return EXIT_BROKEN;
}

/** -G's list, through an Output: a closed pipe is quiet, a full disk one line and 2. */
async function printList(text: string, io: Streams): Promise<number> {
  const out = new Output(io.stdout, (m) => complain(io, m));
  out.str(text);
  await out.finish();
  return out.failed ? EXIT_BROKEN : EXIT_OK;
}

/** The names nearest an unknown field's, for its error. */
function unknownField(name: string): string {
  const near = nearestNames(name, [...FRAME_FIELD.keys(), ...FIELD_DEFS.keys()]);
  return `-e ${name}: no such field${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}; -G fields lists them all`;
}

/**
 * The mode -s, --json, -V and -T ask for (tshark's -T text is the summary line, the tree with
 * -V), with -T fields' columns; or what is wrong with the combination.
 */
function outputShape(o: RawOptions): { mode: Mode; fields?: { names: string[]; style: FieldsStyle } } | string {
  const asked: Mode | undefined = o.type === 'text' ? (o.verbose ? 'tree' : 'summary') : o.type;
  const flag: Mode | undefined = o.json ? 'json' : o.summary ? 'summary' : undefined;
  if (o.verbose && flag === 'summary') return '-V (the tree) and -s (one line per frame) ask for different outputs: choose one';
  if (asked !== undefined && flag !== undefined && asked !== flag) return `-T ${o.type} and ${o.json ? '--json' : '-s'} ask for different outputs: choose one`;
  const mode = asked ?? flag ?? 'tree';
  const names = o.field ?? [];
  if (o.fieldStyle !== undefined && mode !== 'fields') return '-E styles the columns of -T fields: add -T fields';
  if (mode !== 'fields' && mode !== 'ek') return names.length > 0 ? '-e names a column of -T fields (or a field of -T ek): add -T fields' : { mode };
  if (names.length === 0 && mode === 'fields') return '-T fields prints the fields named with -e: give at least one, e.g. -e frame.number -e ip.src';
  const unknown = names.find((n) => !knownField(n));
  if (unknown !== undefined) return unknownField(unknown);
  if (o.hex) return `-x (hex dump) cannot follow -T ${mode} lines: drop one`;
  return { mode, fields: { names, style: o.fieldStyle ?? DEFAULT_FIELDS_STYLE } };
}

/**
 * --jobs when not given: every core, but one thread when a capture comes through a pipe (standard
 * input that is not a file), where a frame should be printed when it arrives rather than when a
 * batch of them is full, and on two cores or fewer, where two threads were slower than one in
 * every mode (a worker decodes its frames again and compiles its own code, and the main thread's
 * share of the work leaves the second core too little to win that back; README, "Every core").
 */
export function defaultJobs(captures: readonly string[], stdinIsFile: () => boolean, cores: number): number {
  return cores <= 2 || (captures.includes('-') && !stdinIsFile()) ? 1 : cores;
}

function stdinIsFile(): boolean {
  try {
    return fstatSync(0).isFile();
  } catch {
    return false;
  }
}

/** NVGRE_DISSECT_BATCH: frames per --jobs batch, for tests only (tiny, so that small fixtures cross threads). */
function batchFrames(): number | undefined {
  const v = process.env.NVGRE_DISSECT_BATCH;
  return v !== undefined && /^[1-9]\d{0,6}$/.test(v) ? Number(v) : undefined;
}

/**
 * The process's own streams; standard input read into reused buffers (see stdinChunks). Standard
 * error is made when first written (most runs write nothing there; making it was 1 ms of a start),
 * and is the last channel: when it cannot be written either (a full disk, a closed pipe), nothing
 * is left to tell, and the exit status still says what happened.
 */
const processIo = (): Streams => {
  let stderr: NodeJS.WritableStream | undefined;
  return {
    stdin: stdinChunks(),
    stdout: process.stdout,
    get stderr() {
      return (stderr ??= process.stderr.on('error', () => undefined));
    },
  };
};

/** Parses argv into Options and runs them; returns the exit code (never calls process.exit). */
export async function main(argv: string[], io: Streams = processIo()): Promise<number> {
  // --help and --version go through an Output too: a closed pipe is quiet, a full disk one line and 2.
  let helpOut = undefined as Output | undefined;
  const cmd = program(io, (s) => (helpOut ??= new Output(io.stdout, (m) => complain(io, m))).str(s));
  // Commander would read -2 as an argument (a negative number), and look for a file of that name.
  if (argv.slice(2).includes('-2')) return usageError(io, `unknown option '-2': ${NOT_TAKEN['-2']}`);
  try {
    cmd.parse(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') {
        if (helpOut === undefined) return EXIT_OK;
        await helpOut.finish();
        return helpOut.failed ? EXIT_BROKEN : EXIT_OK;
      }
      return EXIT_BROKEN;
    }
    throw err;
  }
  const o = cmd.opts<RawOptions>();
  if (o.glossary !== undefined) return printList(o.glossary === 'fields' ? formatFieldList() : formatProtocolList(), io);
  const shape = outputShape(o);
  if (typeof shape === 'string') return usageError(io, shape);
  const captures = [...(o.read ?? []), ...cmd.args];
  // As tcpdump and tshark read a pipe given as -r -: with nothing named, a pipe or file on standard input is the capture.
  if (captures.length === 0) {
    if (process.stdin.isTTY === true) return usageError(io, "missing required argument 'capture' (or -r FILE; standard input is read when it is not a terminal)");
    captures.push('-');
  }
  const selection: Selection = { vsids: o.vsid, flowIds: o.flowId, pas: o.pa, cas: o.ca, vms: o.vm };
  // tshark keeps the last of several -Y in silence; dropping a filter the user typed is worse than asking.
  const filters = o.filter ?? [];
  if (filters.length > 1) {
    return usageError(io, `-Y given ${filters.length} times, but one display filter is taken: join them with && (all must hold) or || (any may), e.g. -Y '(A) && (B)'`);
  }
  const filter = filters[0];
  if (filter !== undefined) {
    try {
      selection.filter = parseFilter(filter);
    } catch (err) {
      if (!(err instanceof FilterError)) throw err;
      io.stderr.write(`nvgre-dissect: invalid filter: ${escapeControls(err.message)}\n${caretLines(filter, err.column)}`);
      return EXIT_BROKEN;
    }
  }
  const write = writeOptions(o);
  if (typeof write === 'string') return usageError(io, write);
  if (o.vm !== undefined && o.policy === undefined) {
    return usageError(io, '--vm selects by the VM names a policy gives: add --policy FILE (an export of Get-NetVirtualizationLookupRecord with VMName)');
  }
  // The policy is read whole before the first frame: a broken export stops the run before any output.
  let policy: Policy | undefined;
  if (o.policy !== undefined) {
    // Loaded only for --policy: its readers (jsonc-parser, csv-parse) set up tables when loaded.
    const { readPolicyOption } = await import('./policy-files.js');
    const read = await readPolicyOption(o.policy);
    if (typeof read === 'string') {
      complain(io, read);
      return EXIT_BROKEN;
    }
    policy = read;
  }
  const stdout = io.stdout as NodeJS.WriteStream;
  const detected = (): ColorLevel => {
    const { supportsColor } = loadChalk();
    return supportsColor ? supportsColor.level : 0;
  };
  return run(
    {
      captures,
      mode: shape.mode,
      time: o.time,
      fields: shape.fields,
      lineBuffered: o.lineBuffered === true,
      color: colorLevel(o.color, process.env, stdout.isTTY === true, detected),
      stats: o.stats === true,
      lookup: o.lookup === true,
      journey: o.journey === true,
      hex: o.hex === true,
      quiet: o.quiet === true,
      strict: o.strict === true,
      reassemble: o.reassemble,
      count: o.count,
      selection,
      write,
      policy,
      jobs: o.jobs ?? defaultJobs(captures, stdinIsFile, availableParallelism()),
      batchFrames: batchFrames(),
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
