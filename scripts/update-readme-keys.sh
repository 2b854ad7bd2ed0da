#!/usr/bin/env bash
# Replace README.md's key table (between <!-- keys:start --> and <!-- keys:end -->) by the one
# generated from the keymap, as tests/readme.rs asks.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(cargo test --quiet --test readme the_key_table 2>&1 || true)
python3 - "$out" <<'PY'
import sys
out = sys.argv[1]
if "replace it with:\n" not in out:
    print("README key table is up to date")
    sys.exit(0)
table = out.split("replace it with:\n", 1)[1].split("\n  left:", 1)[0].rstrip("\n") + "\n"
s = open("README.md").read()
a = s.index("<!-- keys:start -->\n") + len("<!-- keys:start -->\n")
b = s.index("<!-- keys:end -->")
open("README.md", "w").write(s[:a] + table + s[b:])
print("README key table updated")
PY
