#!/usr/bin/env bash
# Install what the pipeline needs and make the cached, committed base tree.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

usage() {
	cat <<EOF
usage: scripts/series base [--newest]

Installs the tools the pipeline needs from Debian's registry, and
$BASE_PACKAGE at the pinned version $BASE_VERSION.  Unpacks the source
into a git tree at $TREE and commits it as the base
(tag '$BASE_TAG').  A second call reuses the tree in seconds.

  --newest  if the pinned version is gone from the registry, use the
            newest $BASE_PACKAGE instead (the series may not apply)
EOF
}

newest=0
while [ $# -gt 0 ]; do
	case "$1" in
	--newest) newest=1 ;;
	-h|--help) usage; exit 0 ;;
	*) die "base: unknown argument '$1' (see --help)" ;;
	esac
	shift
done

# Debian packages and the command each one provides.
tools_packages="git:git make:make gcc:gcc python3:python3 ccache:ccache
flex:flex bison:bison bc:bc xz:xz-utils cpio:cpio rsync:rsync
qemu-system-x86_64:qemu-system-x86 b4:b4 sparse:sparse spatch:coccinelle
perl:perl"
header_packages="/usr/include/libelf.h:libelf-dev
/usr/include/openssl/ssl.h:libssl-dev /usr/share/qemu/qboot.rom:qemu-system-data
/bin/busybox:busybox-static /usr/lib/python3/dist-packages/ply:python3-ply
/usr/bin/git-filter-repo:git-filter-repo
/usr/lib/x86_64-linux-gnu/libc.a:libc6-dev /usr/sbin/mkfs.ext4:e2fsprogs
/usr/sbin/mkfs.xfs:xfsprogs /usr/bin/mkfs.erofs:erofs-utils
/usr/bin/sphinx-build:python3-sphinx
/usr/lib/python3/dist-packages/sphinx_rtd_theme:python3-sphinx-rtd-theme
/usr/sbin/mkfs.f2fs:f2fs-tools /usr/sbin/mkfs.gfs2:gfs2-utils"

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "base: need root (or sudo) to run: $*"
	fi
}

apt_updated=0
apt_install() {
	if [ $apt_updated -eq 0 ]; then
		as_root apt-get update -qq >/dev/null ||
			die "base: 'apt-get update' failed"
		apt_updated=1
	fi
	note "installing: $*"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends --allow-downgrades "$@" >/dev/null ||
		die "base: 'apt-get install $*' failed"
}

installed_version() {
	dpkg-query -W -f='${Status} ${Version}' "$1" 2>/dev/null |
		sed -n 's/^install ok installed //p'
}

install_tools() {
	local missing=() pair
	for pair in $tools_packages; do
		command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
	done
	for pair in $header_packages; do
		[ -e "${pair%%:*}" ] || missing+=("${pair#*:}")
	done
	[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# install_source PACKAGE: the pinned version, or with --newest the newest.
install_source() {
	local pkg=$1 want=$BASE_VERSION candidates
	[ "$(installed_version "$pkg")" = "$want" ] && return 0
	[ $apt_updated -eq 1 ] || { as_root apt-get update -qq >/dev/null; apt_updated=1; }
	candidates=$(apt-cache madison "$pkg" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}')
	if ! grep -qxF "$want" <<<"$candidates"; then
		if [ $newest -eq 0 ]; then
			die "base: $pkg $want is no longer in the registry (newest: ${candidates%%$'\n'*}); rerun with --newest to use it"
		fi
		want=${candidates%%$'\n'*}
		[ -n "$want" ] || die "base: $pkg is not in the registry at all"
		note "using $pkg $want instead of the pinned $BASE_VERSION (--newest)"
	fi
	apt_install "$pkg=$want"
}

unpack_dir=
make_tree() {
	local sum
	sum=$(sha256sum "$BASE_TARBALL" | cut -d' ' -f1)
	if [ "$sum" != "$BASE_SHA256" ]; then
		[ $newest -eq 1 ] ||
			die "base: $BASE_TARBALL has sha256 $sum, pinned is $BASE_SHA256"
		note "tarball differs from the pinned one (--newest): $sum"
	fi
	if git -C "$TREE" rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null 2>&1; then
		if git -C "$TREE" cat-file tag "$BASE_TAG" | grep -qF "sha256 $sum"; then
			note "base tree ready: $TREE ($(git -C "$TREE" rev-parse --short "$BASE_TAG^{commit}"))"
			return 0
		fi
		note "cached tree was made from another tarball; making it anew"
	fi
	mkdir -p "$SERIES_CACHE"
	unpack_dir=$(mktemp -d "$SERIES_CACHE/.unpack.XXXXXX")
	trap 'rm -rf "$unpack_dir"' EXIT
	local tmp=$unpack_dir
	note "unpacking $BASE_TARBALL"
	tar -xJf "$BASE_TARBALL" -C "$tmp" --strip-components=1
	git -C "$tmp" init -q -b base
	git -C "$tmp" config core.autocrlf false
	git -C "$tmp" config gc.auto 0
	git -C "$tmp" config user.name "$SERIES_NAME"
	git -C "$tmp" config user.email "$SERIES_EMAIL"
	# Debian's .gitignore ignores the whole top level: add with -f.
	git -C "$tmp" add -f -A .
	GIT_AUTHOR_DATE=$BASE_COMMIT_DATE GIT_COMMITTER_DATE=$BASE_COMMIT_DATE \
		git -C "$tmp" commit -q -m "Linux $BASE_PACKAGE $BASE_VERSION" \
		-m "Unpacked from $BASE_TARBALL (sha256 $sum)."
	GIT_COMMITTER_DATE=$BASE_COMMIT_DATE \
		git -C "$tmp" tag -a -m "$BASE_PACKAGE $BASE_VERSION sha256 $sum" "$BASE_TAG"
	git -C "$tmp" branch "$SERIES_BRANCH"
	git -C "$tmp" checkout -q "$SERIES_BRANCH"
	rm -rf "$TREE"
	mv "$tmp" "$TREE"
	trap - EXIT
	note "base tree made: $TREE ($(git -C "$TREE" rev-parse --short "$BASE_TAG^{commit}"))"
}

install_tools
install_source "$BASE_PACKAGE"
install_source "$CONFIG_PACKAGE"
make_tree
