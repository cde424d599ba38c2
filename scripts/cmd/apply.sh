#!/usr/bin/env bash
# Recreate the tree's 'series' branch: the base plus 'git am' of patches/.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

usage() {
	cat <<EOF
usage: scripts/series apply [--patches DIR]

Makes branch '$SERIES_BRANCH' in $TREE anew at the base and applies
every patch of DIR (default: patches/) with 'git am'.  If a patch does
not apply, names it and the files that failed, and leaves the tree as
it was.  The branch's previous tip is kept as refs/series-backup/*.
EOF
}

patch_dir=$REPO_ROOT/patches
while [ $# -gt 0 ]; do
	case "$1" in
	--patches) [ $# -ge 2 ] || die "apply: --patches needs a directory"
		patch_dir=$(cd "$2" && pwd); shift ;;
	-h|--help) usage; exit 0 ;;
	*) die "apply: unknown argument '$1' (see --help)" ;;
	esac
	shift
done

need_tree
need_clean_tree
mapfile -t patches < <(find "$patch_dir" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
	! -name '0000-*' | sort)
[ ${#patches[@]} -gt 0 ] || die "apply: no patches in $patch_dir"

old_head=$(tree_git symbolic-ref -q HEAD || tree_git rev-parse HEAD)
old_tip=$(tree_git rev-parse -q --verify "refs/heads/$SERIES_BRANCH" || true)

# Work on a detached HEAD so the series branch moves only on success.
tree_git checkout -q --detach "$BASE_TAG^{commit}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! tree_git am -q --committer-date-is-author-date "${patches[@]}" >"$log" 2>&1; then
	failed=$(tree_git am --show-current-patch=raw 2>/dev/null |
		sed -n 's/^Subject: //p' | head -n 1)
	files=$(sed -n -e 's/^error: patch failed: \([^:]*\):.*/\1/p' \
		-e 's/^error: \([^:]*\): does not exist in index/\1/p' \
		-e 's/^error: \([^:]*\): already exists in index/\1/p' "$log" |
		sort -u | tr '\n' ' ')
	num=$(cat "$TREE/.git/rebase-apply/next" 2>/dev/null || echo '?')
	tree_git am --abort >/dev/null 2>&1 || true
	tree_git reset -q --hard
	if [ "${old_head#refs/heads/}" != "$old_head" ]; then
		tree_git checkout -q "${old_head#refs/heads/}"
	else
		tree_git checkout -q --detach "$old_head"
	fi
	die "apply: $(basename "${patches[$((num - 1))]:-patch $num}") ($failed) does not apply: ${files:-see git am output}"
fi

new_tip=$(tree_git rev-parse HEAD)
if [ -n "$old_tip" ] && [ "$old_tip" != "$new_tip" ] &&
	! tree_git merge-base --is-ancestor "$old_tip" "$BASE_TAG"; then
	tree_git update-ref "refs/series-backup/$(date +%Y%m%d-%H%M%S)" "$old_tip"
fi
tree_git checkout -q -B "$SERIES_BRANCH" "$new_tip"
note "applied ${#patches[@]} patches on $BASE_TAG: $SERIES_BRANCH is $(tree_git rev-parse --short HEAD)"
