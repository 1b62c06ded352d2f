// Prints the name of every field -G fields lists (or with "protocols", the filter name of every
// protocol -G protocols lists), one a line, for record.sh's test/tshark/glossary.tsv and protocols.tsv.
import { formatFieldList, formatProtocolList } from '../../src/format/glossary.js';

if (process.argv[2] === 'protocols') for (const line of formatProtocolList().trimEnd().split('\n')) process.stdout.write(`${line.split('\t')[2]}\n`);
else for (const line of formatFieldList().split('\n')) if (line.startsWith('F\t')) process.stdout.write(`${line.split('\t')[2]}\n`);
