// Prints the name of every field -G fields lists, one a line, for record.sh's test/tshark/glossary.tsv.
import { formatFieldList } from '../../src/format/glossary.js';

for (const line of formatFieldList().split('\n')) if (line.startsWith('F\t')) process.stdout.write(`${line.split('\t')[2]}\n`);
