#!/usr/bin/env bash
# Does the series still apply to every newer Debian 6.1 the registry serves?
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

usage() {
	cat <<EOF
usage: scripts/series drift [--patches DIR]

For every $BASE_PACKAGE the registry serves that is newer than the
pin ($BASE_VERSION): unpack its tarball into a scratch git tree and
'git am --no-3way' the series (DIR, default patches/) onto it, with no
fuzz.  Prints a table (version, applies or not, the first patch that
does not) and counts one check a version: a version the series does not
apply to has failed.  Results are cached by version and series in
$SERIES_CACHE/drift/.
EOF
}

patch_dir=$REPO_ROOT/patches
while [ $# -gt 0 ]; do
	case "$1" in
	--patches) [ $# -ge 2 ] || die "drift: --patches needs a directory"
		patch_dir=$(cd "$2" && pwd); shift ;;
	-h|--help) usage; exit 0 ;;
	*) die "drift: unknown argument '$1' (see --help)" ;;
	esac
	shift
done

need_tool git dpkg-deb tar
mapfile -t patches < <(find "$patch_dir" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
	! -name '0000-*' | sort)
[ ${#patches[@]} -gt 0 ] || die "drift: no patches in $patch_dir"
series_id=$(cat "${patches[@]}" | sha256sum | cut -c1-16)

registry_update
newer=()
while read -r version; do
	version_newer "$version" "$BASE_VERSION" && newer+=("$version")
done < <(registry_versions "$BASE_PACKAGE")

results=$SERIES_CACHE/drift
mkdir -p "$results"
scratch=
trap 'rm -rf "$scratch"' EXIT

# try_version VERSION: "applies" or "does not apply at PATCH", on stdout.
try_version() {
	local version=$1 unpacked=$DEB_CACHE/unpacked/drift-$BASE_PACKAGE num
	registry_unpack "$BASE_PACKAGE" "$version" "$unpacked" >&2
	[ -f "$unpacked/$BASE_TARBALL_MEMBER" ] ||
		die "drift: $BASE_PACKAGE $version has no $BASE_TARBALL_MEMBER"
	scratch=$(mktemp -d "$SERIES_CACHE/.drift.XXXXXX")
	tar -xJf "$unpacked/$BASE_TARBALL_MEMBER" -C "$scratch" --strip-components=1
	rm -rf "$unpacked" "$DEB_CACHE/${BASE_PACKAGE}_${version//:/%3a}.deb"
	git -C "$scratch" init -q
	git -C "$scratch" add -f -A .
	git -C "$scratch" commit -q -m "$BASE_PACKAGE $version"
	if git -C "$scratch" am -q --no-3way "${patches[@]}" >/dev/null 2>&1; then
		echo "applies"
	else
		num=$(cat "$scratch/.git/rebase-apply/next" 2>/dev/null || echo 1)
		echo "does not apply at $(basename "${patches[$((num - 1))]}")"
	fi
	rm -rf "$scratch"
	scratch=
}

passed=0
failed=0
printf '%-16s %s\n' "version" "result"
for version in ${newer[@]+"${newer[@]}"}; do
	cached=$results/$version-$series_id
	[ -s "$cached" ] || try_version "$version" >"$cached"
	printf '%-16s %s\n' "$version" "$(cat "$cached")"
	if [ "$(cat "$cached")" = applies ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
[ ${#newer[@]} -gt 0 ] ||
	printf '%-16s %s\n' "(none)" "the registry serves no $BASE_PACKAGE newer than the pin $BASE_VERSION"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
