#!/usr/bin/env python3
"""Makes NotoSansSC-Bold-subset.otf: Noto Sans CJK SC Bold cut down to the
characters the flagship's Chinese content uses, so that its share cards
can be drawn without a 20 MB font in the repository.

Needs fontTools (`pip install fonttools`) and Debian's fonts-noto-cjk.
Run from the repository root after adding Chinese text with new
characters:  python3 assets/fonts/cjk/subset.py
"""
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[3]
SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FACE = 2  # Noto Sans CJK SC in the collection
OUT = ROOT / "assets/fonts/cjk/NotoSansSC-Bold-subset.otf"

chars = set()
for path in list((ROOT / "content").rglob("*.zh.md")) + [ROOT / "site.toml"]:
    chars |= set(path.read_text(encoding="utf-8"))
# Kickers and words tests use, ASCII, CJK and full-width punctuation.
chars |= set("问题时间线术语表关于更正中国的芯片推进昇腾华为测试标题中文字體简体")
chars |= {chr(c) for c in range(0x20, 0x7F)}
chars |= {chr(c) for c in range(0x3000, 0x3040)}
chars |= {chr(c) for c in range(0xFF00, 0xFF70)}
chars |= set("“”‘’—–…·•")
text = "".join(sorted(c for c in chars if ord(c) >= 0x20))
listing = ROOT / "target/cjk-subset-chars.txt"
listing.parent.mkdir(exist_ok=True)
listing.write_text(text, encoding="utf-8")
subprocess.run(
    [
        "pyftsubset", SOURCE, f"--font-number={FACE}", f"--text-file={listing}",
        f"--output-file={OUT}", "--layout-features=*", "--name-IDs=*", "--notdef-outline",
    ],
    check=True,
)
print(f"{OUT}: {len(text)} characters, {OUT.stat().st_size} bytes")
