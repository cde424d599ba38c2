#!/usr/bin/env python3
"""Summarise a kunit.py --json result: one line per suite, then the totals.

usage: kunit_summary.py RESULT.json [--log KERNEL.log] [EXPECTED_SUITE...]

Every case counts once: PASS is passed, SKIP is skipped, anything else
(FAIL, ERROR for a crash) is failed.  An expected suite that did not run
at all counts as one failure, so a suite that silently vanished from the
build can never look like success.  With --log, every report the kernel
printed that a debug option exists to catch (KASAN, lockdep, RCU, debug
objects, KCSAN, BUG, WARNING, ...) counts as one more failure, even when
every case passed.  A case that provokes a WARNING on purpose brackets it
with the lines "kunit-expect-warning: begin CASE: WHAT" and
"kunit-expect-warning: end CASE": exactly one WARNING between them is
expected and not counted, and any other number is one failure.  Exit
status 1 if anything failed.
"""
import json
import re
import sys

# First lines of the reports of the kernel's debug options.
SPLATS = re.compile(
    r"(BUG: |WARNING: |KASAN: |KCSAN: |UBSAN: |ODEBUG: |kmemleak: .*new suspected"
    r"|possible circular locking|possible recursive locking|inconsistent lock state"
    r"|suspicious RCU usage|INFO: task .* blocked|general protection fault"
    r"|Kernel panic|Oops: |BUG kmalloc|unreferenced object)")


# Boot messages that match SPLATS but report no defect: an AMD guest CPU
# (-cpu EPYC, for KVM's SVM) without the microcode of a real one.
BENIGN = re.compile(r"Speculative Return Stack Overflow: WARNING: See https://")


# The brackets a case prints around a WARNING it provokes on purpose.
EXPECT_BEGIN = re.compile(r"kunit-expect-warning: begin (.*)")
EXPECT_END = re.compile(r"kunit-expect-warning: end ")


def splats(path):
    """The debug-option reports in a kernel log, one line each."""
    found = []
    expected, warnings = None, 0
    try:
        with open(path, errors="replace") as f:
            for line in f:
                begin = EXPECT_BEGIN.search(line)
                if begin:
                    expected, warnings = begin.group(1).strip(), 0
                    continue
                if EXPECT_END.search(line) and expected is not None:
                    if warnings != 1:
                        found.append(f"expected one WARNING for {expected}, "
                                     f"saw {warnings}")
                    expected = None
                    continue
                m = SPLATS.search(line)
                if not m or BENIGN.search(line):
                    continue
                if expected is not None and m.group(1) == "WARNING: ":
                    warnings += 1
                    continue
                found.append(line[m.start():].strip())
    except OSError as e:
        found.append(f"no kernel log: {e}")
    if expected is not None:
        found.append(f"expected one WARNING for {expected}, the log ends first")
    return found


def cases(group, prefix=""):
    """Yield (suite, case, status) for every leaf test case."""
    for case in group.get("test_cases", []):
        yield prefix, case["name"], case["status"]
    for sub in group.get("sub_groups", []):
        # Top-level sub-groups are suites; deeper ones are parameterised
        # cases, which belong to the suite they are in.
        yield from cases(sub, prefix or sub["name"])


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) >= 2 else 2
    args = argv[2:]
    log = None
    if args[:1] == ["--log"]:
        log, args = args[1], args[2:]
    try:
        with open(argv[1]) as f:
            result = json.load(f)
    except (OSError, ValueError) as e:
        print(f"kunit: no usable result in {argv[1]}: {e}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 1

    per_suite = {}
    for suite, name, status in cases(result):
        counts = per_suite.setdefault(suite, {"PASS": 0, "SKIP": 0, "FAIL": 0})
        counts[status if status in ("PASS", "SKIP") else "FAIL"] += 1
        if status not in ("PASS", "SKIP"):
            print(f"kunit: {suite}.{name}: {status}")
        elif status == "SKIP":
            print(f"kunit: {suite}.{name}: skipped")

    missing = [s for s in args if s not in per_suite]
    for suite in missing:
        print(f"kunit: suite '{suite}' did not run")
    for suite, c in sorted(per_suite.items()):
        print(f"kunit: suite {suite}: {c['PASS']} passed, {c['FAIL']} failed, "
              f"{c['SKIP']} skipped")

    reports = splats(log) if log else []
    for report in reports:
        print(f"kunit: kernel reported: {report}")

    passed = sum(c["PASS"] for c in per_suite.values())
    failed = sum(c["FAIL"] for c in per_suite.values()) + len(missing)
    failed += len(reports)
    skipped = sum(c["SKIP"] for c in per_suite.values())
    tail = f", {skipped} skipped" if skipped else ""
    print(f"{passed} passed, {failed} failed{tail}")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
