#!/usr/bin/env bash
# Comment density of the C# under src/ (house style: 5-8 %): lines whose trimmed text starts with // (or ///)
# as a share of all non-blank lines. Usage: tests/docs/comment-ratio.sh [dir] [-v]  (-v: per file, densest first)
set -euo pipefail
cd "$(dirname "$0")/../.."
find "${1:-src}" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | sort | awk -v v="${2:+1}" '
  {
    f = $0; fc = 0; fn = 0
    while ((getline line < f) > 0) {
      sub(/^[ \t]+/, "", line)
      if (line == "") continue
      fn++; if (line ~ /^\/\//) fc++
    }
    close(f); c += fc; n += fn
    if (v && fc) printf "%5.1f %%  %4d / %4d  %s\n", 100 * fc / fn, fc, fn, f
  }
  END { printf "comment lines %d of %d non-blank lines: %.1f %%\n", c, n, n ? 100 * c / n : 0 }' | sort -rn
