#!/usr/bin/env bash
# Set-up for 'run' and 'test': a base tree the series applies to.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

usage() {
	cat <<EOF
usage: scripts/series setup [--patches DIR]

'base', then 'apply'.  On the pinned base, a patch that does not apply
stops the set-up.  When the pin is gone from the registry and 'base'
took the newest $BASE_PACKAGE instead, and the series does not apply
to it, tries every other version the registry serves, newest first.
Stops, with one line that names the patch, only if the series applies
to none of them.
EOF
}

apply_args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--patches) [ $# -ge 2 ] || die "setup: --patches needs a directory"
		apply_args=(--patches "$2"); shift ;;
	-h|--help) usage; exit 0 ;;
	*) die "setup: unknown argument '$1' (see --help)" ;;
	esac
	shift
done

series=$REPO_ROOT/scripts/series
err=$(mktemp)
trap 'rm -f "$err"' EXIT

# try_apply: 'apply', its one error line kept in $err.
try_apply() {
	"$series" apply ${apply_args[@]+"${apply_args[@]}"} 2>"$err" && { cat "$err" >&2; return 0; }
	return 1
}

"$series" base
first=$(cat "$BASE_STATE")
try_apply && exit 0
first_error=$(tail -n 1 "$err")
[ "$first" != "$BASE_VERSION" ] ||
	die "setup: on the pinned $BASE_PACKAGE $first: ${first_error#series: }"

while read -r version; do
	[ "$version" != "$first" ] || continue
	note "setup: the series does not apply to $BASE_PACKAGE $first; trying $version"
	"$series" base --version "$version" || continue
	if try_apply; then
		note "setup: the series applies to $BASE_PACKAGE $version, not the newest; the pin needs moving"
		exit 0
	fi
done < <(registry_versions "$BASE_PACKAGE")
die "setup: the series applies to no $BASE_PACKAGE the registry serves; on the newest, $first: ${first_error#series: }"
