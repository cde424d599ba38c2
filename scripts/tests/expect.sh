# shellcheck shell=bash
# Assertions for the pipeline's own tests.  Sourced, never run: the
# sourcing script sets $tmp (a scratch directory) and prints
# "$passed passed, $failed failed" at its end.
: "${tmp:?expect.sh: the sourcing script sets tmp}"
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "pipeline: ok   $*"; }
fail() { failed=$((failed + 1)); echo "pipeline: FAIL $*"; }

# expect_error NAME PATTERN COMMAND...: exit non-zero, one stderr line
# matching PATTERN, nothing else on stderr.
expect_error() {
	local name=$1 pattern=$2 rc=0
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ $rc -ne 0 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		grep -qE "$pattern" "$tmp/err"; then
		pass "$name: $(cat "$tmp/err")"
	else
		fail "$name (exit $rc), stderr:"
		sed 's/^/    /' "$tmp/err" | head -n 10
	fi
}

# expect_last_error NAME PATTERN COMMAND...: exit non-zero, and the last
# stderr line (the one that says why) matches PATTERN.
expect_last_error() {
	local name=$1 pattern=$2 rc=0
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ $rc -ne 0 ] && tail -n 1 "$tmp/err" | grep -qE "$pattern"; then
		pass "$name: $(tail -n 1 "$tmp/err")"
	else
		fail "$name (exit $rc), stderr:"
		sed 's/^/    /' "$tmp/err" | tail -n 10
	fi
}

# expect_ok NAME COMMAND...: exit 0; stdout and stderr kept in $tmp/out
# and $tmp/err for expect_in.
expect_ok() {
	local name=$1 rc=0
	shift
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ $rc -eq 0 ]; then
		pass "$name"
	else
		fail "$name (exit $rc), stderr:"
		sed 's/^/    /' "$tmp/err" | tail -n 10
	fi
}

# expect_in NAME FILE FIXED-STRING: FILE has a line containing it.
expect_in() {
	if grep -qF -- "$3" "$2"; then
		pass "$1"
	else
		fail "$1: no '$3' in $(basename "$2"):"
		sed 's/^/    /' "$2" | tail -n 10
	fi
}

expect_true() { # expect_true NAME COMMAND...
	local name=$1
	shift
	if "$@"; then
		pass "$name"
	else
		fail "$name"
	fi
}
