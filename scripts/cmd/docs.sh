#!/usr/bin/env bash
# Render the documentation the series touches and compare its warnings
# with the base's.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

usage() {
	cat <<'EOF'
usage: scripts/series docs [SPHINXDIR...]

Runs 'make SPHINXDIRS=DIR htmldocs' (default DIRs: virt mm driver-api, the
directories the series touches) with Debian's
python3-sphinx on the applied tree.  If it warns, renders the base too
and compares the warnings, with paths and line numbers taken out (an
edit moves the lines of older warnings): every warning the base does
not have is a failure.  Sphinx's note that graphviz is missing is no
warning about the documentation and is left out.  Prints one line per directory and 'N passed, N failed'.
Output: $SERIES_CACHE/build/docs-{base,patched}.
EOF
}

dirs=()
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	-*) die "docs: unknown option '$1' (see --help)" ;;
	*) dirs+=("$1") ;;
	esac
	shift
done
[ ${#dirs[@]} -gt 0 ] || dirs=(virt mm driver-api)

need_tool make sphinx-build python3
need_applied
for dir in "${dirs[@]}"; do
	[ -d "$TREE/Documentation/$dir" ] || die "docs: no Documentation/$dir in the tree"
done

base_tree=$SERIES_CACHE/base-worktree

# render SRC OUT DIR: render DIR of SRC; its normalised warnings, sorted,
# go to OUT/DIR.warnings.
render() {
	local src=$1 out=$2 dir=$3
	mkdir -p "$out"
	# -E: read every file again.  Sphinx warns only about the files it
	# reads, so an incremental render of one tree would miss warnings
	# that a full render of the other reports.
	make -C "$src" O="$out" SPHINXDIRS="$dir" SPHINXOPTS=-E htmldocs \
		>"$out/$dir.log" 2>&1 ||
		die "docs: 'make SPHINXDIRS=$dir htmldocs' failed in $src (see $out/$dir.log)"
	{ grep -E 'WARNING|ERROR' "$out/$dir.log" | grep -vF "$NO_DOT" || true; } |
		sed -e "s#$src/##g" -e 's#:[0-9][0-9]*:#:N:#g' | sort >"$out/$dir.warnings"
}

# Sphinx says this when graphviz is not installed: about the machine, not
# about the documentation.
NO_DOT='WARNING: dot(1) not found'
passed=0
failed=0
for dir in "${dirs[@]}"; do
	after=$BUILD_ROOT/docs-patched/$dir.warnings
	before=$BUILD_ROOT/docs-base/$dir.warnings
	render "$TREE" "$BUILD_ROOT/docs-patched" "$dir"
	# Without a warning there is nothing to compare: spare the base render.
	if [ -s "$after" ]; then
		need_base_worktree "$base_tree"
		render "$base_tree" "$BUILD_ROOT/docs-base" "$dir"
	else
		mkdir -p "${before%/*}" && : >"$before"
	fi
	new=$(comm -13 "$before" "$after")
	if [ -z "$new" ]; then
		echo "ok docs $dir: no new warning ($(wc -l <"$after") in all)"
		passed=$((passed + 1))
	else
		echo "FAIL docs $dir: new warnings:"
		echo "$new" | sed 's/^/  /'
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
