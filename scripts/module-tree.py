#!/usr/bin/env python3
"""Print the source tree, one line per module: its path and the first line of its //! doc."""
import os
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")


def doc(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("//!"):
                return line[3:].strip()
    return ""


def walk(d, depth):
    entries = sorted(os.listdir(d))
    files = [e for e in entries if e.endswith(".rs") and e != "mod.rs"]
    dirs = [e for e in entries if os.path.isdir(os.path.join(d, e))]
    for name in sorted(files + dirs, key=lambda n: n.removesuffix(".rs")):
        p = os.path.join(d, name)
        if os.path.isdir(p):
            lines = sum(1 for _ in open(os.path.join(p, "mod.rs"), encoding="utf-8"))
            print(f"{'  ' * depth}{name}/  {doc(os.path.join(p, 'mod.rs'))} ({lines})")
            walk(p, depth + 1)
        else:
            lines = sum(1 for _ in open(p, encoding="utf-8"))
            print(f"{'  ' * depth}{name}  {doc(p)} ({lines})")


walk(os.path.normpath(root), 0)
sys.exit(0)
