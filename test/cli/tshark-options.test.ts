// tshark's and tcpdump's options (issue 16, point 1): -r, standard input, -V, -v, -n, -l, -t, -T, -e, -E, -G.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type Options, run } from '../../src/cli/run.js';
import type { Packet } from '../../src/decode/packet.js';
import { FIELD_DEFS } from '../../src/decode/registry.js';
import { Clock } from '../../src/format/clock.js';
import { DEFAULT_FIELDS_STYLE, fieldsWriter } from '../../src/format/field-columns.js';
import { textOf } from '../../src/format/sink.js';
import { ROOT, runCli } from './spawn.js';

const SEED = 'fixtures/seed-ping.pcap';
const UTC = { env: { TZ: 'UTC' } };

/**
 * Fields whose -T fields text we compare with tshark's recording (test/tshark/*.fields.tsv):
 * one of each kind (decimal, hex of every width, flag, MAC, IPv4, IPv6, bytes, times), on
 * fixtures where both decode the same layers.
 */
const COMPARED = [
  'frame.number', 'frame.len', 'frame.cap_len', 'frame.time_epoch', 'eth.dst', 'eth.src', 'eth.type', 'vlan.id',
  'ip.hdr_len', 'ip.dsfield', 'ip.id', 'ip.flags', 'ip.flags.df', 'ip.ttl', 'ip.proto', 'ip.checksum', 'ip.checksum.status', 'ip.src', 'ip.dst',
  'ipv6.tclass', 'ipv6.flow', 'ipv6.plen', 'ipv6.nxt', 'ipv6.src', 'ipv6.dst',
  'gre.flags_and_version', 'gre.flags.key', 'gre.proto', 'gre.key',
  'icmp.type', 'icmp.checksum', 'icmp.ident', 'icmp.seq', 'icmpv6.type', 'icmpv6.echo.identifier', 'icmpv6.echo.sequence_number',
  'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq_raw', 'tcp.checksum', 'udp.srcport', 'udp.length', 'data.data', 'data.len',
];
/** The fixtures, less the fields tshark decodes otherwise there: it names payloads (DNS, HTTP, SMB) we leave as data. */
const AGREEING: Record<string, string[]> = {
  'seed-ping.pcap': [],
  'seed-ping-vlan.pcap': [],
  'seed-ping.pcapng': [],
  'overlays.pcap': [],
  'nvgre-ipv6.pcap': ['data.data', 'data.len'],
  'tenant-mix.pcap': ['data.data', 'data.len'],
  'bad-checksums.pcap': ['data.data', 'data.len'],
};

describe('-T fields against tshark', () => {
  for (const [fixture, otherwise] of Object.entries(AGREEING)) {
    it(`${fixture}: ${COMPARED.length} fields as tshark -T fields -E occurrence=a writes them`, async () => {
      const [header, ...rows] = readFileSync(`test/tshark/${fixture}.fields.tsv`, 'utf8').trimEnd().split('\n');
      const columns = header.split('\t');
      const fields = COMPARED.filter((f) => columns.includes(f) && !otherwise.includes(f));
      const pick = (line: string): string => {
        const cells = line.split('\t');
        return fields.map((f) => cells[columns.indexOf(f)] ?? '').join('\t');
      };
      const r = await runCli(['-r', `fixtures/${fixture}`, '-T', 'fields', '-E', 'header=y', ...fields.flatMap((f) => ['-e', f])], UTC);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`${[fields.join('\t'), ...rows.map(pick)].join('\n')}\n`);
    });
  }
});

describe('-r and standard input', () => {
  it('-r FILE is the positional argument; repeated, several files as several arguments', async () => {
    const plain = await runCli(['-s', SEED]);
    expect(await runCli(['-s', '-r', SEED])).toEqual(plain);
    const two = await runCli(['-s', '-r', SEED, '-r', 'fixtures/seed-ping.pcapng']);
    expect(two).toEqual(await runCli(['-s', SEED, 'fixtures/seed-ping.pcapng']));
    expect(two.stdout.split('\n')[8]).toMatch(/^fixtures\/seed-ping\.pcapng:1 /);
  });

  it('no capture named and standard input not a terminal: it is read, as - would be', async () => {
    const input = readFileSync(SEED);
    const r = await runCli(['-s'], { input });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe((await runCli(['-s', '-'], { input })).stdout);
    expect(r.stdout.split('\n')).toHaveLength(9);
  });

  it('no capture named and standard input a terminal: a usage error, exit 2', () => {
    // script(1) gives the program a terminal as standard input.
    const r = spawnSync('script', ['-qec', `${process.execPath} bin/nvgre-dissect -s`, '/dev/null'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^nvgre-dissect: missing required argument 'capture' \(or -r FILE/);
  });
});

describe('-V, -v, -n', () => {
  it('-V is the detailed tree (the default), not the version', async () => {
    const r = await runCli(['-V', '-c', '1', SEED]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe((await runCli(['-c', '1', SEED])).stdout);
    expect(r.stdout).toMatch(/^Frame 1: 2013-07-19T08:00:00\.000000Z, 116 bytes on wire/);
  });

  it('-v and --version print the version, as tshark -v', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['-v', '--version']) expect(await runCli([flag])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('-n is accepted and changes nothing (no name is ever resolved)', async () => {
    expect(await runCli(['-n', '-s', SEED])).toEqual(await runCli(['-s', SEED]));
  });
});

describe('-l', () => {
  /** The writes stdout receives for one run. */
  async function writes(lineBuffered: boolean): Promise<string[]> {
    const got: string[] = [];
    const stdout = new Writable({
      write(chunk: Buffer, _enc, cb): void {
        got.push(chunk.toString('utf8'));
        cb();
      },
    });
    const opts = { captures: [`${ROOT}${SEED}`], color: 0, mode: 'summary', stats: false, lookup: false, hex: false, quiet: false, strict: false, reassemble: true, selection: {}, lineBuffered } as Options;
    expect(await run(opts, { stdin: Readable.from([]), stdout, stderr: new Writable({ write: (_c, _e, cb) => cb() }) })).toBe(0);
    return got;
  }

  it('hands every frame to the output as it is written; without it, the file\'s frames go in one write', async () => {
    const lines = await writes(true);
    expect(lines).toHaveLength(8);
    expect(lines.every((l) => /^\d \S+ .*\n$/.test(l))).toBe(true);
    expect(await writes(false)).toEqual([lines.join('')]);
  });
});

describe('-t, as tshark -t (times of the replies, frames 2, 4, 6; tshark 4.0 on the same file)', () => {
  const EXPECTED: Record<string, string[]> = {
    a: ['08:00:00.000512', '08:00:01.000512', '08:00:02.000512'],
    ad: ['2013-07-19 08:00:00.000512', '2013-07-19 08:00:01.000512', '2013-07-19 08:00:02.000512'],
    adoy: ['2013/200 08:00:00.000512', '2013/200 08:00:01.000512', '2013/200 08:00:02.000512'],
    d: ['0.000512', '0.000512', '0.000512'],
    dd: ['0.000000', '1.000000', '1.000000'],
    e: ['1374220800.000512', '1374220801.000512', '1374220802.000512'],
    r: ['0.000512', '1.000512', '2.000512'],
    u: ['08:00:00.000512', '08:00:01.000512', '08:00:02.000512'],
    ud: ['2013-07-19 08:00:00.000512', '2013-07-19 08:00:01.000512', '2013-07-19 08:00:02.000512'],
    udoy: ['2013/200 08:00:00.000512', '2013/200 08:00:01.000512', '2013/200 08:00:02.000512'],
  };
  it.each(Object.entries(EXPECTED))('-t %s in the summary line and the tree', async (t, times) => {
    const s = await runCli(['-s', '-t', t, '--vsid', '8793502', '-c', '3', SEED], UTC);
    expect(s.stdout.trimEnd().split('\n').map((l) => l.slice(2, 2 + times[0].length))).toEqual(times);
    const tree = await runCli(['-t', t, '--vsid', '8793502', '-c', '3', SEED], UTC);
    expect(tree.stdout.split('\n').filter((l) => l.startsWith('Frame '))).toEqual(
      times.map((x, i) => `Frame ${2 * i + 2}: ${x}, 116 bytes on wire, 116 captured`),
    );
  });

  it('a and ad are local time: TZ moves them, not u and ud', async () => {
    const tokyo = { env: { TZ: 'Asia/Tokyo' } };
    expect((await runCli(['-s', '-t', 'ad', '-c', '1', SEED], tokyo)).stdout).toMatch(/^1 2013-07-19 17:00:00\.000000 /);
    expect((await runCli(['-s', '-t', 'ud', '-c', '1', SEED], tokyo)).stdout).toMatch(/^1 2013-07-19 08:00:00\.000000 /);
  });

  it('an unknown format: exit 2, the formats listed', async () => {
    const r = await runCli(['-t', 'x', SEED]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("argument 'x' is invalid. Allowed choices are a, ad, adoy, d, dd, e, r, u, ud, udoy.");
  });
});

describe('-T', () => {
  it('-T text is the summary line, -T text -V the tree, -T json --json', async () => {
    expect((await runCli(['-T', 'text', SEED])).stdout).toBe((await runCli(['-s', SEED])).stdout);
    expect((await runCli(['-T', 'text', '-V', SEED])).stdout).toBe((await runCli([SEED])).stdout);
    expect((await runCli(['-T', 'json', SEED])).stdout).toBe((await runCli(['--json', SEED])).stdout);
  });

  it.each([
    [['-T', 'xml'], "argument 'xml' is invalid. Allowed choices are text, json, fields"],
    [['-T', 'text', '--json'], '-T text and --json ask for different outputs'],
    [['-T', 'json', '-s'], '-T json and -s ask for different outputs'],
    [['-V', '-s'], '-V (the tree) and -s (one line per frame) ask for different outputs'],
    [['-T', 'fields'], '-T fields prints the fields named with -e: give at least one'],
    [['-e', 'ip.src'], '-e names a column of -T fields (or a field of -T ek): add -T fields'],
    [['-E', 'header=y'], '-E styles the columns of -T fields: add -T fields'],
    [['-T', 'fields', '-e', 'ip.src', '-x'], '-x (hex dump) cannot follow -T fields lines'],
    [['-T', 'fields', '-e', 'ip.srcc'], '-e ip.srcc: no such field (did you mean ip.src'],
    [['-T', 'fields', '-e', 'nvgre.vsdi'], '-e nvgre.vsdi: no such field (did you mean nvgre.vsid'],
    [['-T', 'fields', '-e', 'frame.numbr'], 'did you mean frame.number'],
    [['-T', 'fields', '-e', 'ip.src', '-E', 'header=x'], "argument 'header=x' is invalid: not a field output option=value pair"],
    [['-T', 'fields', '-e', 'ip.src', '-E', 'occurrence=2'], "argument 'occurrence=2' is invalid"],
    [['-T', 'fields', '-e', 'ip.src', '-E', 'separator=ab'], "argument 'separator=ab' is invalid"],
    [['-T', 'fields', '-e', 'ip.src', '-E', 'quote=x'], "argument 'quote=x' is invalid"],
    [['-T', 'fields', '-e', 'ip.src', '-E', 'bom=y'], "argument 'bom=y' is invalid"],
  ])('%j: exit 2, one clear line, nothing on stdout', async (args, message) => {
    const r = await runCli([...args, SEED]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });
});

describe('-T fields with -e and -E', () => {
  const fields = (...args: string[]): Promise<string> => runCli(['-T', 'fields', ...args, SEED], UTC).then((r) => r.stdout);

  it('text fields (a pktmon component name) in -T fields and -T ek, as the trace names them', async () => {
    const r = await runCli(['-T', 'fields', '-e', 'frame.number', '-e', 'pktmon.component', '-e', 'nvgre.vsid', '-c', '3', 'fixtures/pktmon-seed.etl']);
    expect(r.stdout).toBe('1\tMicrosoft Hyper-V Network Adapter\t\n2\tVirtual Switch Extension\t\n3\tMellanox ConnectX-4 Lx Ethernet Adapter\t4020644\n');
    const ek = await runCli(['-T', 'ek', '-e', 'pktmon.component', '-c', '1', 'fixtures/pktmon-seed.etl']);
    expect(ek.stdout.split('\n')[1]).toBe('{"timestamp":"1374220800000","layers":{"pktmon_component":["Microsoft Hyper-V Network Adapter"]}}');
  });

  it("the issue's example: a header and one line per frame of exactly those columns", async () => {
    const out = await fields('-e', 'frame.number', '-e', 'nvgre.vsid', '-e', 'ip.dst', '-E', 'occurrence=l', '-E', 'header=y');
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines.slice(0, 3)).toEqual(['frame.number\tnvgre.vsid\tip.dst', '1\t4020644\t10.2.0.2', '2\t8793502\t10.1.0.2']);
  });

  it('tshark defaults: tab, every occurrence joined by commas, no header, no quotes', async () => {
    expect((await fields('-e', 'ip.src', '-e', 'gre.key', '-c', '1')).toString()).toBe('172.16.0.2,10.1.0.2\t0x3d59a400\n');
  });

  it('-E separator=, -E quote=d is CSV (as tshark: the header unquoted, empty cells without quotes)', async () => {
    const out = await fields('-e', 'frame.number', '-e', 'ip.src', '-e', 'eth.type', '-e', 'frame.comment', '-E', 'separator=,', '-E', 'quote=d', '-E', 'header=y', '-c', '2');
    expect(out).toBe('frame.number,ip.src,eth.type,frame.comment\n"1","172.16.0.2,10.1.0.2","0x0800,0x0800",\n"2","172.16.0.3,10.2.0.2","0x0800,0x0800",\n');
  });

  it('occurrence=f and l, separator=/s, aggregator=/s, quote=s', async () => {
    expect(await fields('-e', 'ip.src', '-E', 'occurrence=f', '-c', '1')).toBe('172.16.0.2\n');
    expect(await fields('-e', 'ip.src', '-E', 'occurrence=l', '-c', '1')).toBe('10.1.0.2\n');
    expect(await fields('-e', 'frame.number', '-e', 'ip.src', '-E', 'separator=/s', '-E', 'aggregator=/s', '-c', '1')).toBe('1 172.16.0.2 10.1.0.2\n');
    expect(await fields('-e', 'frame.number', '-E', 'quote=s', '-c', '1')).toBe("'1'\n");
  });

  it("the frame's times as tshark's frame.time_* fields (replies only: the displayed delta counts from the last shown)", async () => {
    const out = await fields('-e', 'frame.number', '-e', 'frame.time', '-e', 'frame.time_epoch', '-e', 'frame.time_delta', '-e', 'frame.time_delta_displayed', '-e', 'frame.time_relative', '--vsid', '8793502', '-c', '2');
    expect(out).toBe(
      '2\tJul 19, 2013 08:00:00.000512000 UTC\t1374220800.000512000\t0.000512000\t0.000000000\t0.000512000\n' +
        '4\tJul 19, 2013 08:00:01.000512000 UTC\t1374220801.000512000\t0.000512000\t1.000000000\t1.000512000\n',
    );
  });

  it('a comment is one cell: escape=y (the default) writes tab, newline, backslash as \\t \\n \\\\; a control or bidi character is always escaped', () => {
    const pkt = { frame: { number: 1, comment: 'a\tb\nc\\d\u202ee\x1b' }, layers: [], frameWarnings: null, reassembled: null } as unknown as Packet;
    const line = (escape: boolean): string =>
      textOf((out) => fieldsWriter(['frame.comment', 'frame.number'], { ...DEFAULT_FIELDS_STYLE, escape }, new Clock())(pkt, out));
    expect(line(true)).toBe('a\\tb\\nc\\\\d\\u202ee\\u001b\t1\n');
    expect(line(false)).toBe('a\tb\nc\\d\\u202ee\\u001b\t1\n');
  });
});

describe('-G', () => {
  it('-G fields: every field with its type and base, each protocol before its fields, as tshark -G fields', async () => {
    const r = await runCli(['-G', 'fields']);
    expect(r.code).toBe(0);
    const lines = r.stdout.slice(0, -1).split('\n');
    // tshark's own lines for these, its description too (tshark -G fields | grep -P '\tgre.key\t').
    expect(lines).toContain('F\tKey\tgre.key\tFT_UINT32\tgre\tBASE_HEX\t0x0\tThe Key field contains a four octet number which was inserted by the encapsulator');
    expect(lines).toContain('F\tType\teth.type\tFT_UINT16\teth\tBASE_HEX\t0x0\t');
    expect(lines).toContain('F\tFrame Number\tframe.number\tFT_UINT32\tframe\tBASE_DEC\t0x0\t');
    // Our label (tshark: Source Address).
    expect(lines).toContain('F\tSource\tip.src\tFT_IPv4\tip\t\t0x0\t');
    expect(lines.indexOf('P\tNVGRE\tnvgre')).toBeLessThan(lines.findIndex((l) => l.includes('\tnvgre.vsid\t')));
    const listed = new Set(lines.filter((l) => l.startsWith('F\t')).map((l) => l.split('\t')[2]));
    for (const key of FIELD_DEFS.keys()) expect(listed.has(key), key).toBe(true);
    expect(lines.every((l) => /^P\t[^\t]+\t[a-z0-9]+(\.[a-z0-9]+)?$|^F(\t[^\t]*){7}$/.test(l))).toBe(true);
  });

  it('-G protocols: name, short name, filter name', async () => {
    const r = await runCli(['-G', 'protocols']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('NVGRE\tNVGRE\tnvgre\n');
    expect(r.stdout.trimEnd().split('\n').every((l) => l.split('\t').length === 3)).toBe(true);
  });
});

// Whole documents of every fixture: test/tshark/ek.test.ts.
describe('-T ek, against tshark -T ek (test/tshark/*.ndjson, recorded by record.sh)', () => {
  it('with -e: exactly what tshark writes, each field an array of its -T fields values', async () => {
    const names = ['frame.number', 'frame.time_relative', 'ip.src', 'ip.flags.df', 'gre.key', 'tcp.flags', 'udp.dstport', 'eth.type'];
    const r = await runCli(['-T', 'ek', ...names.flatMap((n) => ['-e', n]), 'fixtures/tenant-mix.pcap'], UTC);
    expect(r.stdout).toBe(readFileSync('test/tshark/tenant-mix.pcap.ek-fields.ndjson', 'utf8'));
  });

  it('the index is named by the local date, as tshark names it', async () => {
    const r = await runCli(['-T', 'ek', '-c', '1', SEED], { env: { TZ: 'Pacific/Kiritimati' } }); // UTC+14: 2013-07-19T08:00Z is the 19th at 22:00
    expect(r.stdout.split('\n')[0]).toBe('{"index":{"_index":"packets-2013-07-19","_type":"doc"}}');
    const west = await runCli(['-T', 'ek', '-c', '1', SEED], { env: { TZ: 'Etc/GMT+10' } }); // UTC-10: the 18th, 22:00
    expect(west.stdout.split('\n')[0]).toBe('{"index":{"_index":"packets-2013-07-18","_type":"doc"}}');
  });
});
