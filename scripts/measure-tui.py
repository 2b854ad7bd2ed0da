#!/usr/bin/env python3
"""Measure the real TUI in tmux: time to first screen and key latency while a mailbox loads.

Usage: measure-tui.py BINARY MAILBOX
"""
import subprocess, sys, time

def tmux(*a):
    return subprocess.run(["tmux", *a], capture_output=True, text=True).stdout

def screen():
    return tmux("capture-pane", "-p", "-t", "bs-measure")

binary, mailbox = sys.argv[1], sys.argv[2]
tmux("kill-session", "-t", "bs-measure")
t0 = time.monotonic()
subprocess.run(["tmux", "new-session", "-d", "-s", "bs-measure", "-x", "120", "-y", "36", f"{binary} {mailbox}; sleep 30"])
while "bouncescope ·" not in screen():
    time.sleep(0.002)
first = time.monotonic() - t0
lat = []
views = ["3", "1"]
for i in range(10):
    before = screen()
    k = views[i % 2]
    t1 = time.monotonic()
    tmux("send-keys", "-t", "bs-measure", k)
    want = "Backscatter ·" if k == "3" else "All bounces ·"
    while want not in screen():
        time.sleep(0.001)
    lat.append(time.monotonic() - t1)
loaded = "messages scanned" in screen()
while "messages scanned" not in screen():
    time.sleep(0.01)
total = time.monotonic() - t0
tmux("kill-session", "-t", "bs-measure")
print(f"first screen: {first*1000:.0f} ms; key latency (view switch, median of 10, "
      f"{'after' if loaded else 'during'} loading): {sorted(lat)[len(lat)//2]*1000:.0f} ms, max {max(lat)*1000:.0f} ms; "
      f"scan finished after {total:.1f} s")
