#!/usr/bin/env bash
# Regenerate screenshots/*.png from the real TUI: tmux runs the binary with the demo mailbox,
# keys are sent, the screen is captured with colours, turned into HTML and photographed by
# headless Chromium. Needs tmux and chromium (apt-get install tmux chromium fonts-dejavu-core).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="$PWD/target/release/bouncescope"
out="$PWD/screenshots"
work="$(mktemp -d)"
trap 'rm -rf "$work"; tmux kill-session -t bs-shot 2>/dev/null || true' EXIT
cols=120
rows=36

shot() { # name theme "extra options" keys...  (COLS/ROWS override the size)
  local name=$1 theme=$2 opts=$3
  shift 3
  tmux kill-session -t bs-shot 2>/dev/null || true
  sleep 0.3
  tmux new-session -d -s bs-shot -x "${COLS:-$cols}" -y "${ROWS:-$rows}" -c "$work" "$bin --demo --theme $theme $opts; sleep 60"
  sleep 1
  for k in "$@"; do
    tmux send-keys -t bs-shot "$k"
    sleep 0.2
  done
  sleep 0.5
  tmux capture-pane -e -p -t bs-shot > "$work/$name.ansi"
  local light=""
  [ "$theme" = light ] && light=--light
  python3 scripts/ansi2html.py "$work/$name.ansi" $light > "$work/$name.html"
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$work/chrome" \
    --window-size="${WINDOW:-1120,680}" --screenshot="$out/$name.png" "file://$work/$name.html" >/dev/null 2>&1
  echo "screenshots/$name.png"
}

shot main dark ""
shot detail dark "" j j j j j j j j
shot backscatter dark "" 3 j
shot categories dark "" c j Space
shot help dark "" '?'
shot light light "" j j j j
shot overview dark "" o j
# The whole screen in Dutch and German; the verdict block of an abuse bounce at 80x24.
shot dutch dark "--lang nl" 4
shot german light "--lang de" 3 j
COLS=80 ROWS=24 WINDOW=760,480 shot small-abuse dark "" 4 j
shot recipients dark "" 7
shot recipient-bounces dark "" 7 Enter
shot blocklists dark "" 8
COLS=80 ROWS=24 WINDOW=760,480 shot small-blocklists light "--lang de" 8

# The HTML report, as a phone and as a desktop browser show it.
"$bin" report --demo --format html -o "$work/report.html"
"$bin" report --demo --lang nl --format html -o "$work/report-nl.html"
for size in 1100,1500:report-html:report 420,1400:report-html-phone:report 1100,1500:report-html-nl:report-nl; do
  spec=${size#*:}
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$work/chrome" \
    --window-size="${size%%:*}" --screenshot="$out/${spec%%:*}.png" "file://$work/${spec##*:}.html" >/dev/null 2>&1
  echo "screenshots/${spec%%:*}.png"
done
