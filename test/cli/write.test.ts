// -w FILE: the selected frames written as pcapng (or classic pcap with -F pcap), read back by our
// own reader and, where it is installed, by tshark: the same frames, times, lengths and comments.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentOption, PcapngWriter } from '../../fixtures/lib/pcapng.js';
import { openCaptureFile } from '../../src/capture/netmon.js';
import { fileChunks, readCapture } from '../../src/capture/read.js';
import { hasTshark, ROOT, runCli } from './spawn.js';

if (!hasTshark) console.warn('tshark is not installed: the -w files are checked with our own reader only');

const dir = mkdtempSync(join(tmpdir(), 'nvgre-write-'));
const fixture = (name: string): string => join(ROOT, 'fixtures', name);
const CAPTURES = resolve(ROOT, process.env.NVGRE_CAPTURES ?? '../shared/captures');

interface Read {
  data: string;
  origLen: number;
  time: string;
  linktype: number;
  comment: string | undefined;
  iface: string | undefined;
}

/** Every frame of a capture as our reader gives it; records that hold no packet are left out, as -w leaves them. */
async function frames(path: string): Promise<Read[]> {
  const out: Read[] = [];
  await readCapture(
    fileChunks(path),
    {
      onFrame: (f) => {
        if (f.linktype < 0) return;
        const etw = f.etw?.provider === 'ndis' ? f.etw.vswitch?.nicName || undefined : f.etw?.component;
        out.push({
          data: Buffer.from(f.data).toString('hex'),
          origLen: f.origLen,
          time: `${f.tsSec}.${String(f.tsNsec).padStart(9, '0')}`,
          linktype: f.linktype,
          comment: f.comment,
          iface: f.interfaceName ?? etw,
        });
      },
      afterChunk: () => false,
    },
    () => openCaptureFile(path),
  );
  return out;
}

/** tshark's reading of a file: one line per frame, its time, lengths, interface name and comment. */
function tshark(path: string, fields = ['frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.interface_name', 'frame.comment']): string[] {
  const args = ['-r', path, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])];
  return execFileSync('tshark', args, { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] })
    .split('\n')
    .filter((l) => l !== '');
}

/** What tshark would print for our reading of the frames (it shows an absent name as "unknown"). */
const asTshark = (fs: Read[]): string[] =>
  fs.map((f) => [f.time, f.origLen, f.data.length / 2, f.iface ?? 'unknown', (f.comment ?? '').replace(/\n/g, '\\n')].join('\t'));

describe('-w FILE writes the frames as read, from every input format', () => {
  const inputs = [
    'seed-ping.pcap',
    'seed-ping-ns-be.pcap',
    'seed-ping.pcap.gz',
    'seed-ping-ns.pcapng',
    'multi-section.pcapng',
    'seed-ping.cap',
    'seed-ping-nm20.cap',
    'netmon-special.cap',
    'pktmon-seed.etl',
    'ndis-seed.etl',
  ];
  for (const name of inputs) {
    it(`${name}: identical frames, times, lengths, link types, comments and interface names`, async () => {
      const out = join(dir, `${name}.pcapng`);
      const r = await runCli(['-w', out, fixture(name)]);
      expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
      const original = await frames(fixture(name));
      // An ETW trace's frames gain a first comment line: what the trace logged with the packet (below).
      const etl = name.endsWith('.etl');
      const noted = etl ? original.map((f, i) => ({ ...f, comment: [`note ${i}`, ...(f.comment === undefined ? [] : [f.comment])].join('\n') })) : original;
      const written = (await frames(out)).map((f, i) => (etl ? { ...f, comment: f.comment?.replace(/^[^\n]*/, `note ${i}`) } : f));
      expect(written.length).toBeGreaterThan(0);
      expect(written).toEqual(noted);
      // tshark shows a comment's newline as \n: the note is the last column up to it.
      const renote = (line: string, i: number): string => (etl ? line.replace(/\t[^\t\\]*(?=(\\n[^\t]*)?$)/, `\tnote ${i}`) : line);
      if (hasTshark) expect(tshark(out).map(renote)).toEqual(asTshark(noted));
    });
  }

  it('pktmon: one interface per component the packet was seen at, named after it', async () => {
    const out = join(dir, 'ifaces.pcapng');
    await runCli(['-w', out, fixture('pktmon-seed.etl')]);
    const names = [...new Set((await frames(out)).map((f) => f.iface))];
    expect(names).toEqual(['Microsoft Hyper-V Network Adapter', 'Virtual Switch Extension', 'Mellanox ConnectX-4 Lx Ethernet Adapter']);
    if (hasTshark) expect([...new Set(tshark(out, ['frame.interface_id', 'frame.interface_name']))]).toEqual(names.map((n, i) => `${i}\t${n}`));
  });

  it('an ETW trace: what it logged with each packet is the first comment', async () => {
    const comments = async (name: string): Promise<(string | undefined)[]> => {
      const out = join(dir, `noted-${name}.pcapng`);
      await runCli(['-c', '3', '-w', out, fixture(name)]);
      return (await frames(out)).map((f) => f.comment);
    };
    expect(await comments('pktmon-seed.etl')).toEqual([
      'at component 9 (Microsoft Hyper-V Network Adapter), direction In, appearance 1 of PktGroupId 562949953421313',
      'at component 31 (Virtual Switch Extension), direction In, appearance 2 of PktGroupId 562949953421313',
      'at component 12 (Mellanox ConnectX-4 Lx Ethernet Adapter), direction Out, appearance 3 of PktGroupId 562949953421313',
    ]);
    expect(await comments('ndis-seed.etl')).toEqual([
      'sent on interface 12',
      'received on interface 12, vSwitch port 3 (4D2B6E1A-vm1-port, NIC vm1), VLAN 7',
      'sent on interface 12',
    ]);
  });

  it('a pcapng interface name and packet comments are kept', async () => {
    const input = join(dir, 'named.pcapng');
    const frame = readFileSync(fixture('seed-ping.pcap')).subarray(40, 40 + 116);
    writeFileSync(
      input,
      new PcapngWriter()
        .section('le')
        .interface({ linktype: 1, snaplen: 0, tsresol: 9, options: [{ code: 2, value: Buffer.from('eth0 (host 1)') }] })
        .enhancedPacket({ iface: 0, ts: 1_374_220_800_123_456_789n, data: frame, options: [commentOption('first'), commentOption('second')] })
        .finish(),
    );
    const out = join(dir, 'named-out.pcapng');
    await runCli(['-w', out, input]);
    expect(await frames(out)).toEqual([
      { data: Buffer.from(frame).toString('hex'), origLen: 116, time: '1374220800.123456789', linktype: 1, comment: 'first\nsecond', iface: 'eth0 (host 1)' },
    ]);
    // Our reader joins a packet's comments with a newline, and they are written back as one comment.
    if (hasTshark) expect(tshark(out)).toEqual(['1374220800.123456789\t116\t116\teth0 (host 1)\tfirst\\nsecond']);
  });
});

describe('-w with the filters and the other modes', () => {
  it('--vsid 4020644 -w writes the 4 requests of that tenant, and prints nothing', async () => {
    const out = join(dir, 'tenant.pcapng');
    const r = await runCli(['--vsid', '4020644', '-w', out, fixture('seed-ping.pcap')]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const all = await frames(fixture('seed-ping.pcap'));
    expect(await frames(out)).toEqual([all[0], all[2], all[4], all[6]]);
    if (hasTshark) {
      expect(tshark(out, ['gre.key', 'ip.src', 'ip.dst', 'icmp.type'])).toEqual(
        Array(4).fill('0x3d59a400\t172.16.0.2,10.1.0.2\t172.16.0.3,10.2.0.2\t8'),
      );
    }
  });

  it('with -s it prints as usual and writes the file; -c and -Y apply to what is written', async () => {
    const out = join(dir, 'with-summary.pcapng');
    const plain = await runCli(['-s', '-c', '2', '-Y', 'icmp.type == 0', fixture('seed-ping.pcap')]);
    const r = await runCli(['-s', '-c', '2', '-Y', 'icmp.type == 0', '-w', out, fixture('seed-ping.pcap')]);
    expect(r).toEqual(plain);
    expect(r.stdout.split('\n')[0]).toMatch(/^2 .*Echo \(ping\) reply/);
    const all = await frames(fixture('seed-ping.pcap'));
    expect(await frames(out)).toEqual([all[1], all[3]]);
  });

  it('-P prints the tree too; -w - writes the capture to standard output', async () => {
    const out = join(dir, 'with-tree.pcapng');
    const tree = await runCli(['-c', '1', fixture('seed-ping.pcap')]);
    expect(await runCli(['-P', '-c', '1', '-w', out, fixture('seed-ping.pcap')])).toEqual(tree);
    const piped = await runCli(['-c', '1', '-w', '-', fixture('seed-ping.pcap')]);
    expect(piped.code).toBe(0);
    expect(Buffer.from(piped.stdout, 'latin1').subarray(0, 4).toString('hex')).toBe('0a0d0d0a');
  });

  it('an empty selection writes a valid file with no frames, and exits 1 as a filter that matched nothing does', async () => {
    const out = join(dir, 'empty.pcapng');
    const r = await runCli(['--vsid', '1234567', '-w', out, fixture('seed-ping.pcap')]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: '' });
    expect(await frames(out)).toEqual([]);
    if (hasTshark) expect(tshark(out)).toEqual([]);
  });
});

describe('--decap writes the tenant frames', () => {
  it("--vsid 4020644 --decap: the 4 inner frames, ICMP from 10.1.0.2 to 10.2.0.2, the VSID in each frame's comment", async () => {
    const out = join(dir, 'decap.pcapng');
    const r = await runCli(['--vsid', '4020644', '--decap', '-w', out, fixture('seed-ping.pcap')]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const all = await frames(fixture('seed-ping.pcap'));
    const note = 'NVGRE VSID 4020644 (0x3D59A4) FlowID 0, PA 172.16.0.2 -> 172.16.0.3';
    // Outer Ethernet 14 + IPv4 20 + GRE with key 8: the tenant's frame starts at byte 42 (hex -x marks it there).
    const inner = [0, 2, 4, 6].map((i) => ({ ...all[i], data: all[i].data.slice(84), origLen: all[i].origLen - 42, comment: note }));
    expect(await frames(out)).toEqual(inner);
    if (hasTshark) {
      expect(tshark(out, ['frame.protocols', 'ip.src', 'ip.dst', 'icmp.type', 'frame.comment'])).toEqual(
        Array(4).fill(`eth:ethertype:ip:icmp:data\t10.1.0.2\t10.2.0.2\t8\t${note}`),
      );
    }
  });

  it('fragments: the inner frame of each reassembled datagram, whole; a fragment alone is left out', async () => {
    const out = join(dir, 'fragments.pcapng');
    expect((await runCli(['--decap', '-w', out, fixture('fragments.pcap')])).code).toBe(0);
    const written = await frames(out);
    // Frames 2, 4 (IPv6 fragments), 6 and 11 complete a datagram: ICMP seq 1, 2, 1 (reply), 4.
    expect(written.map((f) => [f.data.length / 2, f.origLen])).toEqual([[1514, 1514], [1514, 1514], [1514, 1514], [74, 74]]);
    if (hasTshark) {
      expect(tshark(out, ['ip.len', 'icmp.seq', 'frame.comment'])).toEqual([
        '1500\t1\tNVGRE VSID 4020644 (0x3D59A4) FlowID 0, PA 172.16.0.2 -> 172.16.0.3',
        '1500\t2\tNVGRE VSID 4020644 (0x3D59A4) FlowID 0, PA fd00:16::2 -> fd00:16::3',
        '1500\t1\tNVGRE VSID 8793502 (0x862D9E) FlowID 0, PA 172.16.0.3 -> 172.16.0.2',
        '60\t4\tNVGRE VSID 4020644 (0x3D59A4) FlowID 0, PA 172.16.0.2 -> 172.16.0.3',
      ]);
    }
  });

  it('a frame the capture cut: the inner frame keeps its length on the wire', async () => {
    const out = join(dir, 'snaplen.pcapng');
    expect((await runCli(['--decap', '-c', '1', '-w', out, fixture('snaplen-64.pcap')])).code).toBe(0);
    // 64 captured of 116: 22 of the inner frame's 74 bytes (116 - 42).
    expect((await frames(out)).map((f) => [f.data.length / 2, f.origLen])).toEqual([[22, 74]]);
  });

  it("VXLAN carries its VNI; NVGRE mirrored through ERSPAN gives the tenant's frame, not the mirrored one", async () => {
    const out = join(dir, 'overlays.pcapng');
    expect((await runCli(['--decap', '-w', out, fixture('overlays.pcap')])).code).toBe(0);
    const there = 'PA 172.16.0.2 -> 172.16.0.3';
    const back = 'PA 172.16.0.3 -> 172.16.0.2';
    const vxlan = [there, back, there, back, there, back, there, back, there].map((pa) => `VXLAN VNI 5001 (0x001389), ${pa}`);
    const mirrored = [
      `NVGRE VSID 4020644 (0x3D59A4) FlowID 0, ${there}`,
      `NVGRE VSID 8793502 (0x862D9E) FlowID 0, ${back}`,
      `NVGRE VSID 4020644 (0x3D59A4) FlowID 0, ${there}`,
      `NVGRE VSID 8793502 (0x862D9E) FlowID 0, ${back}`,
      `NVGRE VSID 4020644 (0x3D59A4) FlowID 0, ${there}`,
    ];
    expect((await frames(out)).map((f) => f.comment)).toEqual([...vxlan, ...mirrored]);
    if (hasTshark) expect(new Set(tshark(out, ['frame.protocols']))).toEqual(new Set(['eth:ethertype:ip:icmp:data']));
  });

  it.skipIf(!existsSync(CAPTURES))('ERSPAN type II mirroring plain traffic (a public capture): the mirrored frame, the session in its comment', async () => {
    const out = join(dir, 'erspan.pcapng');
    expect((await runCli(['--decap', '-w', out, join(CAPTURES, 'neighbour_erspan-ii_tcpdump_erspan-type-ii-1.pcap')])).code).toBe(0);
    expect((await frames(out)).map((f) => [f.comment, f.origLen])).toEqual([['ERSPAN session 666, PA 1.1.1.2 -> 192.168.255.5', 72]]);
    if (hasTshark) expect(tshark(out, ['ip.src', 'ip.dst', 'frame.protocols'])).toEqual(['10.48.6.1\t224.0.0.13\teth:ethertype:ip:pim']);
  });
});

describe('-F pcap', () => {
  it('a nanosecond capture: the nanosecond magic, every time to the nanosecond', async () => {
    const out = join(dir, 'ns.pcap');
    expect((await runCli(['-F', 'pcap', '-w', out, fixture('seed-ping-ns.pcapng')])).code).toBe(0);
    expect(readFileSync(out).subarray(0, 4).toString('hex')).toBe('4d3cb2a1');
    const original = await frames(fixture('seed-ping-ns.pcapng'));
    const written = await frames(out);
    expect(written).toEqual(original.map((f) => ({ ...f, iface: undefined })));
    if (hasTshark) expect(tshark(out, ['frame.time_epoch'])).toEqual(original.map((f) => f.time));
  });

  it('a microsecond capture: the microsecond magic; -F pcapng is the default format', async () => {
    const out = join(dir, 'us.pcap');
    expect((await runCli(['-F', 'pcap', '-w', out, fixture('seed-ping.pcap')])).code).toBe(0);
    expect(readFileSync(out).subarray(0, 4).toString('hex')).toBe('d4c3b2a1');
    expect(await frames(out)).toEqual(await frames(fixture('seed-ping.pcap')));
    const ng = join(dir, 'us.pcapng');
    expect((await runCli(['-F', 'pcapng', '-w', ng, fixture('seed-ping.pcap')])).code).toBe(0);
    expect(readFileSync(ng).subarray(0, 4).toString('hex')).toBe('0a0d0d0a');
  });

  it('an .etl (100 ns clock) gets the nanosecond magic, a Network Monitor .cap (microseconds) the microsecond one', async () => {
    for (const [name, magic] of [['pktmon-seed.etl', '4d3cb2a1'], ['seed-ping.cap', 'd4c3b2a1']]) {
      const out = join(dir, `${name}.pcap`);
      expect(await runCli(['-F', 'pcap', '-w', out, fixture(name)])).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(readFileSync(out).subarray(0, 4).toString('hex')).toBe(magic);
      const original = await frames(fixture(name));
      expect(await frames(out)).toEqual(original.map((f) => ({ ...f, iface: undefined })));
      if (hasTshark) expect(tshark(out, ['frame.time_epoch', 'frame.len'])).toEqual(original.map((f) => `${f.time}\t${f.origLen}`));
    }
  });

  it('a second link type is an error naming the frame, exit 2', async () => {
    const out = join(dir, 'mixed.pcap');
    const r = await runCli(['-F', 'pcap', '-w', out, fixture('multi-section.pcapng')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `nvgre-dissect: -w ${out}: frame 6 has link type 147, but a pcap file holds one link type (1, from frame 1): write pcapng (leave out -F pcap)\n`,
    );
  });
});

describe('-w errors', () => {
  it('a path that cannot be created: one line, exit 2, before any frame', async () => {
    const r = await runCli(['-s', '-w', join(dir, 'no-dir', 'x.pcapng'), fixture('seed-ping.pcap')]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `nvgre-dissect: -w ${join(dir, 'no-dir', 'x.pcapng')}: cannot write: no such directory\n` });
  });

  it('the path of a capture being read is refused, and the capture is left whole', async () => {
    const input = join(dir, 'same.pcap');
    writeFileSync(input, readFileSync(fixture('seed-ping.pcap')));
    // Named second, after standard input and another capture: all are checked.
    const r = await runCli(['-w', input, '-', fixture('seed-ping.pcap'), input]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `nvgre-dissect: -w ${input}: is the capture ${input} being read: write to another file\n` });
    expect(statSync(input).size).toBe(statSync(fixture('seed-ping.pcap')).size);
  });

  it('-w typed for -r (standard input empty): exit 2, and the file it names is left as it was', async () => {
    const kept = join(dir, 'kept.pcap');
    writeFileSync(kept, readFileSync(fixture('seed-ping.pcap')));
    const r = await runCli(['-w', kept], { input: new Uint8Array(0) });
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'nvgre-dissect: (stdin): at byte 0: empty file: no capture header\n' });
    expect(readFileSync(kept)).toEqual(readFileSync(fixture('seed-ping.pcap')));
    // A run that reads frames still replaces a longer file whole: nothing of the old one is left after the new end.
    expect((await runCli(['-w', kept, '--vsid', '4020644', fixture('seed-ping.pcap')])).code).toBe(0);
    expect((await frames(kept)).length).toBe(4);
  });

  it('a full disk: one line, exit 2', async () => {
    const r = await runCli(['-w', '/dev/full', fixture('seed-ping.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nvgre-dissect: -w \/dev\/full: cannot write output: ENOSPC[^\n]*\n$/);
  });

  it('options that need -w, and -w - with a printing mode', async () => {
    for (const [flag, name] of [[['-F', 'pcap'], '-F'], [['--decap'], '--decap'], [['-P'], '-P']] as const) {
      expect(await runCli([...flag, fixture('seed-ping.pcap')])).toEqual({
        code: 2,
        stdout: '',
        stderr: `nvgre-dissect: ${name} goes with -w FILE, which is not given\n`,
      });
    }
    const r = await runCli(['-s', '-w', '-', fixture('seed-ping.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nvgre-dissect: -w - writes the capture to standard output: it cannot print there too/);
    const bad = await runCli(['-F', 'pcapx', '-w', join(dir, 'x'), fixture('seed-ping.pcap')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Allowed choices are pcapng, pcap.");
  });
});
