# shellcheck shell=bash
# make_initramfs OUT INIT [PROGRAM.c...]: a gzip'd cpio at OUT holding
# busybox (with /bin/sh), INIT as /init, scripts/lib/guest_setup.sh for
# it to source, and each PROGRAM.c built static into /bin/PROGRAM.  Sourced after common.sh, never run.
make_initramfs() {
	local out=$1 init=$2 root src
	shift 2
	root=$out.d
	rm -rf "$root"
	mkdir -p "$root/bin"
	cp /bin/busybox "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	for src in "$@"; do
		gcc -static -O2 -Wall -Wextra -Werror -pthread \
			-o "$root/bin/$(basename "$src" .c)" "$src" || return 1
	done
	install -m 0755 "$init" "$root/init"
	install -m 0644 "$REPO_ROOT/scripts/lib/guest_setup.sh" "$root/guest_setup.sh"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
}
