#!/bin/sh
# /init of the end-to-end guest (busybox sh; 'set -u' only: a failing
# check must be reported, not end the run).  The guest has an Intel
# IOMMU, or an AMD one with e2e.iommu=amd on the command line, an e1000e
# that no driver claims, and an AMD CPU with SVM.
#
# Every result goes to the console as a TAP-style line, which the host
# (scripts/cmd/e2e.sh) counts: 'ok N - name' or 'not ok N - name', then
# '@@ exit PROGRAM STATUS' for each program and '@@ done' at the end.
set -u
. /guest_setup.sh

# run PROGRAM ARGS...: run it and report how it exited.
run() {
	"$@"
	echo "@@ exit ${1##*/} $?"
}

# The e1000e (8086:10d3), handed to vfio-pci.
bdf=
for dev in /sys/bus/pci/devices/*; do
	if [ "$(cat "$dev/vendor"):$(cat "$dev/device")" = 0x8086:0x10d3 ]; then
		bdf=${dev##*/}
	fi
done
case " $(cat /proc/cmdline) " in
*" e2e.iommu=amd "*) iommu=amd ;;
*) iommu=intel ;;
esac

if [ -n "$bdf" ] && [ -e "/sys/bus/pci/devices/$bdf/iommu_group" ]; then
	group=$(readlink "/sys/bus/pci/devices/$bdf/iommu_group")
	echo vfio-pci >"/sys/bus/pci/devices/$bdf/driver_override"
	echo "$bdf" >/sys/bus/pci/drivers_probe
	if [ $iommu = amd ]; then
		# An AMD IOMMU's aperture, unlike QEMU's Intel one, reaches 2^64.
		run /bin/vfio_iova_top "${group##*/}"
	else
		# 4096 pages (16 MiB) of RLIMIT_MEMLOCK, 20 rounds of
		# kill-while-unmapping.
		run /bin/vfio_memlock "${group##*/}" 4096 20
		run /bin/kvm_vfio_group "${group##*/}"
	fi
else
	echo "@@ no e1000e behind an IOMMU (device '$bdf')"
fi

[ $iommu = amd ] || run /bin/kvm_memcg /sys/fs/cgroup

echo "@@ done"
poweroff -f
