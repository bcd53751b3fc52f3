#!/usr/bin/python3
"""Render a `tmux capture-pane -e -p` capture (text with SGR colour codes) to a PNG.

Usage: ansi2png.py CAPTURE.ansi OUT.png [COLUMNS ROWS]
Needs Debian's python3-pil python3-wcwidth fonts-dejavu-core fonts-wqy-zenhei.
Each cell is painted with its SGR foreground/background (16, 256 and 24-bit
colours, bold, reverse); wide characters take two cells, as in the terminal.
"""
import re, sys
from PIL import Image, ImageDraw, ImageFont
from wcwidth import wcwidth

MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
MONO_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
CJK = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
SIZE, CW, CH = 15, 9, 19
import os
# A light theme is meant for a light terminal: ANSI2PNG_LIGHT=1 paints one.
BG, FG = ((250, 250, 248), (40, 40, 40)) if os.environ.get("ANSI2PNG_LIGHT") else ((22, 24, 29), (210, 213, 218))
ANSI = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
        (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255)]

def xterm(n):
    if n < 16: return ANSI[n]
    if n >= 232: v = 8 + (n - 232) * 10; return (v, v, v)
    n -= 16; steps = [0, 95, 135, 175, 215, 255]
    return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])

def parse(text):
    rows = []
    for line in text.split("\n"):
        cells, fg, bg, bold, rev = [], None, None, False, False
        i = 0
        while i < len(line):
            m = re.match(r"\x1b\[([0-9;:]*)m", line[i:])
            if m:
                codes = [int(c) if c else 0 for c in re.split("[;:]", m.group(1))] or [0]
                j = 0
                while j < len(codes):
                    c = codes[j]
                    if c == 0: fg, bg, bold, rev = None, None, False, False
                    elif c == 1: bold = True
                    elif c == 22: bold = False
                    elif c == 7: rev = True
                    elif c == 27: rev = False
                    elif 30 <= c <= 37: fg = ANSI[c - 30]
                    elif 90 <= c <= 97: fg = ANSI[c - 90 + 8]
                    elif 40 <= c <= 47: bg = ANSI[c - 40]
                    elif 100 <= c <= 107: bg = ANSI[c - 100 + 8]
                    elif c == 39: fg = None
                    elif c == 49: bg = None
                    elif c in (38, 48) and j + 1 < len(codes):
                        if codes[j + 1] == 5 and j + 2 < len(codes): col = xterm(codes[j + 2]); j += 2
                        elif codes[j + 1] == 2 and j + 4 < len(codes): col = tuple(codes[j + 2:j + 5]); j += 4
                        else: col = None
                        if c == 38: fg = col
                        else: bg = col
                    j += 1
                i += m.end(); continue
            if line[i] == "\x1b":
                m = re.match(r"\x1b\[[0-9;?]*[A-Za-z]", line[i:]); i += m.end() if m else 1; continue
            ch = line[i]; i += 1
            w = wcwidth(ch)
            if w < 0: continue
            if w == 0 and cells: cells[-1] = (cells[-1][0] + ch,) + cells[-1][1:]; continue
            cells.append((ch, fg, bg, bold, rev, w))
        rows.append(cells)
    return rows

def main():
    src, out = sys.argv[1], sys.argv[2]
    cols = int(sys.argv[3]) if len(sys.argv) > 3 else 120
    rows_n = int(sys.argv[4]) if len(sys.argv) > 4 else 36
    rows = parse(open(src, encoding="utf-8", errors="replace").read())[:rows_n]
    img = Image.new("RGB", (cols * CW + 16, rows_n * CH + 16), BG)
    d = ImageDraw.Draw(img)
    mono, bold, cjk = ImageFont.truetype(MONO, SIZE), ImageFont.truetype(MONO_BOLD, SIZE), ImageFont.truetype(CJK, SIZE)
    for y, cells in enumerate(rows):
        x = 0
        for ch, fg, bg, b, rev, w in cells:
            f, g = fg or FG, bg or BG
            if rev: f, g = g, f
            px, py = 8 + x * CW, 8 + y * CH
            d.rectangle([px, py, px + w * CW - 1, py + CH - 1], fill=g)
            font = cjk if w == 2 or ord(ch[0]) > 0x2E80 else (bold if b else mono)
            if ch.strip():
                d.text((px, py + 1), ch, font=font, fill=f)
            x += w
    img.save(out)

main()
