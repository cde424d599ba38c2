#!/usr/bin/env bash
# End-to-end checks of user-visible behaviour in a QEMU guest: VFIO
# type1 locked-memory accounting and KVM's memory cgroup charges.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/initramfs.sh"

usage() {
	cat <<'EOF'
usage: scripts/series e2e [--base]

Boots the --debug KUnit kernel (KASAN, kmemleak, lockdep) in QEMU on a
q35 machine with an Intel IOMMU, an e1000e that no driver claims and an
AMD CPU (SVM, for KVM), with a busybox initramfs running
scripts/e2e/init.sh.  The guest binds the e1000e to vfio-pci and runs
  vfio_memlock  type1 mappings under a lowered RLIMIT_MEMLOCK: VmLck
                rises by the mapped size, a map over the limit fails
                with ENOMEM, unmap restores VmLck, and a forked child
                killed while it unmaps leaves the owner's VmLck correct
  kvm_vfio_group  the kvm-vfio device holds an added VFIO group file
                until KVM_DEV_VFIO_GROUP_DEL or until it is freed
                (devices/vfio.rst)
  kvm_memcg     a VM's memory cgroup charges outlive its creator and
                go when the VM is destroyed (api.rst section 2)
Then boots it again with an AMD IOMMU instead, whose aperture reaches
2^64, and runs
  vfio_iova_top a mapping that ends at 2^64: unmap and closing the
                container both unpin it and give VmLck back
Ends with 'N passed, N failed' over both boots; every kernel report in
a log (KASAN, lockdep, ...) counts as a failure.  Logs:
$SERIES_CACHE/build/e2e/MODE.log and MODE-amd-iommu.log

  --base  boot the base kernel that 'scripts/series runtime' built
          instead (same .config, none of the series' fixes); for
          showing what the fixes change, not part of the test command
EOF
}

mode=patched
while [ $# -gt 0 ]; do
	case "$1" in
	--base) mode=base ;;
	-h|--help) usage; exit 0 ;;
	*) die "e2e: unknown argument '$1' (see --help)" ;;
	esac
	shift
done

need_tool qemu-system-x86_64 gcc cpio gzip busybox python3 timeout
need_applied

work=$BUILD_ROOT/e2e
mkdir -p "$work"
if [ "$mode" = base ]; then
	kernel=$BUILD_ROOT/runtime-base/arch/x86/boot/bzImage
	[ -f "$kernel" ] || die "e2e: no base kernel at $kernel (run 'scripts/series runtime' first)"
else
	build=$("$REPO_ROOT/scripts/series" kunit --debug --build-only all | tail -n 1)
	kernel=$build/arch/x86/boot/bzImage
	[ -f "$kernel" ] || die "e2e: no patched kernel in $build"
fi

make_initramfs "$work/initramfs.cpio.gz" "$REPO_ROOT/scripts/e2e/init.sh" \
	"$REPO_ROOT/scripts/e2e/vfio_memlock.c" "$REPO_ROOT/scripts/e2e/kvm_vfio_group.c" \
	"$REPO_ROOT/scripts/e2e/kvm_memcg.c" "$REPO_ROOT/scripts/e2e/vfio_iova_top.c" ||
	die "e2e: making the initramfs failed"

# boot LOG IOMMU-DEVICE EXTRA-ARGS: boot the guest and log its console.
boot() {
	local log=$1 iommu=$2 args=$3 rc=0
	note "e2e: booting the $mode kernel ($iommu)"
	timeout "${E2E_TIMEOUT:-900}" qemu-system-x86_64 -nographic -no-reboot \
		-machine q35 -cpu EPYC -smp 2 -m 1024 \
		-device "$iommu" \
		-device e1000e,netdev=net0 -netdev user,id=net0 \
		-kernel "$kernel" -initrd "$work/initramfs.cpio.gz" \
		-append "console=ttyS0 $args tsc_early_khz=2000000 panic=-1 oops=panic kunit.filter_glob=e2e.none" \
		</dev/null >"$log" 2>&1 || rc=$?
	[ $rc -eq 0 ] || note "e2e: qemu exited with $rc (124: timed out)"
}

# QEMU's intel-iommu remaps interrupts only with a split irqchip and an
# x2APIC guest; the checks here need DMA mappings, not interrupts, so let
# type1 attach without remapping.
unsafe_irqs=vfio_iommu_type1.allow_unsafe_interrupts=1
boot "$work/$mode.log" intel-iommu,caching-mode=on "intel_iommu=on $unsafe_irqs"
boot "$work/$mode-amd-iommu.log" amd-iommu "e2e.iommu=amd $unsafe_irqs"

# report LOG PROGRAM...: the counts of one boot, on stdout.
totals=$work/$mode.totals
: >"$totals"
report() {
	python3 "$REPO_ROOT/scripts/lib/e2e_report.py" "$@" | tee -a "$totals"
}
report "$work/$mode.log" vfio_memlock kvm_vfio_group kvm_memcg || true
report "$work/$mode-amd-iommu.log" vfio_iova_top || true
awk '/^[0-9]+ passed, [0-9]+ failed$/ { p += $1; f += $3 }
	END { print p " passed, " f " failed"; exit (f > 0) }' "$totals"
