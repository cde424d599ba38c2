#!/bin/sh
# /init of the runtime-proof guest (busybox sh; 'set -u' only: a failing
# check must be reported, not end the run).  'runtime.mode=base' or
# 'runtime.mode=patched' on the kernel command line.
#
# Disks, in -drive order: vda ext4, vdb xfs, vdc erofs, vdd f2fs,
# vde gfs2 (lock_nolock).  Every result is a line starting with '@@ ' on
# the console, which the host (scripts/lib/runtime_report.py) parses:
#   @@ list STAGE NAME      one per /sys/kernel/debug/shrinker entry
#   @@ ok WHAT | @@ FAIL WHAT
#   @@ count NAME N         objects a shrinker reported
#   @@ done                 the script reached its end
set -u
/bin/busybox mkdir -p /proc /sys /dev /tmp /bin /mnt
/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t devtmpfs devtmpfs /dev 2>/dev/null

mode=$(sed -n 's/.*runtime\.mode=\([a-z]*\).*/\1/p' /proc/cmdline)
shrinkers=/sys/kernel/debug/shrinker
kmemleak=/sys/kernel/debug/kmemleak

ok() { echo "@@ ok $*"; }
fail() { echo "@@ FAIL $*"; }

# check WHAT COMMAND...: run it and report it.
check() {
	what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

list_shrinkers() {
	for dir in "$shrinkers"/*; do
		echo "@@ list $1 ${dir##*/}"
	done
}

# Scan twice so that a leaked object seen once as referenced from a
# stale stack slot is still found, after the 5 s kmemleak waits before
# it reports an object.
kmemleak_check() {
	sleep 6
	echo scan >"$kmemleak"
	echo scan >"$kmemleak"
	leaks=$(cat "$kmemleak")
	if [ -z "$leaks" ]; then
		ok "kmemleak: no leak $1"
	else
		fail "kmemleak: leaks $1"
		echo "$leaks" | head -n 60
		echo clear >"$kmemleak"
	fi
}

# Read every shrinker's count; scan those that have objects, through the
# cgroup the count came from.
count_and_scan() {
	for dir in "$shrinkers"/*; do
		name=${dir##*/}
		if ! counts=$(cat "$dir/count"); then
			fail "count $name"
			continue
		fi
		total=$(echo "$counts" | awk '{ for (i = 2; i <= NF; i++) s += $i } END { print s + 0 }')
		echo "@@ count $name $total"
		[ "$total" -gt 0 ] || continue
		ino=$(echo "$counts" | awk 'NR == 1 { print $1 }')
		check "scan $name" sh -c "echo '$ino 0 64' >'$dir/scan'"
	done
}

echo "@@ mode $mode"
echo "@@ kernel $(uname -r)"
list_shrinkers boot
# Whatever boot left for kmemleak is not this script's doing: report it
# to the host and start from a clean slate.
echo scan >"$kmemleak"
if [ -s "$kmemleak" ]; then
	echo "@@ boot-kmemleak $(grep -c '^unreferenced object' "$kmemleak")"
	head -n 60 "$kmemleak"
	echo clear >"$kmemleak"
fi

mkdir -p /mnt/tmpfs /mnt/ext4 /mnt/xfs /mnt/erofs /mnt/f2fs /mnt/gfs2
check "mount tmpfs" mount -t tmpfs tmpfs /mnt/tmpfs
check "mount ext4" mount -t ext4 /dev/vda /mnt/ext4
check "mount xfs (uquota)" mount -t xfs -o uquota /dev/vdb /mnt/xfs
check "mount erofs" mount -t erofs -o ro /dev/vdc /mnt/erofs
check "mount f2fs" mount -t f2fs /dev/vdd /mnt/f2fs
check "mount gfs2 (lock_nolock)" mount -t gfs2 /dev/vde /mnt/gfs2
check "zram: set disksize" sh -c 'echo 32M >/sys/block/zram0/disksize'

# Give the shrinkers something to count: files, inodes, dentries, buffers.
for fs in tmpfs ext4 xfs f2fs gfs2; do
	check "write files on $fs" sh -c "
		mkdir -p /mnt/$fs/d && for i in \$(seq 1 50); do
			echo \$i >/mnt/$fs/d/f\$i || exit 1
		done && sync"
done
check "read erofs" sh -c 'find /mnt/erofs -type f -exec cat {} + >/dev/null'
check "write zram" dd if=/bin/busybox of=/dev/zram0 bs=64k count=16 2>/dev/null
ls -lR /mnt >/dev/null
list_shrinkers mounted

count_and_scan
check "drop_caches 2" sh -c 'echo 2 >/proc/sys/vm/drop_caches'
check "drop_caches 3" sh -c 'echo 3 >/proc/sys/vm/drop_caches'
count_and_scan >/dev/null

for fs in gfs2 f2fs erofs xfs ext4 tmpfs; do
	check "umount $fs" umount /mnt/$fs
done
check "zram: reset" sh -c 'echo 1 >/sys/block/zram0/reset'
list_shrinkers unmounted
kmemleak_check "after mount, scan and unmount"

if [ "$mode" = patched ]; then
	attr=/sys/kernel/debug/fail_shrinker_alloc
	# fail_shrinker_alloc is the only fault attribute in this kernel, so
	# /proc/self/fail-nth counts shrinker_alloc() steps and nothing else.
	echo 0 >"$attr/verbose"
	list_shrinkers before-injection
	/bin/failnth tmpfs mount tmpfs /mnt/tmpfs tmpfs
	/bin/failnth ext4 mount /dev/vda /mnt/ext4 ext4
	# XFS mounts without quotas when it cannot set them up, and zsmalloc
	# runs a pool without its shrinker: both on purpose.
	/bin/failnth "xfs (uquota)" --optional xfs-qm:vdb \
		mount /dev/vdb /mnt/xfs xfs uquota
	/bin/failnth erofs mount /dev/vdc /mnt/erofs erofs
	/bin/failnth f2fs mount /dev/vdd /mnt/f2fs f2fs
	/bin/failnth "gfs2 (lock_nolock)" mount /dev/vde /mnt/gfs2 gfs2
	/bin/failnth "zram disksize" --optional mm-zspool:zram0 \
		write /sys/block/zram0/disksize 32M \
		/sys/block/zram0/reset 1
	balloon=
	for dev in /sys/bus/virtio/drivers/virtio_balloon/virtio*; do
		[ -e "$dev" ] && balloon=${dev##*/}
	done
	if [ -n "$balloon" ] &&
		echo "$balloon" >/sys/bus/virtio/drivers/virtio_balloon/unbind; then
		/bin/failnth "virtio_balloon probe" write \
			/sys/bus/virtio/drivers/virtio_balloon/bind "$balloon" \
			/sys/bus/virtio/drivers/virtio_balloon/unbind "$balloon"
		check "virtio_balloon: rebind" sh -c \
			"echo $balloon >/sys/bus/virtio/drivers/virtio_balloon/bind"
	else
		fail "virtio_balloon: no bound device to unbind"
	fi
	list_shrinkers after-injection
	kmemleak_check "after fault injection"
fi

echo "@@ done"
sync
reboot -f
