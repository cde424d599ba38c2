# shellcheck shell=sh
# The start of every QEMU guest's /init (busybox sh), which sources it as
# /guest_setup.sh: busybox's applets on PATH, proc, sysfs, devtmpfs, and
# cgroup v2 with the memory controller on for child cgroups.
/bin/busybox mkdir -p /proc /sys /dev /tmp /bin
/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /sys/fs/cgroup
mount -t cgroup2 cgroup2 /sys/fs/cgroup
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
