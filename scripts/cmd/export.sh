#!/usr/bin/env bash
# Regenerate patches/ from the tree's 'series' branch.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

usage() {
	cat <<EOF
usage: scripts/series export [--output DIR]

Writes every commit of '$SERIES_BRANCH' after the base as a numbered
patch into DIR (default: patches/), plus 0000-cover-letter.patch made
from cover-letter.txt.  The output does not depend on when or where it
is made (zero commit ids, fixed dates), so re-exporting an unchanged
branch changes nothing.
EOF
}

out=$REPO_ROOT/patches
while [ $# -gt 0 ]; do
	case "$1" in
	--output) [ $# -ge 2 ] || die "export: --output needs a directory"
		out=$2; shift ;;
	-h|--help) usage; exit 0 ;;
	*) die "export: unknown argument '$1' (see --help)" ;;
	esac
	shift
done

need_tree
tree_git rev-parse -q --verify "refs/heads/$SERIES_BRANCH" >/dev/null ||
	die "export: no branch '$SERIES_BRANCH' in $TREE"
count=$(tree_git rev-list --count "$BASE_TAG..$SERIES_BRANCH")
[ "$count" -gt 0 ] || die "export: '$SERIES_BRANCH' has no commits after the base"
[ -s "$REPO_ROOT/cover-letter.txt" ] || die "export: cover-letter.txt is missing"

# The branch description is what format-patch puts in the cover letter:
# its first paragraph becomes the subject.
tree_git config "branch.$SERIES_BRANCH.description" "$(cat "$REPO_ROOT/cover-letter.txt")"

mkdir -p "$out"
rm -f "$out"/[0-9][0-9][0-9][0-9]-*.patch
tree_git format-patch -q --zero-commit --no-signature --numbered \
	--cover-letter --cover-from-description=subject \
	--base="$BASE_TAG^{commit}" -o "$out" "$BASE_TAG..$SERIES_BRANCH"

# format-patch dates the cover letter "now"; use the last commit's date.
last_date=$(tree_git log -1 --format=%aD "$SERIES_BRANCH")
sed -i "s/^Date: .*/Date: $last_date/" "$out"/0000-cover-letter.patch
note "exported $count patches to $out"
