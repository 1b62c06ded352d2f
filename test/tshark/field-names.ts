// Prints the columns record.sh asks tshark for, one a line: every field our decoders define and the
// frame's and tshark-named ones compare.ts maps; record.sh keeps those tshark knows.
import { RECORDED } from './compare.js';

process.stdout.write(`${RECORDED.join('\n')}\n`);
