#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare the selftest results of the base and the patched kernel.

usage: selftests_report.py LIST BASE.log|- PATCHED.log|-

LIST is the concatenation of configs/selftests/*.list: 'run SUITE/TEST
TIMEOUT [REASON]' for a test that runs, 'skip SUITE/TEST REASON' for one
left out.  A log is the console of scripts/selftests/init.sh, or '-' for
a kernel that was not booted.

Prints one row per test, and one per case of a test that prints TAP
('ok N name', 'not ok N name', '# SKIP'): name, base, patched, and for a
row that does not pass on both, the REASON from LIST or the test's own
skip reason.  Then the tests left out, with their reasons.

A row fails the run if it passes on base and fails on patched, or if it
fails on patched with no REASON in LIST (a failure nobody explained).
A REASON that starts with "flaky" marks a timing test that passes or
fails from run to run: it counts as skipped when it fails, and its
results are not read as a regression or a fix.
A kernel report (KASAN, lockdep, RCU, BUG, WARNING) in the patched log
that the base log has not also fails it, and so does a guest that did
not reach its end.  Ends with 'N passed, N failed, N skipped', counting
the rows of the patched kernel (of the base one if only that was
booted); a row that fails for its listed REASON counts as skipped.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kunit_summary import splats  # noqa: E402

BEGIN = re.compile(r"@@ begin (\S+)")
RESULT = re.compile(r"@@ result (\S+) (\d+) (\d+)")
TAP = re.compile(r"^(not ok|ok) \d+ (?:- )?([^#]+?)\s*(?:# (SKIP|skip)\b\s*(.*))?$")
NUMBERS = re.compile(r"0x[0-9a-f]+|\b[0-9a-f]{8,}\b|\d+")
KSFT_SKIP = 4
TIMEOUTS = (124, 143)  # timeout(1): 124; busybox timeout: 143 (SIGTERM)


def read_list(path):
    runs, skips = {}, {}
    with open(path) as f:
        for line in f:
            if line.lstrip().startswith("#"):
                continue
            words = line.split()
            if not words:
                continue
            if words[0] == "run" and len(words) >= 3:
                runs[words[1]] = " ".join(words[3:])
            elif words[0] == "skip" and len(words) >= 3:
                skips[words[1]] = " ".join(words[2:])
            else:
                raise SystemExit(f"selftests_report: bad line in {path}: {line.strip()}")
    return runs, skips


def read_log(path):
    """Per row: (result, detail).  result: pass, fail, skip, timeout."""
    rows, done, current = {}, False, None
    if path == "-":
        return None, True
    with open(path, errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\r\n")
            m = BEGIN.search(line)
            if m:
                current = m.group(1)
                continue
            m = RESULT.search(line)
            if m:
                test, status, secs = m.group(1), int(m.group(2)), m.group(3)
                if status == 0:
                    rows[test] = ("pass", f"{secs}s")
                elif status == KSFT_SKIP:
                    rows.setdefault(test, ("skip", ""))
                    rows[test] = ("skip", rows[test][1])
                elif status in TIMEOUTS:
                    rows[test] = ("timeout", f"over {secs}s")
                else:
                    rows[test] = ("fail", f"exit {status}")
                current = None
                continue
            if "@@ done" in line:
                done = True
                continue
            if current is None:
                continue
            m = TAP.match(line)
            if m:
                name = f"{current}:{m.group(2).strip()}"
                if m.group(3):
                    rows[name] = ("skip", m.group(4) or "")
                elif m.group(1) == "ok":
                    rows[name] = ("pass", "")
                else:
                    rows[name] = ("fail", "")
            elif line.startswith(("1..0 # SKIP", "# SKIP", "1..0 # skip")):
                rows[current] = ("skip", line.split("SKIP", 1)[-1].strip())
    return rows, done


def main(argv):
    if len(argv) != 4 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    runs, skips = read_list(argv[1])
    base, base_done = read_log(argv[2])
    patched, patched_done = read_log(argv[3])
    failures = []
    if patched is None and base is None:
        raise SystemExit("selftests_report: no log")
    counted = patched if patched is not None else base
    names = sorted(set(runs) | set((base or {}).keys()) | set((patched or {}).keys()))
    width = max([len(n) for n in names] + [4])
    print(f"{'test':<{width}}  {'base':<8} {'patched':<8} note")
    passed = skipped = 0
    for name in names:
        test = name.split(":", 1)[0]
        b = (base or {}).get(name, ("-", "")) if base is not None else ("-", "")
        p = (patched or {}).get(name, ("-", "")) if patched is not None else ("-", "")
        if base is not None and name not in base and name in runs:
            b = ("missing", "")
        if patched is not None and name not in patched and name in runs:
            p = ("missing", "")
        mine = p if patched is not None else b
        note = ""
        reason = runs.get(name) or runs.get(test, "")
        flaky = reason.startswith("flaky")
        if mine[0] == "pass":
            passed += 1
        elif mine[0] in ("fail", "timeout", "missing"):
            if flaky:
                note = reason
                skipped += 1
            elif patched is not None and b[0] == "pass":
                note = "REGRESSION: passes on base"
                failures.append(name)
            elif reason:
                note = reason
                skipped += 1
            else:
                note = "FAILED, no known reason"
                failures.append(name)
        elif mine[0] == "skip":
            note = mine[1] or runs.get(test, "")
            skipped += 1
        if mine[0] == "pass" and b[0] in ("fail", "timeout"):
            note = reason if flaky else "fixed by the series"
        print(f"{name:<{width}}  {b[0]:<8} {p[0]:<8} {note}".rstrip())
    if skips:
        print("\nleft out:")
        for name, reason in sorted(skips.items()):
            print(f"  {name}: {reason}")
    for label, done, log in (("base", base_done, argv[2]), ("patched", patched_done, argv[3])):
        if not done:
            print(f"FAIL the {label} guest did not reach the end of its init")
            failures.append(label)
    if patched is not None:
        def normal(report):
            return NUMBERS.sub("N", report)
        base_reports = {normal(r) for r in splats(argv[2])} if base is not None else set()
        for report in splats(argv[3]):
            if normal(report) not in base_reports:
                print(f"FAIL kernel report on patched only: {report}")
                failures.append(report)
    # Rows that skip, or fail on both kernels for a listed reason.
    print(f"{passed} passed, {len(failures)} failed, {skipped} skipped")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
