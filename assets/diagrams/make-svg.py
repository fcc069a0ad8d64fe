#!/usr/bin/env python3
"""Writes supply-chain.svg and supply-chain.zh.svg (the dossier project).

The markup is laid out by hand-chosen coordinates; this script only does the
arithmetic of stacking boxes and lines, and checks with fontTools that every
line fits its box in a wide fallback font (DejaVu Sans / Noto Sans CJK SC).
Run: python3 make-svg.py   (writes next to this file)
"""
import os
from xml.sax.saxutils import escape

from fontTools.ttLib import TTFont, TTCollection

HERE = os.path.dirname(os.path.abspath(__file__))
# The SVGs are written to the flagship's static/img/.
OUT = os.path.join(HERE, "..", "..", "static", "img")
W = 336                      # viewBox width: 14 units = 13.3 px at 320 px
CARD_X, CARD_W = 10, 316     # stage cards
BOX_X, BOX_W = 18, 300       # control and alternative boxes inside a card
OCT = 28                     # octagon marker size

CSS = (
    ".bg{fill:#F4F1EA;stroke:#CFCABE}.cd{fill:#FFF;stroke:#8C887C}"
    ".ct{fill:#FCEAE6;stroke:#B3261E}.al{fill:#F4F1EA;stroke:#6E6A60;stroke-dasharray:5 4}"
    ".oc{fill:#B3261E}.ot{fill:#FFF}.nm{fill:#1F4E79}.nt{fill:#FFF}"
    ".b{font-weight:700}.tx{fill:#1D1D1B}.hd{fill:#9B1C14}.ar{fill:#5F5C55;stroke:#5F5C55}"
    "@media (prefers-color-scheme:dark){"
    ".bg{fill:#1C1C1B;stroke:#4A4843}.cd{fill:#262624;stroke:#8F8B80}"
    ".ct{fill:#3B2220;stroke:#FF8A7A}.al{fill:#1C1C1B;stroke:#A8A49A}"
    ".oc{fill:#FF8A7A}.ot{fill:#1D1D1B}.nm{fill:#8CC4FF}.nt{fill:#111}"
    ".tx{fill:#ECEBE6}.hd{fill:#FFB3A6}.ar{fill:#B8B5AC;stroke:#B8B5AC}}"
)

FONT_EN = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
FONT_ZH = ("'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', "
           "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif")


# ---------------------------------------------------------------- fonts
def _load(path, index=None):
    f = TTCollection(path).fonts[index] if index is not None else TTFont(path)
    return f.getBestCmap(), f["hmtx"].metrics, f["head"].unitsPerEm

FONTS = {
    ("en", False): [_load("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
                    _load("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")],
    ("en", True): [_load("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
                   _load("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")],
    ("zh", False): [_load("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)],
    ("zh", True): [_load("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2)],
}

def width(text, size, bold, lang):
    """Widest advance width over the check fonts, in user units."""
    best = 0
    for cmap, hmtx, upm in FONTS[(lang, bold)]:
        w = 0
        for ch in text:
            g = cmap.get(ord(ch))
            w += hmtx[g][0] if g else upm
        best = max(best, w * size / upm)
    return best


# ---------------------------------------------------------------- markup
class Doc:
    def __init__(self, lang):
        self.lang, self.out, self.y, self.worst = lang, [], 0, (0, "")

    def text(self, x, y, lines, size=14, cls=None, bold=False, avail=None, anchor=None, lh=19):
        """A block of lines in one <text>; **x** marks a bold run."""
        if isinstance(lines, str):
            lines = [lines]
        classes = " ".join(c for c in (cls, "b" if bold else None) if c)
        attrs = f'x="{x:g}" y="{y:g}"'
        if classes:
            attrs = f'class="{classes}" ' + attrs
        if size != 14:
            attrs += f' font-size="{size}"'
        if anchor:
            attrs += f' text-anchor="{anchor}"'
        out = []
        for n, s in enumerate(lines):
            parts = s.split("**")
            plain = "".join(parts)
            if avail is not None:
                w = sum(width(p, size, bold or i % 2 == 1, self.lang) for i, p in enumerate(parts))
                if w > avail:
                    print(f"WARNING {self.lang}: {w:.0f} > {avail} : {plain}")
                self.worst = max(self.worst, (w / avail, plain))
            body = "".join(
                f'<tspan class="b">{escape(p)}</tspan>' if i % 2 else escape(p)
                for i, p in enumerate(parts) if p)
            out.append(body if n == 0 else f'<tspan x="{x}" dy="{lh}">{body}</tspan>')
        self.out.append(f"<text {attrs}>" + "".join(out) + "</text>")

    def octagon(self, x, y, code):
        self.out.append(f'<use href="#o" x="{x}" y="{y}"/>')
        self.text(x + OCT / 2, y + 19, code, 14, "ot", True, OCT - 4, "middle")

    def box(self, head, lines, codes=(), alt=False):
        """A control box (octagons + heading + lines) or a dashed alternative box."""
        top = self.y
        n = len(head) + len(lines)
        h = 21 + (n - 1) * 19 + 11
        if codes:
            h = max(h, 8 + len(codes) * (OCT + 4) + 4)
        cls = "al" if alt else "ct"
        self.out.append(f'<rect class="{cls}" x="{BOX_X}" y="{top}" width="{BOX_W}" height="{h}" rx="6"/>')
        tx = BOX_X + (10 if alt else 14 + OCT + 6)
        avail = BOX_X + BOX_W - 8 - tx
        for i, c in enumerate(codes):
            self.octagon(BOX_X + 8, top + 8 + i * (OCT + 4), c)
        if head:
            self.text(tx, top + 21, head, 14, None if alt else "hd", True, avail)
        if lines:
            self.text(tx, top + 21 + 19 * len(head), lines, 14, None, False, avail)
        self.y = top + h + 7

    def card(self, num, title, items):
        top = self.y
        start = len(self.out)
        self.y = top + 38
        if num:
            self.out.append(f'<circle class="nm" cx="{CARD_X + 22}" cy="{top + 21}" r="12"/>')
            self.text(CARD_X + 22, top + 26, str(num), 14, "nt", True, 20, "middle")
        self.text(CARD_X + (42 if num else 12), top + 27, title, 16, None, True,
                  CARD_W - (54 if num else 24))
        for kind, *rest in items:
            if kind == "p":
                self.text(CARD_X + 12, self.y + 15, rest[0], 15, None, False, CARD_W - 24, lh=20)
                self.y += 20 * len(rest[0]) + 7
            elif kind == "ctrl":
                self.box(rest[1], rest[2], codes=rest[0])
            elif kind == "alt":
                self.box(rest[0], rest[1], alt=True)
        self.y += 3
        self.out.insert(start, f'<rect class="cd" x="{CARD_X}" y="{top}" width="{CARD_W}" '
                               f'height="{self.y - top}" rx="8"/>')

    def arrow(self):
        x, y = W // 2, self.y
        self.out.append(f'<path class="ar" d="M{x} {y + 2}v12" stroke-width="2"/>'
                        f'<path class="ar" d="M{x - 6} {y + 12}h12l-6 9z"/>')
        self.y += 26


def build(L):
    d = Doc(L["lang"])
    d.y = 14
    d.text(W // 2, 34, L["title"], 18, None, True, W - 24, "middle", lh=24)
    d.y = 34 + len(L["title"]) * 24 - 8
    # legend
    d.card(None, L["legend_head"], [("ctrl", [L["code_us"]], [], L["legend"])])
    d.y += 10
    for i, (num, title, items) in enumerate(L["stages"]):
        if i:
            d.arrow()
        d.card(num, title, items)
    d.arrow()
    d.card(None, L["end_head"], [("p", L["end"])])
    H = d.y + 8
    o = (f"{OCT * 0.293:.1f}")
    octagon = (f'<path id="o" class="oc" d="M{o} 0H{OCT - float(o):.1f}L{OCT} {o}V{OCT - float(o):.1f}'
               f'L{OCT - float(o):.1f} {OCT}H{o}L0 {OCT - float(o):.1f}V{o}z"/>')
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
        f'aria-labelledby="t" aria-describedby="d" xml:lang="{L["xml_lang"]}" lang="{L["xml_lang"]}" '
        f'font-family="{L["font"]}" font-size="14" class="tx">\n'
        f'<title id="t">{escape(L["svg_title"])}</title>\n'
        f'<desc id="d">{escape(L["desc"])}</desc>\n'
        f'<style>{CSS}</style>\n'
        f'<defs>{octagon}</defs>\n'
        f'<rect class="bg" x="1" y="1" width="{W - 2}" height="{H - 2}" rx="12" stroke-width="1.5"/>\n'
    )
    svg = head + "\n".join(d.out) + "\n</svg>\n"
    path = os.path.join(OUT, L["file"])
    with open(path, "w", encoding="utf-8") as f:
        f.write(svg)
    print(f"{L['file']}: {len(svg.encode())} bytes, viewBox {W}x{H}, "
          f"tightest line {d.worst[0]:.0%} of its box: {d.worst[1]!r}")


if __name__ == "__main__":
    from labels import EN, ZH
    build(EN)
    build(ZH)
