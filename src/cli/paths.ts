import { accessSync, constants, statSync } from 'node:fs';
import { escapeControls } from '../format/text.js';

/** A capture argument as error lines and headers show it: standard input by name, control characters escaped. */
export const shownPath = (path: string): string => (path === '-' ? '(stdin)' : escapeControls(path));

/** What an I/O error on a capture path says; throws what is no I/O error (a bug, with its stack). */
export function describeIoError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a capture file';
    default:
      if (e.code !== undefined) return `cannot read: ${escapeControls(e.message)}`;
      throw err;
  }
}

/**
 * Words of tcpdump's capture filter language (pcap-filter(7)) that a user may type after the
 * captures out of habit, as in `tcpdump -r x.pcap host 10.1.0.2`.
 */
const BPF_WORDS = new Set(
  ('host net port portrange proto src dst and or not less greater broadcast multicast gateway ' +
    'ether ip ip6 arp rarp tcp udp icmp icmp6 gre vlan mpls sctp igmp').split(' '),
);

/**
 * Every capture path checked before the first frame is printed: a name that cannot be read stops
 * the run with one line each, in order (`-`, standard input, only for being given twice). When
 * missing names hold a BPF word, they are one line together, saying that capture filters are not
 * taken here. Empty when all is well.
 */
export async function unreadablePaths(paths: readonly string[]): Promise<string[]> {
  const problems: { path: string; err: unknown }[] = [];
  for (const path of paths) {
    if (path === '-') continue;
    try {
      // access() rather than open(): a FIFO's open waits for its writer. Synchronous: node:fs/promises
      // would be loaded (with readline) by every start for two calls per capture.
      if (statSync(path).isDirectory()) throw Object.assign(new Error(path), { code: 'EISDIR' });
      accessSync(path, constants.R_OK);
    } catch (err) {
      problems.push({ path, err });
    }
  }
  // A second `-` would meet the end of what the first read: refused, as a missing file is.
  const stdins = paths.filter((p) => p === '-').length;
  const stdin = stdins > 1 ? [`${shownPath('-')}: - given ${stdins} times, but standard input can be read once`] : [];
  const missing = problems.filter((p) => (p.err as NodeJS.ErrnoException).code === 'ENOENT').map((p) => p.path);
  const lines = (list: typeof problems): string[] => list.map((p) => `${shownPath(p.path)}: ${describeIoError(p.err)}`);
  if (!missing.some((p) => BPF_WORDS.has(p))) return [...stdin, ...lines(problems)];
  return [
    ...stdin,
    `${missing.map(shownPath).join(', ')}: no such file; '${missing.map(shownPath).join(' ')}' looks like a BPF capture filter, ` +
      "which is not taken here: select frames with a display filter (-Y 'ip.addr == 10.1.0.2 && tcp.port == 80'), --ca <ip> or --pa <ip>",
    ...lines(problems.filter((p) => !missing.includes(p.path))),
  ];
}
