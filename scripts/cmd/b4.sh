#!/usr/bin/env bash
# b4 round trip, offline: b4 prep + b4 send -o, then git am of the messages
# onto a fresh base must give the series' tree, hash for hash.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

usage() {
	cat <<EOF
usage: scripts/series b4 [--keep DIR]

In a throw-away clone of the tree's '$SERIES_BRANCH' branch: 'b4 prep -e'
at the base with the cover letter from cover-letter.txt, 'b4 prep
--auto-to-cc', 'b4 send -o' (a dry run that only writes the messages),
then 'git am' of the messages onto the base.  Passes if the result has
the same tree hash as '$SERIES_BRANCH'.  Ends with 'N passed, N failed'.

  --keep DIR  also copy the messages b4 wrote to DIR
EOF
}

keep=
while [ $# -gt 0 ]; do
	case "$1" in
	--keep) [ $# -ge 2 ] || die "b4: --keep needs a directory"
		keep=$2; shift ;;
	-h|--help) usage; exit 0 ;;
	*) die "b4: unknown argument '$1' (see --help)" ;;
	esac
	shift
done

need_tool b4 git perl
need_applied
[ -s "$REPO_ROOT/cover-letter.txt" ] || die "b4: cover-letter.txt is missing"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo=$work/repo
git clone -q --shared --branch "$SERIES_BRANCH" "$TREE" "$repo"
rgit() { git -C "$repo" "$@"; }
# b4 wants a second branch that holds the fork point.
rgit branch base "$BASE_TAG^{commit}"
rgit config b4.prep-cover-strategy branch-description
# A dry run never sends, but b4 only allows an unsigned dry run when it
# believes it would send through SMTP rather than its web endpoint.
rgit config sendemail.smtpserver /bin/false

fail() {
	echo "b4: $*"
	echo "0 passed, 1 failed"
	exit 1
}

(cd "$repo" && b4 prep -e base) >"$work/log" 2>&1 || fail "b4 prep -e failed: $(tail -n 1 "$work/log")"
rgit config "branch.$SERIES_BRANCH.description" "$(cat "$REPO_ROOT/cover-letter.txt")"
(cd "$repo" && b4 prep --auto-to-cc) >"$work/log" 2>&1 ||
	fail "b4 prep --auto-to-cc failed: $(tail -n 1 "$work/log")"
(cd "$repo" && b4 send --no-sign -o "$work/out") >"$work/log" 2>&1 ||
	fail "b4 send -o failed: $(tail -n 1 "$work/log")"

mapfile -t messages < <(find "$work/out" -name '*.eml' ! -name '0000-*' | sort)
expected=$(tree_git rev-list --count "$BASE_TAG..$SERIES_BRANCH")
[ ${#messages[@]} -eq "$expected" ] ||
	fail "b4 wrote ${#messages[@]} patch messages, the series has $expected"
ls "$work/out"/0000-*.eml >/dev/null 2>&1 || fail "b4 wrote no cover letter"
[ -z "$keep" ] || { mkdir -p "$keep"; cp "$work/out"/*.eml "$keep/"; }

rgit checkout -q -b roundtrip base
rgit am -q "${messages[@]}" >"$work/log" 2>&1 || fail "git am of b4's messages failed: $(head -n 1 "$work/log")"
want=$(tree_git rev-parse "$SERIES_BRANCH^{tree}")
got=$(rgit rev-parse "HEAD^{tree}")
if [ "$got" = "$want" ]; then
	echo "b4: ok   ${#messages[@]} patches + cover letter; git am gives tree $got, as '$SERIES_BRANCH'"
	echo "1 passed, 0 failed"
else
	fail "git am of b4's messages gives tree $got, '$SERIES_BRANCH' has $want"
fi
