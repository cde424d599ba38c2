#!/bin/sh
# /init of the benchmark guest (scripts/series bench; busybox sh, 'set -u'
# only: a figure that fails is reported, the next one still runs).
# Parameters on the kernel command line: bench.mode=base|patched,
# bench.samples=N, bench.ramfs=SECONDS, bench.memcgs=N, bench.drops=N.
# Results are console lines starting with '@@ ', which the host
# (scripts/bench/report.py) parses:
#   @@ a bench_shrinker: api=.. samples=.. p50=.. p99=.. ...  figure (a)
#   @@ a bench_shrinker: ns V...                              its samples
#   @@ b yaml LINE                      figure (b): stress-ng's YAML
#   @@ c first_ms T                     figure (c): the first drop
#   @@ c drop_ms T...                   figure (c): the next ones
#   @@ FAIL WHAT                        a figure could not be measured
#   @@ done                             the script reached its end
set -u
/bin/busybox mkdir -p /proc /sys /dev /tmp /mnt
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
# Kernel messages below KERN_WARNING off the console: they would break
# into the result lines (drop_caches logs each write at KERN_INFO).
dmesg -n 5

param() { # param NAME DEFAULT: bench.NAME= from the command line
	v=$(sed -n "s/.*bench\\.$1=\\([^ ]*\\).*/\\1/p" /proc/cmdline)
	echo "${v:-$2}"
}
mode=$(param mode unknown)
samples=$(param samples 200)
ramfs=$(param ramfs 30)
memcgs=$(param memcgs 2000)
drops=$(param drops 10)
fail() { echo "@@ FAIL $*"; }

echo "@@ mode $mode"
echo "@@ kernel $(uname -r)"

# (a) Shrinker register+free latency while the sleeper's scan_objects()
# sleeps: drop_caches makes drop_slab() walk the shrinkers in a loop.
echo "@@ figure a"
(while :; do echo 2 >/proc/sys/vm/drop_caches; done) &
walker=$!
if insmod /lib/modules/bench_shrinker.ko "samples=$samples"; then
	dmesg | grep -o 'bench_shrinker: .*' | sed 's/^/@@ a /'
else
	fail "a: insmod bench_shrinker.ko"
fi
kill "$walker"
wait "$walker" 2>/dev/null
rmmod bench_shrinker 2>/dev/null

# (b) stress-ng's ramfs stressor: mount, fill, unmount ramfs and tmpfs;
# every mount registers a superblock shrinker, every unmount frees it.
echo "@@ figure b"
if timeout $((ramfs + 120)) stress-ng --ramfs 2 -t "$ramfs" --metrics-brief \
	--temp-path /tmp --yaml /tmp/ramfs.yaml; then
	sed 's/^/@@ b yaml /' /tmp/ramfs.yaml
else
	fail "b: stress-ng --ramfs"
fi

# (c) drop_caches with $memcgs memory cgroups, each charged with a tmpfs
# file (its page, inode and dentry).
echo "@@ figure c"
mkdir -p /sys/fs/cgroup /mnt/files
if mount -t cgroup2 none /sys/fs/cgroup &&
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control &&
	mount -t tmpfs tmpfs /mnt/files &&
	timeout 900 benchtool memcgs "$memcgs" /sys/fs/cgroup /mnt/files; then
	echo "@@ c memcgs $(find /sys/fs/cgroup -maxdepth 1 -name 'bench-*' | wc -l)"
	timeout 900 benchtool drop "$drops" || fail "c: drop_caches"
else
	fail "c: setting up $memcgs memory cgroups"
fi

echo "@@ done"
reboot -f
