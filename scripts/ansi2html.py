#!/usr/bin/env python3
"""Turn a `tmux capture-pane -e` dump (ANSI SGR colours) into a standalone HTML page.

Usage: ansi2html.py INPUT.ansi [--light] > OUTPUT.html
"""
import html
import re
import sys

BASIC = ["#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
         "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff"]


def xterm256(n):
    if n < 16:
        return BASIC[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[n // 6 % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (v, v, v)


def render(text, light):
    fg0, bg0 = ("#1c1c1c", "#ffffff") if light else ("#d0d0d0", "#1c1c1c")
    state = {"fg": None, "bg": None, "bold": False, "dim": False, "rev": False, "ul": False}
    out = []

    def sgr(params):
        ps = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(ps):
            p = ps[i]
            if p == 0:
                state.update(fg=None, bg=None, bold=False, dim=False, rev=False, ul=False)
            elif p == 1:
                state["bold"] = True
            elif p == 2:
                state["dim"] = True
            elif p == 4:
                state["ul"] = True
            elif p == 7:
                state["rev"] = True
            elif p == 22:
                state["bold"] = state["dim"] = False
            elif p == 24:
                state["ul"] = False
            elif p == 27:
                state["rev"] = False
            elif 30 <= p <= 37:
                state["fg"] = BASIC[p - 30]
            elif 90 <= p <= 97:
                state["fg"] = BASIC[p - 90 + 8]
            elif 40 <= p <= 47:
                state["bg"] = BASIC[p - 40]
            elif 100 <= p <= 107:
                state["bg"] = BASIC[p - 100 + 8]
            elif p == 39:
                state["fg"] = None
            elif p == 49:
                state["bg"] = None
            elif p in (38, 48) and i + 1 < len(ps):
                key = "fg" if p == 38 else "bg"
                if ps[i + 1] == 5 and i + 2 < len(ps):
                    state[key] = xterm256(ps[i + 2])
                    i += 2
                elif ps[i + 1] == 2 and i + 4 < len(ps):
                    state[key] = "#%02x%02x%02x" % tuple(ps[i + 2:i + 5])
                    i += 4
            i += 1

    def style():
        fg, bg = state["fg"] or fg0, state["bg"] or bg0
        if state["rev"]:
            fg, bg = bg, fg
        css = "color:%s;background:%s" % (fg, bg)
        if state["bold"]:
            css += ";font-weight:bold"
        if state["dim"]:
            css += ";opacity:.7"
        if state["ul"]:
            css += ";text-decoration:underline"
        return css

    for line in text.rstrip("\n").split("\n"):
        parts = re.split(r"\x1b\[([0-9;]*)m", line)
        row = []
        for k, part in enumerate(parts):
            if k % 2 == 1:
                sgr(part)
            elif part:
                row.append('<span style="%s">%s</span>' % (style(), html.escape(part)))
        out.append("".join(row))
    body = "\n".join(out)
    return """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body{margin:0;background:%s}
pre{margin:0;padding:10px;font-family:'DejaVu Sans Mono',monospace;font-size:15px;line-height:1.2;color:%s}
</style></head><body><pre>%s</pre></body></html>""" % (bg0, fg0, body)


if __name__ == "__main__":
    src = open(sys.argv[1], encoding="utf-8", errors="replace").read()
    sys.stdout.write(render(src, "--light" in sys.argv))
