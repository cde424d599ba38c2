#!/usr/bin/env bash
# Install what the pipeline needs and make the cached, committed base tree.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

usage() {
	cat <<EOF
usage: scripts/series base [--version V | --newest] [--check-pin]

Installs the tools the pipeline needs from Debian's registry.  Unpacks
$BASE_PACKAGE $BASE_VERSION (the pin; its tarball must have the
pinned sha256) into a git tree at $TREE and commits it as the base
(tag '$BASE_TAG').  Unpacks Debian's config from $CONFIG_PACKAGE
for 'check': the base's own version if the registry serves it, else the
newest, and prints the version used.  Neither package is installed.
A second call reuses the tree in seconds.

If the registry no longer serves the pinned version, takes the newest
$BASE_PACKAGE instead and says so in one line ('setup' then checks
that the series applies to it).

  --version V   use version V of $BASE_PACKAGE instead of the pin
  --newest      use the newest version the registry serves
  --check-pin   only say whether the registry still serves the pin
                (exit 1 if it does not); install nothing
EOF
}

want=
check_pin=0
while [ $# -gt 0 ]; do
	case "$1" in
	--version) [ $# -ge 2 ] || die "base: --version needs a version"
		want=$2; shift ;;
	--newest) want=newest ;;
	--check-pin) check_pin=1 ;;
	-h|--help) usage; exit 0 ;;
	*) die "base: unknown argument '$1' (see --help)" ;;
	esac
	shift
done

if [ $check_pin -eq 1 ]; then
	registry_serves "$BASE_PACKAGE" "$BASE_VERSION" ||
		die "base: the pin $BASE_PACKAGE $BASE_VERSION is no longer served by the registry (newest: $(registry_versions "$BASE_PACKAGE" | head -n 1)); move the pin"
	note "base: the pin $BASE_PACKAGE $BASE_VERSION is served by the registry"
	exit 0
fi

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

# tree_is VERSION SHA256: the cached tree's base is that tarball.
tree_is() {
	git -C "$TREE" cat-file tag "$BASE_TAG" 2>/dev/null |
		grep -qxF "$BASE_PACKAGE $1 sha256 $2"
}

newest_served() {
	local newest
	newest=$(registry_versions "$BASE_PACKAGE" | head -n 1)
	[ -n "$newest" ] || die "base: the registry serves no $BASE_PACKAGE at all"
	echo "$newest"
}

# choose_version: the version of the source to use, on stdout.
choose_version() {
	local newest
	case "$want" in
	'')
		# The tree made from the pin needs nothing from the registry.
		if tree_is "$BASE_VERSION" "$BASE_SHA256" ||
			registry_serves "$BASE_PACKAGE" "$BASE_VERSION"; then
			echo "$BASE_VERSION"
			return
		fi
		newest=$(newest_served)
		note "base: the pin $BASE_PACKAGE $BASE_VERSION is no longer served by the registry; using the newest, $newest"
		echo "$newest" ;;
	newest)
		newest_served ;;
	*)
		registry_serves "$BASE_PACKAGE" "$want" ||
			die "base: the registry does not serve $BASE_PACKAGE $want"
		echo "$want" ;;
	esac
}

# fetch_source VERSION: the tarball of that version, path on stdout.
fetch_source() {
	local dir=$DEB_CACHE/unpacked/$BASE_PACKAGE
	registry_unpack "$BASE_PACKAGE" "$1" "$dir"
	[ -f "$dir/$BASE_TARBALL_MEMBER" ] ||
		die "base: $BASE_PACKAGE $1 has no $BASE_TARBALL_MEMBER"
	echo "$dir/$BASE_TARBALL_MEMBER"
}

# fetch_config BASE-VERSION: Debian's config into $CONFIG_FILE, from the
# base's own version if it is served, else from the newest served.
fetch_config() {
	local versions ver dir=$DEB_CACHE/unpacked/$CONFIG_PACKAGE
	if [ -s "$CONFIG_FILE" ] && [ -s "$DEBIAN_CONFIG_DIR/version" ]; then
		note "base: Debian config for 'check': $CONFIG_PACKAGE $(cat "$DEBIAN_CONFIG_DIR/version") (cached)"
		return
	fi
	versions=$(registry_versions "$CONFIG_PACKAGE")
	[ -n "$versions" ] || die "base: the registry serves no $CONFIG_PACKAGE at all"
	if grep -qxF "$1" <<<"$versions"; then
		ver=$1
	else
		ver=${versions%%$'\n'*}
	fi
	registry_unpack "$CONFIG_PACKAGE" "$ver" "$dir"
	[ -f "$dir/$CONFIG_MEMBER" ] || die "base: $CONFIG_PACKAGE $ver has no $CONFIG_MEMBER"
	mkdir -p "$DEBIAN_CONFIG_DIR"
	cp "$dir/$CONFIG_MEMBER" "$CONFIG_FILE"
	echo "$ver" >"$DEBIAN_CONFIG_DIR/version"
	rm -rf "$dir"
	note "base: Debian config for 'check': $CONFIG_PACKAGE $ver"
}

tree_ready() {
	note "base tree ready: $TREE ($BASE_PACKAGE $1, $(git -C "$TREE" rev-parse --short "$BASE_TAG^{commit}"))"
}

unpack_dir=
# make_tree VERSION: the committed base tree of that version.
make_tree() {
	local version=$1 tarball sum tmp
	if [ "$version" = "$BASE_VERSION" ] && tree_is "$BASE_VERSION" "$BASE_SHA256"; then
		tree_ready "$version"
		return 0
	fi
	tarball=$(fetch_source "$version")
	sum=$(sha256sum "$tarball" | cut -d' ' -f1)
	if [ "$version" = "$BASE_VERSION" ] && [ "$sum" != "$BASE_SHA256" ]; then
		die "base: $BASE_PACKAGE $version carries a tarball with sha256 $sum, pinned is $BASE_SHA256"
	fi
	if tree_is "$version" "$sum"; then
		tree_ready "$version"
		return 0
	fi
	[ ! -e "$TREE" ] || note "base: the cached tree was made from another tarball; making it anew"
	mkdir -p "$SERIES_CACHE"
	unpack_dir=$(mktemp -d "$SERIES_CACHE/.unpack.XXXXXX")
	trap 'rm -rf "$unpack_dir"' EXIT
	tmp=$unpack_dir
	note "base: unpacking $BASE_PACKAGE $version"
	tar -xJf "$tarball" -C "$tmp" --strip-components=1
	git -C "$tmp" init -q -b base
	git -C "$tmp" config core.autocrlf false
	git -C "$tmp" config gc.auto 0
	git -C "$tmp" config user.name "$SERIES_NAME"
	git -C "$tmp" config user.email "$SERIES_EMAIL"
	# Debian's .gitignore ignores the whole top level: add with -f.
	git -C "$tmp" add -f -A .
	GIT_AUTHOR_DATE=$BASE_COMMIT_DATE GIT_COMMITTER_DATE=$BASE_COMMIT_DATE \
		git -C "$tmp" commit -q -m "Linux $BASE_PACKAGE $version" \
		-m "Unpacked from ${BASE_TARBALL_MEMBER##*/} (sha256 $sum)."
	GIT_COMMITTER_DATE=$BASE_COMMIT_DATE \
		git -C "$tmp" tag -a -m "$BASE_PACKAGE $version sha256 $sum" "$BASE_TAG"
	git -C "$tmp" branch "$SERIES_BRANCH"
	git -C "$tmp" checkout -q "$SERIES_BRANCH"
	rm -rf "$TREE"
	mv "$tmp" "$TREE"
	trap - EXIT
	# The unpacked files are not needed again; the .deb stays cached.
	rm -rf "$DEB_CACHE/unpacked/$BASE_PACKAGE"
	note "base tree made: $TREE ($BASE_PACKAGE $version, $(git -C "$TREE" rev-parse --short "$BASE_TAG^{commit}"))"
}

install_tools
# Once, here: what runs in $(...) below cannot tell this shell it did.
{ [ -z "$want" ] && tree_is "$BASE_VERSION" "$BASE_SHA256"; } || registry_update
version=$(choose_version)
make_tree "$version"
echo "$version" >"$BASE_STATE"
fetch_config "$version"
