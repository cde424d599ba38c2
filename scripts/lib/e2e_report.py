#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the results of the end-to-end guest (scripts/e2e/init.sh).

usage: e2e_report.py LOG PROGRAM...

Every 'ok N - name' line counts as passed and every 'not ok N - name'
as failed.  Each PROGRAM must also have reported '@@ exit PROGRAM 0';
a program that exited otherwise without a failed check (a set-up error),
or never reported, counts one failure.  A missing '@@ done' (the guest
died) counts one failure, and so does every KASAN, lockdep, RCU, BUG or
WARNING report in the log.  Ends with 'N passed, N failed'.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kunit_summary import splats  # noqa: E402

RESULT = re.compile(r"^(not ok|ok) \d+ - (\S+)")
EXIT = re.compile(r"^@@ exit (\S+) (\d+)")


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) > 1 else 2
    log, programs = argv[1], argv[2:]
    passed = failed = 0
    exits = {}
    done = False
    with open(log, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            m = RESULT.match(line)
            if m:
                print(line)
                if m.group(1) == "ok":
                    passed += 1
                else:
                    failed += 1
                continue
            m = EXIT.match(line)
            if m:
                exits[m.group(1)] = int(m.group(2))
            elif line.startswith("@@ done"):
                done = True
            if line.startswith(("# ", "@@ ")):
                print(line)
    for program in programs:
        status = exits.get(program)
        if status is None:
            print(f"FAIL {program}: never reported its exit")
            failed += 1
        elif status not in (0, 1):
            print(f"FAIL {program}: exited with {status} (set-up failed)")
            failed += 1
    if not done:
        print("FAIL the guest did not reach the end of its init")
        failed += 1
    for report in splats(log):
        print(f"FAIL kernel report: {report}")
        failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
