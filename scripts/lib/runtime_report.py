#!/usr/bin/env python3
"""Compare the runtime-proof boots of the base and the patched kernel.

usage: runtime_report.py EXPECTED BASE.log PATCHED.log

Each log is the serial console of one boot of scripts/runtime/init.sh.
Prints the list of shrinkers in /sys/kernel/debug/shrinker (debugfs
name, '-ID' suffix removed) at each stage, for both kernels side by
side, then one line per check and a last line 'N passed, N failed'.

Checks:
  - each kernel ran the guest script to its end ('@@ done');
  - every '@@ ok' line of the patched guest passes, every '@@ FAIL' line
    fails (the base's are listed, not counted: the base is the reference
    for the shrinker names, and lacks the series' fixes);
  - at each stage (boot, mounted, unmounted) both kernels list the same
    shrinkers under the same names, as many of each;
  - the shrinkers EXPECTED names are where it says, in both kernels;
  - after the unmounts the list is the boot list again, and the failed
    mounts of the fault injection left nothing registered;
  - no KASAN, lockdep, kmemleak, RCU, BUG or WARNING report in either log.
"""
import collections
import fnmatch
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kunit_summary import splats  # noqa: E402

STAGES = ("boot", "mounted", "unmounted")
ID_SUFFIX = re.compile(r"-[0-9]+$")


class Boot:
    """What one guest run printed."""

    def __init__(self, path):
        self.path = path
        self.lists = collections.defaultdict(collections.Counter)
        self.results = []  # (passed, text)
        self.counts = {}
        self.done = False
        self.boot_leaks = 0
        with open(path, errors="replace") as f:
            for line in f:
                at = line.find("@@ ")
                if at < 0:
                    continue
                words = line[at + 3:].rstrip("\r\n").split(" ", 2)
                kind = words[0]
                if kind == "list" and len(words) == 3:
                    self.lists[words[1]][ID_SUFFIX.sub("", words[2])] += 1
                elif kind in ("ok", "FAIL"):
                    self.results.append((kind == "ok", " ".join(words[1:])))
                elif kind == "count" and len(words) == 3:
                    self.counts[ID_SUFFIX.sub("", words[1])] = words[2]
                elif kind == "boot-kmemleak":
                    self.boot_leaks = int(words[1])
                elif kind == "done":
                    self.done = True


def expected_names(path):
    """[(where, glob)] from the EXPECTED file."""
    out = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if line:
                out.append((line[0], line[1]))
    return out


def matching(counter, glob):
    return sum(n for name, n in counter.items() if fnmatch.fnmatchcase(name, glob))


def main(argv):
    if len(argv) != 4 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv[1:2] in (["-h"], ["--help"]) else 2
    expected = expected_names(argv[1])
    boots = {"base": Boot(argv[2]), "patched": Boot(argv[3])}
    results = []

    def check(passed, text):
        results.append((passed, text))

    base, patched = boots["base"], boots["patched"]
    names = sorted(set().union(*(b.lists[s] for b in boots.values() for s in STAGES)))
    width = max([len(n) for n in names] + [20])
    print(f"{'shrinker (debugfs name)':<{width}}  {'boot':>9}  {'mounted':>9}  "
          f"{'unmounted':>9}   (base/patched)")
    for name in names:
        cells = [f"{base.lists[s][name]}/{patched.lists[s][name]}" for s in STAGES]
        same = all(base.lists[s][name] == patched.lists[s][name] for s in STAGES)
        print(f"{name:<{width}}  {cells[0]:>9}  {cells[1]:>9}  {cells[2]:>9}"
              f"{'' if same else '   DIFFERENT'}")
    print()

    for label, b in boots.items():
        check(b.done, f"{label}: the guest script ran to its end")
        for passed, text in b.results:
            if label == "patched":
                check(passed, f"{label}: {text}")
            elif not passed:
                # The base is the reference for names only; what fails
                # there is what the series fixes (or the run is broken,
                # which the patched boot shows as well).
                print(f"note: base (not counted): FAIL {text}")
        for report in splats(b.path):
            check(False, f"{label}: kernel reported: {report}")
        if b.boot_leaks:
            print(f"note: {label}: kmemleak listed {b.boot_leaks} objects at boot,"
                  " before the script did anything")
        check(b.lists["unmounted"] == b.lists["boot"],
              f"{label}: after the unmounts the shrinkers are the boot ones again")
        for where, glob in expected:
            at_boot = matching(b.lists["boot"], glob)
            mounted = matching(b.lists["mounted"], glob)
            after = matching(b.lists["unmounted"], glob)
            if where == "boot":
                check(at_boot > 0 and after == at_boot,
                      f"{label}: {glob} registered at boot ({at_boot}) and kept ({after})")
            else:
                check(mounted > at_boot and after == at_boot,
                      f"{label}: {glob} appears on mount ({at_boot} -> {mounted}) "
                      f"and is gone after unmount ({after})")
    check(patched.lists["before-injection"] == patched.lists["after-injection"]
          and bool(patched.lists["before-injection"]),
          "patched: the fault-injected mounts left no shrinker registered")
    for stage in STAGES:
        diff = (base.lists[stage] - patched.lists[stage]) + \
            (patched.lists[stage] - base.lists[stage])
        check(not diff and bool(base.lists[stage]),
              f"same shrinkers, same names in both kernels at stage '{stage}'"
              + (f" (differ: {', '.join(sorted(diff))})" if diff else ""))

    for passed, text in results:
        print(f"{'PASS' if passed else 'FAIL'}: {text}")
    passed = sum(1 for p, _ in results if p)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
