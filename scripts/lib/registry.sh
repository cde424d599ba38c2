# shellcheck shell=bash
# Debian's registry as this machine's apt sees it: which versions of a
# package it serves, and a package's files unpacked without installing
# it.  Sourced by common.sh, never run.
#
# Nothing here installs a kernel package: the source and the config are
# unpacked from their .deb files into $SERIES_CACHE, so fetching one can
# never move the other (installing linux-config-6.1 pulls the newest
# linux-source-6.1 in with it).  The pipeline's tests put stubs of
# apt-get and apt-cache first on PATH to play a registry of their own.

DEB_CACHE=$SERIES_CACHE/debs

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root (or sudo) to run: $*"
	fi
}

registry_updated=0
registry_update() {
	[ $registry_updated -eq 0 ] || return 0
	as_root apt-get update -qq >/dev/null 2>&1 || die "'apt-get update' failed"
	registry_updated=1
}

# apt_install PACKAGE...: install from the registry, quietly.
apt_install() {
	registry_update
	note "installing: $*"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "$@" >/dev/null 2>&1 ||
		die "'apt-get install $*' failed"
}

# version_newer A B: Debian's order, A > B.
version_newer() {
	dpkg --compare-versions "$1" gt "$2"
}

# registry_versions PACKAGE: every version the registry serves, newest
# first (Debian's version order, not the order of the suites).
registry_versions() {
	local versions=() v i j tmp
	registry_update
	mapfile -t versions < <(apt-cache madison "$1" 2>/dev/null |
		awk -F'|' '{gsub(/ /, "", $2); if ($2 != "") print $2}' | sort -u)
	for ((i = 1; i < ${#versions[@]}; i++)); do
		for ((j = i; j > 0; j--)); do
			version_newer "${versions[j]}" "${versions[j - 1]}" || break
			tmp=${versions[j]}
			versions[j]=${versions[j - 1]}
			versions[j - 1]=$tmp
		done
	done
	for v in ${versions[@]+"${versions[@]}"}; do echo "$v"; done
}

# registry_serves PACKAGE VERSION
registry_serves() {
	registry_versions "$1" | grep -qxF "$2"
}

# registry_unpack PACKAGE VERSION DIR: download the .deb (kept in
# $DEB_CACHE) and unpack its files into DIR, without installing it.
registry_unpack() {
	local pkg=$1 ver=$2 dir=$3 deb=$DEB_CACHE/${1}_${2//:/%3a}.deb tmp
	if [ ! -s "$deb" ]; then
		registry_update
		mkdir -p "$DEB_CACHE"
		tmp=$(mktemp -d "$DEB_CACHE/.download.XXXXXX")
		# apt-get download writes to the current directory.
		if ! (cd "$tmp" && apt-get download -q "$pkg=$ver") >"$tmp.log" 2>&1; then
			rm -rf "$tmp" "$tmp.log"
			die "cannot download $pkg $ver from the registry"
		fi
		mv "$tmp"/*.deb "$deb"
		rm -rf "$tmp" "$tmp.log"
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	dpkg-deb -x "$deb" "$dir" || die "cannot unpack $deb"
}
