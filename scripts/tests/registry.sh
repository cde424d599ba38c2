#!/usr/bin/env bash
# The set-up against a registry of the test's own: stubs of apt-cache and
# apt-get first on PATH serve small .deb files made here, so no case
# needs the network, root or a real kernel.  Cases: the pin is served;
# the pin is gone; only another config version is served; a newer source
# is served.  Every base and cache lives in a scratch directory.
set -euo pipefail

case "${1:-}" in
-h|--help)
	echo "usage: scripts/tests/registry.sh   (needs git, dpkg-deb, xz)"
	exit 0 ;;
esac

repo=$(cd "$(dirname "$0")/../.." && pwd)
series=$repo/scripts/series
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$repo/scripts/tests/expect.sh"

for tool in git dpkg-deb xz; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "registry tests: missing tool: $tool" >&2
		exit 1
	}
done

src=linux-source-6.1
cfg=linux-config-6.1
store=$tmp/store # every .deb the stub registry could serve
mkdir -p "$store" "$tmp/bin"

# make_source VERSION VMSCAN-LINE: a source .deb whose tarball holds a
# two-file kernel; the line decides whether the test patch applies.
make_source() {
	local root=$tmp/build/src-$1
	mkdir -p "$root/tree/linux-source-6.1/mm" "$root/deb/DEBIAN" "$root/deb/usr/src"
	printf 'VERSION = %s\n' "$1" >"$root/tree/linux-source-6.1/Makefile"
	printf 'first\n%s\nlast\n' "$2" >"$root/tree/linux-source-6.1/mm/vmscan.c"
	tar -C "$root/tree" --sort=name --mtime=@0 --owner=0 --group=0 \
		-cJf "$root/deb/usr/src/linux-source-6.1.tar.xz" linux-source-6.1
	printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: t <t@example.org>\nDescription: stub\n' \
		"$src" "$1" >"$root/deb/DEBIAN/control"
	dpkg-deb -Zxz --build "$root/deb" "$store/$src-$1.deb" >/dev/null
}

make_config() { # make_config VERSION
	local root=$tmp/build/cfg-$1
	mkdir -p "$root/deb/DEBIAN" "$root/deb/usr/src/linux-config-6.1"
	echo "# config of $1" | xz >"$root/deb/usr/src/linux-config-6.1/config.amd64_none_amd64.xz"
	printf 'Package: %s\nVersion: %s\nArchitecture: amd64\nMaintainer: t <t@example.org>\nDescription: stub\n' \
		"$cfg" "$1" >"$root/deb/DEBIAN/control"
	dpkg-deb -Zxz --build "$root/deb" "$store/$cfg-$1.deb" >/dev/null
}

make_source 1.0-0 'old line'
make_source 1.0-1 'old line'
make_source 1.0-2 'old line'  # newer than the pin; the patch applies
make_source 1.1-1 'new line'  # newer than the pin; the patch does not
make_config 1.0-1
make_config 2.0-1

# The pin: version 1.0-1 and the sha256 of its tarball.
pin_sha=$(dpkg-deb --fsys-tarfile "$store/$src-1.0-1.deb" |
	tar -xOf - ./usr/src/linux-source-6.1.tar.xz | sha256sum | cut -d' ' -f1)
cat >"$tmp/base.env" <<EOF
BASE_PACKAGE=$src
BASE_VERSION=1.0-1
BASE_TARBALL_MEMBER=usr/src/linux-source-6.1.tar.xz
BASE_SHA256=$pin_sha
CONFIG_PACKAGE=$cfg
CONFIG_MEMBER=usr/src/linux-config-6.1/config.amd64_none_amd64.xz
BASE_COMMIT_DATE="2026-01-01T00:00:00+00:00"
EOF

# The series: one patch, which needs 'old line' in mm/vmscan.c.
mkdir "$tmp/patches"
cat >"$tmp/patches/0001-mm-change-a-line.patch" <<'EOF'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: Test <test@example.org>
Date: Thu, 1 Jan 2026 00:00:00 +0000
Subject: [PATCH] mm: change a line

---
 mm/vmscan.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/mm/vmscan.c b/mm/vmscan.c
--- a/mm/vmscan.c
+++ b/mm/vmscan.c
@@ -1,3 +1,3 @@
 first
-old line
+patched line
 last
-- 
EOF

# The stubs serve what $STUB_REGISTRY lists, one "PACKAGE VERSION" a line.
cat >"$tmp/bin/apt-cache" <<'EOF'
#!/bin/sh
[ "$1" = madison ] || { echo "stub apt-cache: only madison" >&2; exit 100; }
awk -v p="$2" '$1 == p { print " " p " | " $2 " | stub main amd64 Packages" }' "$STUB_REGISTRY"
EOF
cat >"$tmp/bin/apt-get" <<'EOF'
#!/bin/sh
case "$1" in
update) exit 0 ;;
download)
	[ "$2" != -q ] || shift
	pkg=${2%%=*} ver=${2#*=}
	if ! grep -qx "$pkg $ver" "$STUB_REGISTRY"; then
		echo "E: Version '$ver' for '$pkg' was not found" >&2
		exit 100
	fi
	cp "$STUB_STORE/$pkg-$ver.deb" "./${pkg}_${ver}_all.deb" ;;
*) echo "stub apt-get: '$1' is not served here" >&2; exit 100 ;;
esac
EOF
chmod +x "$tmp/bin/apt-cache" "$tmp/bin/apt-get"

# registry NAME "PACKAGE VERSION"...: the listing one case serves.
registry() {
	local name=$1
	shift
	printf '%s\n' "$@" >"$tmp/registry-$name"
}

# in_case NAME COMMAND...: run the pipeline against that case's registry,
# with a cache of its own.
in_case() {
	local name=$1
	shift
	env PATH="$tmp/bin:$PATH" STUB_REGISTRY="$tmp/registry-$name" STUB_STORE="$store" \
		SERIES_BASE_ENV="$tmp/base.env" SERIES_CACHE="$tmp/cache-$name" "$@"
}

# base_version NAME: the version the case's base tree was made from.
base_version() {
	git -C "$tmp/cache-$1/linux" cat-file tag series-base | tail -n 1 | cut -d' ' -f2
}

# 1. The pin is served: base uses it, with the config of the same version.
registry pinned "$src 1.0-1" "$src 1.0-0" "$src 1.0-2" "$cfg 1.0-1" "$cfg 2.0-1"
expect_ok "pin served: base succeeds" in_case pinned "$series" base
expect_true "pin served: the base is the pin" test "$(base_version pinned)" = 1.0-1
expect_in "pin served: the config of the base's version, named" "$tmp/err" \
	"Debian config for 'check': $cfg 1.0-1"
expect_ok "pin served: the pin check passes" in_case pinned "$series" base --check-pin
expect_ok "pin served: setup applies the series" \
	in_case pinned "$series" setup --patches "$tmp/patches"
expect_true "pin served: the series is applied" \
	grep -qx 'patched line' "$tmp/cache-pinned/linux/mm/vmscan.c"

# 2. The pin is gone: base takes the newest and says so in one line;
# the pin check fails; setup goes on to a version the series applies to.
registry gone "$src 1.0-0" "$src 1.0-2" "$src 1.1-1" "$cfg 2.0-1"
expect_ok "pin gone: base still succeeds" in_case gone "$series" base
expect_in "pin gone: base says it took the newest" "$tmp/err" \
	"the pin $src 1.0-1 is no longer served by the registry; using the newest, 1.1-1"
expect_true "pin gone: the base is the newest" test "$(base_version gone)" = 1.1-1
expect_error "pin gone: the pin check fails, naming the pin" \
	"pin $src 1.0-1 is no longer served.*newest: 1.1-1" \
	in_case gone "$series" base --check-pin
expect_ok "pin gone: setup finds a base the series applies to" \
	in_case gone "$series" setup --patches "$tmp/patches"
expect_true "pin gone: setup took 1.0-2, the newest the series applies to" \
	test "$(base_version gone)" = 1.0-2
expect_true "pin gone: the series is applied" \
	grep -qx 'patched line' "$tmp/cache-gone/linux/mm/vmscan.c"
registry nowhere "$src 1.1-1" "$cfg 2.0-1"
expect_last_error "pin gone, series applies nowhere: setup stops, naming the patch" \
	"applies to no $src .* 0001-mm-change-a-line.patch .*does not apply: mm/vmscan.c" \
	in_case nowhere "$series" setup --patches "$tmp/patches"

# 3. Only another config version: the source stays the pin.
registry config "$src 1.0-1" "$cfg 2.0-1"
expect_ok "other config only: base succeeds" in_case config "$series" base
expect_true "other config only: the source is still the pin" \
	test "$(base_version config)" = 1.0-1
expect_in "other config only: the config version used is named" "$tmp/err" \
	"Debian config for 'check': $cfg 2.0-1"
expect_true "other config only: that config is the one unpacked" \
	bash -c 'xz -dc "$1" | grep -qx "# config of 2.0-1"' _ \
	"$tmp/cache-config/debian-config/config.amd64_none_amd64.xz"

# 4. A newer source: base keeps the pin; drift tries each newer version.
registry newer "$src 1.0-1" "$src 1.0-2" "$src 1.1-1" "$cfg 1.0-1"
expect_ok "newer source: base succeeds" in_case newer "$series" base
expect_true "newer source: the base is still the pin" test "$(base_version newer)" = 1.0-1
rc=0
in_case newer "$series" drift --patches "$tmp/patches" >"$tmp/drift" 2>&1 || rc=$?
expect_true "newer source: drift fails when a newer version does not take the series" \
	test $rc -ne 0
expect_in "newer source: drift says 1.0-2 applies" "$tmp/drift" "1.0-2            applies"
expect_in "newer source: drift names the first patch that fails on 1.1-1" "$tmp/drift" \
	"1.1-1            does not apply at 0001-mm-change-a-line.patch"
expect_in "newer source: drift counts one check a version" "$tmp/drift" "1 passed, 1 failed"
expect_true "newer source: drift does not list the pin or older versions" \
	bash -c '! grep -qE "^1\.0-[01] " "$1"' _ "$tmp/drift"

# The pinned version with another tarball is refused.
sed -i "s/^BASE_SHA256=.*/BASE_SHA256=$(printf '0%.0s' {1..64})/" "$tmp/base.env"
expect_error "pin served with another tarball: base refuses it" \
	"$src 1.0-1 carries a tarball with sha256 $pin_sha, pinned is 0{64}" \
	in_case newer env SERIES_CACHE="$tmp/cache-sha" "$series" base

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
