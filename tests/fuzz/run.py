"""`make fuzz`: run tests/fuzz in several processes sharing the work; print the table.

    python tests/fuzz/run.py --jobs 2 --min-inputs 100000 [--scale 1.0] [pytest args…]

Each process runs every fuzz test with SOKBO_FUZZ=1; the harness splits each entry point's
examples into chunks that the processes claim, so all cores stay busy until the end. Exit
status: 0 only when every process finished, nothing crashed and at least --min-inputs inputs
ran. Crash examples are in DIR/crashes/, one per crash site.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from fuzz.harness import table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--min-inputs", type=int, default=0)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every example count")
    ap.add_argument("--dir", type=Path, default=HERE.parent / "artifacts" / "fuzz")
    ap.add_argument("--hang", type=float, default=30.0, help="seconds before an input hangs")
    args, pytest_args = ap.parse_known_args(argv)

    shutil.rmtree(args.dir, ignore_errors=True)
    args.dir.mkdir(parents=True)
    env = dict(os.environ, SOKBO_FUZZ="1", SOKBO_FUZZ_DIR=str(args.dir),
               SOKBO_FUZZ_SCALE=str(args.scale), SOKBO_FUZZ_HANG=str(args.hang),
               PYTHONFAULTHANDLER="1")
    start = time.monotonic()
    procs = []
    for n in range(args.jobs):
        log = open(args.dir / f"pytest-{n}.log", "w")  # noqa: SIM115 - closed below
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               *(pytest_args or [str(HERE)])]
        procs.append((subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       cwd=HERE.parent.parent), log))
    codes = []
    for proc, log in procs:
        codes.append(proc.wait())
        log.close()
    minutes = (time.monotonic() - start) / 60
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_minutes = (usage.ru_utime + usage.ru_stime) / 60

    points: dict[str, dict] = {}
    finished = 0
    for path in sorted(args.dir.glob("counts-*.json")):
        data = json.loads(path.read_text("utf-8"))
        finished += bool(data.get("finished"))
        for name, p in data["entry_points"].items():
            into = points.setdefault(name, {"inputs": 0, "rejected": 0, "crashes": 0,
                                            "sites": {}})
            for k in ("inputs", "rejected", "crashes", "cpu_seconds"):
                into[k] = into.get(k, 0) + p.get(k, 0)
            for key, site in p["sites"].items():
                have = into["sites"].setdefault(key, dict(site, count=0))
                have["count"] += site["count"]

    print(table(points))
    total = sum(p["inputs"] for p in points.values())
    crashes = sum(p["crashes"] for p in points.values())
    print(f"\n{total:,} inputs, {crashes:,} crashes in {minutes:.1f} min on {args.jobs} "
          f"processes ({cpu_minutes:.1f} CPU min); details in {args.dir}")
    for name in sorted(points):
        for key, site in points[name]["sites"].items():
            print(f"  {name}: {site['count']}× {key}: {site['message']}  {site['example']}")
    ok = True
    if finished < args.jobs or any(c not in (0, 1) for c in codes):
        print(f"FAIL: {args.jobs - finished} process(es) did not finish (exit codes {codes}); "
              f"see {args.dir}/pytest-*.log and current-*.txt")
        ok = False
    if crashes:
        print("FAIL: crashes (any exception other than SokboError, or a hang)")
        ok = False
    if total < args.min_inputs:
        print(f"FAIL: only {total:,} inputs ran, fewer than {args.min_inputs:,}")
        ok = False
    if ok and any(codes):
        print(f"FAIL: pytest exit codes {codes}; see {args.dir}/pytest-*.log")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
