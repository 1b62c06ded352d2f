#!/usr/bin/env bash
# Records which frames tshark selects with each display filter of test/tshark/filters.ts, on one
# capture: one line per filter, tshark's spelling of it, a tab, the frame numbers ("1-3,7", empty
# when none, "error" when tshark refuses the filter). Called by record.sh: capture file, output file.
set -euo pipefail
filters=$(npx tsx test/tshark/filters.ts | cut -f2)
: > "$2"
while IFS= read -r f; do
  if frames=$(tshark -r "$1" -Y "$f" -T fields -e frame.number 2>/dev/null); then
    frames=$(printf '%s\n' "$frames" | awk 'NF { if (s == "") { s = e = $1 } else if ($1 == e + 1) { e = $1 } else { out = out (out == "" ? "" : ",") (s == e ? s : s "-" e); s = e = $1 } }
      END { if (s != "") out = out (out == "" ? "" : ",") (s == e ? s : s "-" e); print out }')
  else
    frames=error
  fi
  printf '%s\t%s\n' "$f" "$frames" >> "$2"
done <<< "$filters"
