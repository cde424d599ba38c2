#!/usr/bin/env python3
"""The table of scripts/series bench, from the console logs of the two boots.

usage: report.py BASE.LOG PATCHED.LOG

Reads the '@@ ' lines that scripts/bench/init.sh printed, prints each
figure's base value, patched value and their ratio, then whether figure
(a) meets its goal.  Exits 1 if a figure is missing from either log (the
table then says n/a) or a kernel report (BUG, WARNING, Oops) is in one.
"""
import re
import statistics
import sys

KERNEL_REPORT = re.compile(r"\b(BUG:|WARNING:|Oops|Kernel panic|general protection fault)")
TIMESTAMP = re.compile(r"\[ *\d+\.\d+\].*")
GOAL_P99_US = 1000.0
GOAL_FACTOR = 100.0


def parse(path):
    """The figures of one boot: a dict, and a list of problems."""
    fig, problems = {}, []
    with open(path, errors="replace") as log:
        lines = log.read().splitlines()
    for line in lines:
        if KERNEL_REPORT.search(line):
            problems.append("kernel report: " + line.strip())
        at = line.find("@@ ")
        if at < 0:
            continue
        # A kernel message may have broken into the line: cut it off.
        words = TIMESTAMP.sub("", line[at + 3:]).split()
        if not words:
            continue
        if words[:2] == ["a", "bench_shrinker:"] and len(words) > 2 and words[2].startswith("api="):
            fields = dict(w.split("=", 1) for w in words[2:] if "=" in w)
            fig["api"] = fields.get("api")
            fig["samples"] = int(fields.get("samples", 0))
            fig["sleeper_scans"] = int(fields.get("sleeper_scans", 0))
            fig["window_ms"] = int(fields["window_ms"]) if "window_ms" in fields else None
            for key in ("p50", "p99", "max"):
                fig["a_" + key] = int(fields[key]) / 1000.0
        elif words[:2] == ["b", "yaml"] and len(words) == 4 and \
                words[2] == "bogo-ops-per-second-real-time:":
            fig["b"] = float(words[3])
        elif words[:2] == ["c", "memcgs"] and len(words) == 3:
            fig["memcgs"] = int(words[2])
        elif words[:2] == ["c", "first_ms"] and len(words) == 3:
            fig["c_first"] = float(words[2])
        elif words[:2] == ["c", "drop_ms"] and len(words) > 2:
            fig["c_all"] = [float(w) for w in words[2:]]
            fig["c"] = statistics.median(fig["c_all"])
        elif words[0] == "FAIL":
            problems.append("guest: " + " ".join(words[1:]))
        elif words[0] == "done":
            fig["done"] = True
    if not fig.get("done"):
        problems.append("the guest did not reach its end (crash or time-out?)")
    return fig, problems


def fmt(value):
    if value is None:
        return "n/a"
    return f"{value:.1f}" if value >= 10 else f"{value:.3f}"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: report.py BASE.LOG PATCHED.LOG")
    base, base_problems = parse(sys.argv[1])
    patched, patched_problems = parse(sys.argv[2])
    memcgs = base.get("memcgs") or patched.get("memcgs") or "?"
    rows = [
        ("(a) register+free p50 (us)", "a_p50"),
        ("(a) register+free p99 (us)", "a_p99"),
        ("(b) stress-ng --ramfs bogo ops/s", "b"),
        (f"(c) drop_caches, {memcgs} memcgs (ms)", "c"),
    ]
    print(f"{'figure':<40} {'base':>11} {'patched':>11} {'ratio':>8}")
    missing = []
    for label, key in rows:
        b, p = base.get(key), patched.get(key)
        ratio = f"{p / b:#.3g}" if b and p is not None else "n/a"
        print(f"{label:<40} {fmt(b):>11} {fmt(p):>11} {ratio:>8}")
        missing += [f"{label} ({mode})" for mode, v in (("base", b), ("patched", p)) if v is None]
    print("ratio = patched / base: lower is better for (a) and (c), higher for (b)")
    print(f"(a) base / patched: api {base.get('api')} / {patched.get('api')}, "
          f"{base.get('samples')} / {patched.get('samples')} samples, "
          f"max {fmt(base.get('a_max'))} / {fmt(patched.get('a_max'))} us, "
          f"sleeper scanned {base.get('sleeper_scans')} / {patched.get('sleeper_scans')} times "
          f"in {base.get('window_ms')} / {patched.get('window_ms')} ms")
    print(f"(c) base / patched: first drop {fmt(base.get('c_first'))} / "
          f"{fmt(patched.get('c_first'))} ms (not in the median), "
          f"then (ms) {base.get('c_all')} / {patched.get('c_all')}")

    b99, p99 = base.get("a_p99"), patched.get("a_p99")
    if b99 and p99:
        factor = b99 / p99
        met = p99 <= GOAL_P99_US and factor >= GOAL_FACTOR
        print(f"goal (a): patched p99 <= {GOAL_P99_US:.0f} us and >= {GOAL_FACTOR:.0f}x better "
              f"than base: {'met' if met else 'NOT met'} "
              f"(patched p99 {fmt(p99)} us, base/patched {factor:.1f}x)")
    for mode, fig in (("base", base), ("patched", patched)):
        if fig.get("sleeper_scans") == 0:
            print(f"warning: (a) on {mode}: the sleeper was never scanned, "
                  "so nothing walked the shrinkers while timing")
    problems = [f"{m}: {p}" for m, ps in (("base", base_problems), ("patched", patched_problems))
                for p in ps]
    problems += [f"missing: {m}" for m in missing]
    for problem in problems:
        print("problem: " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
