#!/usr/bin/env bash
# Records which frames tshark selects with each display filter of test/tshark/filters.ts, on one
# capture: one line per filter, tshark's spelling of it, a tab, the frame numbers ("1-3,7", empty
# when none, "error" when tshark refuses the filter). One tshark pass with a tap per filter
# (filters.lua). Called by record.sh: capture file, output file.
set -euo pipefail
list=$(mktemp)
trap 'rm -f "$list"' EXIT
npx tsx test/tshark/filters.ts | cut -f2 > "$list"
# -V builds the whole tree, as -Y does: without it len(tcp) would count the payload too.
FILTERS=$list FILTERS_OUT=$2 tshark -r "$1" -V -X lua_script:test/tshark/filters.lua > /dev/null 2>&1
