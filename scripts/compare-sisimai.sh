#!/usr/bin/env bash
# Time bouncescope against sisimai (Debian's libsisimai-perl) on the same Maildir folders.
# Usage: scripts/compare-sisimai.sh DIR...   (each DIR a Maildir folder with cur/ or plain files)
set -euo pipefail
cd "$(dirname "$0")/.."
perl -MSisimai -e 1 2>/dev/null || { echo "needs sisimai: apt-get install libsisimai-perl" >&2; exit 2; }
cargo build --release --quiet
for d in "$@"; do cat "$d"/* "$d"/cur/* >/dev/null 2>&1 || true; done   # warm the page cache for both
/usr/bin/time -f "bouncescope: %e s wall, peak RSS %M KB" target/release/bouncescope report --all -f tsv -o /dev/null "$@"
perl -MSisimai -MTime::HiRes=time -e '
  my ($t, $n) = (time, 0);
  for my $d (@ARGV) { my $v = Sisimai->make(-d "$d/cur" ? "$d/cur" : $d, delivered => 1, vacation => 1); $n += $v ? @$v : 0 }
  printf "sisimai %s: %d results in %.2f s\n", $Sisimai::VERSION, $n, time - $t;' "$@"
