#!/usr/bin/env bash
# Re-records tshark's view of every fixture and every public capture, for test/tshark/agreement.test.ts.
# The columns are every field our decoders define (src/decode/registry.ts) that tshark also knows,
# so a field added to a decoder is compared as soon as this is re-run, after the frame's columns and
# tshark's names for what we call otherwise (test/tshark/field-names.ts prints them all).
# Needs tshark (Debian: apt-get install tshark). Run from the repository root: npm run record-tshark
set -euo pipefail
cd "$(dirname "$0")/../.."
captures=${NVGRE_CAPTURES:-../shared/captures}
# Network Monitor before 2.3 stores local times: tshark reads them in its zone, so record in UTC.
export TZ=UTC

known=$(mktemp)
trap 'rm -f "$known"' EXIT
tshark -G fields | awk -F'\t' '$1 == "F" { print $3 }' | sort -u > "$known"
fields=()
while read -r f; do
  if grep -qxF "$f" "$known"; then fields+=("$f"); fi
done < <(npx tsx test/tshark/field-names.ts)
args=()
for f in "${fields[@]}"; do args+=(-e "$f"); done

# Checksums verified, as we do.
checks=(-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE)
record() { # capture file, output file
  tshark -r "$1" "${checks[@]}" \
    -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=, "${args[@]}" > "$2"
}

tshark --version | head -1 > test/tshark/VERSION
# tshark's -G fields rows for every field our -G fields lists (test/tshark/glossary.test.ts).
tshark -G fields | awk -F'\t' 'NR == FNR { want[$1] = 1; next } $1 == "F" && ($3 in want) && !seen[$3]++' \
  <(npx tsx test/tshark/glossary-names.ts) - > test/tshark/glossary.tsv
# tshark's -G protocols rows for every protocol our -G protocols lists.
tshark -G protocols | awk -F'\t' 'NR == FNR { want[$1] = 1; next } ($3 in want)' <(npx tsx test/tshark/glossary-names.ts protocols) - > test/tshark/protocols.tsv
rm -f test/tshark/*.fields.tsv test/tshark/*.filters.tsv
for f in fixtures/*.pcap fixtures/*.pcapng fixtures/*.cap fixtures/*.gz; do
  record "$f" "test/tshark/$(basename "$f").fields.tsv"
done
# -T ek (test/tshark/ek.test.ts): every document of every fixture; and chosen fields of all
# (test/cli/tshark-options.test.ts).
rm -f test/tshark/*.ek.ndjson
for f in fixtures/*.pcap fixtures/*.pcapng fixtures/*.cap fixtures/*.gz; do
  tshark -r "$f" "${checks[@]}" -T ek > "test/tshark/$(basename "$f").ek.ndjson"
done
tshark -r fixtures/tenant-mix.pcap "${checks[@]}" -T ek -e frame.number -e frame.time_relative -e ip.src -e ip.flags.df -e gre.key -e tcp.flags -e udp.dstport -e eth.type \
  > test/tshark/tenant-mix.pcap.ek-fields.ndjson
# The frames each display filter of test/tshark/filters.ts selects, for test/tshark/filters.test.ts.
for f in fixtures/*.pcap fixtures/*.pcapng fixtures/*.cap fixtures/*.gz; do
  bash test/tshark/record-filters.sh "$f" "test/tshark/$(basename "$f").filters.tsv"
done
# tshark's answers for the public captures, which are not in the repository (only these small tables are).
if [ -d "$captures" ]; then
  mkdir -p test/tshark/captures
  rm -f test/tshark/captures/*.fields.tsv test/tshark/captures/*.filters.tsv
  for f in "$captures"/*.pcap; do
    record "$f" "test/tshark/captures/$(basename "$f" .pcap).fields.tsv"
    bash test/tshark/record-filters.sh "$f" "test/tshark/captures/$(basename "$f" .pcap).filters.tsv"
  done
else
  echo "no public captures at $captures: their recordings in test/tshark/captures are kept" >&2
fi
