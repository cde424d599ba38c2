#!/usr/bin/env bash
# Runtime proof of the shrinker conversions: boot the base and the
# patched kernel in QEMU, mount what has shrinkers, compare.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/initramfs.sh"
. "$(dirname "$0")/../lib/base_kernel.sh"

usage() {
	cat <<'EOF'
usage: scripts/series runtime [--keep]

Boots two kernels in QEMU with the same config (the --debug KUnit
kernel: KASAN, kmemleak, lockdep, plus configs/debug/guest.config) and
the same busybox initramfs running scripts/runtime/init.sh:
  base     the unpatched base tree
  patched  the applied series
The guest mounts tmpfs, ext4, xfs (uquota), erofs, f2fs and gfs2
(lock_nolock) from virtio disks, sets up zram and has a virtio-balloon
with free page hinting; it lists /sys/kernel/debug/shrinker, drives
count and scan through debugfs and drop_caches, unmounts, and checks
kmemleak.  The patched guest then makes every mount (and the zram and
virtio_balloon set-up) fail at each shrinker_alloc() step in turn
through /proc/self/fail-nth: each must fail with ENOMEM, leak nothing,
and a retry must succeed.

Prints the shrinker lists of both kernels side by side and ends with
'N passed, N failed'.  Logs: $SERIES_CACHE/build/runtime/{base,patched}.log

  --keep  reuse disk images and initramfs from an earlier run
EOF
}

keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	--keep) keep=1 ;;
	-h|--help) usage; exit 0 ;;
	*) die "runtime: unknown argument '$1' (see --help)" ;;
	esac
	shift
done

need_tool qemu-system-x86_64 gcc cpio gzip busybox mkfs.ext4 mkfs.xfs \
	mkfs.erofs mkfs.f2fs mkfs.gfs2 python3 timeout
need_applied

work=$BUILD_ROOT/runtime
base_build=$BUILD_ROOT/runtime-base
mkdir -p "$work"

# The patched kernel is the --debug KUnit kernel (guest.config is part of
# --debug), so CI builds it once for both uses.
patched_build=$("$REPO_ROOT/scripts/series" kunit --debug --build-only all | tail -n 1)
[ -f "$patched_build/arch/x86/boot/bzImage" ] ||
	die "runtime: no patched kernel in $patched_build"

# The base kernel: the same .config, built from the base commit.
build_base_kernel "$patched_build" "$base_build" "$work/base-build.log"

# Disk images, one per filesystem, in the order init.sh expects.
images=(ext4 xfs erofs f2fs gfs2)
make_images() {
	local dir=$work/images
	rm -rf "$dir"
	mkdir -p "$dir/erofs-src/sub"
	for i in $(seq 1 50); do echo "erofs file $i" >"$dir/erofs-src/f$i"; done
	cp /bin/busybox "$dir/erofs-src/sub/"
	truncate -s 64M "$dir/ext4.img" "$dir/gfs2.img"
	truncate -s 320M "$dir/xfs.img"
	truncate -s 128M "$dir/f2fs.img"
	mkfs.ext4 -q -F -O ea_inode "$dir/ext4.img"
	mkfs.xfs -q -f "$dir/xfs.img"
	mkfs.erofs --quiet -zlz4 "$dir/erofs.img" "$dir/erofs-src"
	mkfs.f2fs -q -f "$dir/f2fs.img" >/dev/null
	mkfs.gfs2 -q -O -p lock_nolock -j 1 -J 8 "$dir/gfs2.img" >/dev/null
}

if [ $keep -eq 0 ] || [ ! -f "$work/initramfs.cpio.gz" ] || [ ! -f "$work/images/gfs2.img" ]; then
	make_images || die "runtime: making the disk images failed"
	make_initramfs "$work/initramfs.cpio.gz" "$REPO_ROOT/scripts/runtime/init.sh" \
		"$REPO_ROOT/scripts/runtime/failnth.c" || die "runtime: making the initramfs failed"
fi

# boot MODE KERNEL: run the guest, its console into $work/MODE.log.
boot() {
	local mode=$1 kernel=$2 drives=() img rc=0
	for img in "${images[@]}"; do
		drives+=(-drive "file=$work/images/$img.img,if=virtio,format=raw")
	done
	note "runtime: booting the $mode kernel"
	timeout "${RUNTIME_TIMEOUT:-1500}" qemu-system-x86_64 -nographic -no-reboot \
		-smp 2 -m 1024 -snapshot \
		-kernel "$kernel" -initrd "$work/initramfs.cpio.gz" \
		-append "console=ttyS0 acpi=off panic=-1 oops=panic kunit.filter_glob=runtime.none runtime.mode=$mode" \
		"${drives[@]}" \
		-object iothread,id=balloon-io \
		-device virtio-balloon-pci,free-page-hint=on,iothread=balloon-io \
		</dev/null >"$work/$mode.log" 2>&1 || rc=$?
	[ $rc -eq 0 ] || note "runtime: qemu ($mode) exited with $rc (124: timed out)"
}

boot base "$base_build/arch/x86/boot/bzImage"
boot patched "$patched_build/arch/x86/boot/bzImage"
python3 "$REPO_ROOT/scripts/lib/runtime_report.py" "$REPO_ROOT/scripts/runtime/expected-shrinkers" \
	"$work/base.log" "$work/patched.log"
