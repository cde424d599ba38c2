#!/usr/bin/env bash
# Regenerate MAINTAINERS-notes: who each patch goes to, per get_maintainer.pl.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

usage() {
	cat <<'USAGE'
usage: scripts/series maintainers [--check]

Runs the tree's scripts/get_maintainer.pl (MAINTAINERS file only, no git
history: the base is a tarball) on every patch and writes To/Cc, lists
and trees per patch, and for the whole series, to MAINTAINERS-notes.

  --check  do not write; fail if MAINTAINERS-notes is out of date
USAGE
}

check=0
case "${1:-}" in
--check) check=1 ;;
-h|--help) usage; exit 0 ;;
'') ;;
*) die "maintainers: unknown argument '$1' (see --help)" ;;
esac

need_tool perl
need_applied
mapfile -t patches < <(series_patches)
[ ${#patches[@]} -gt 0 ] || die "maintainers: no patches in patches/"

# --nofixes: the tree has no upstream history in which to look up the
# commits that Fixes: tags name; on a kernel.org tree, get_maintainer.pl
# adds their authors.
gm() { # gm ARGS... : get_maintainer.pl without git, run in the tree
	(cd "$TREE" && perl scripts/get_maintainer.pl --no-git --no-git-fallback \
		--nofixes --no-rolestats "$@")
}

# recipients PATCH...: people, lists and trees for these patches, sorted
# (get_maintainer.pl's own order is not stable from run to run).
recipients() {
	echo "To/Cc:"
	gm --nol "$@" | sort | sed 's/^/  /'
	echo "Lists:"
	gm --nom --nor "$@" | sort | sed 's/^/  /'
	echo "Trees:"
	gm --scm "$@" | grep -E "^(git|quilt|hg) " | sort | sed 's/^/  /' || true
}

notes=$(mktemp)
trap 'rm -f "$notes"' EXIT
{
	echo "# Recipients of each patch, from scripts/get_maintainer.pl on the"
	echo "# series' own tree.  Regenerate: scripts/series maintainers"
	echo "# The series is for 6.1: a posting for the stable tree also goes to"
	echo "# stable@vger.kernel.org, with the upstream commits named per patch."
	echo
	echo "== whole series (b4 prep --auto-to-cc gives the same)"
	recipients "${patches[@]}"
	for p in "${patches[@]}"; do
		echo
		echo "== $(basename "$p")"
		recipients "$p"
	done
} >"$notes"

if [ $check -eq 1 ]; then
	if diff -u "$REPO_ROOT/MAINTAINERS-notes" "$notes" >/dev/null 2>&1; then
		echo "maintainers: MAINTAINERS-notes is up to date"
		exit 0
	fi
	die "maintainers: MAINTAINERS-notes is out of date (run 'scripts/series maintainers')"
fi
cp "$notes" "$REPO_ROOT/MAINTAINERS-notes"
note "wrote MAINTAINERS-notes for ${#patches[@]} patches"
