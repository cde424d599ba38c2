#!/usr/bin/env bash
# The kernel's own selftests, built from the patched tree, run in a QEMU
# guest on the base kernel and on the patched kernel, and compared.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/base_kernel.sh"

usage() {
	cat <<'EOF2'
usage: scripts/series selftests [--suite NAME]... [--test NAME]...
                                [--kernel base|patched]

Builds the kernel's selftests (tools/testing/selftests) from the patched
tree as static binaries and runs them in a QEMU guest on the base kernel
and on the patched kernel.  The guest is a q35 machine with an AMD CPU
(-cpu EPYC: KVM runs nested on TCG's SVM), 2 vCPUs and 2 GiB.  Both
kernels have the --debug KUnit config (KASAN, kmemleak, lockdep,
PROVE_RCU) plus configs/debug/selftests.config (networking, failslab),
and differ only in the series; the base one is built the way 'runtime'
builds it, into a build directory of its own.

Suites, and what each runs (configs/selftests/NAME.list: 'run TEST
TIMEOUT [REASON]' or 'skip TEST REASON'):
  kvm   tools/testing/selftests/kvm: the x86 tests that finish under
        nested SVM in TCG, vm_lifecycle_test among them

Prints one row per test, and per case of a test that prints TAP: name,
base result, patched result, and why a test does not pass on both.  A
test that passes on base and fails on patched fails the command, and so
does a failure on patched that its list does not explain, and a kernel
report (KASAN, lockdep, ...) on patched that base has not.  Ends with
'N passed, N failed, N skipped'.  Logs: $SERIES_CACHE/build/selftests/KERNEL.log

  --suite NAME  run this suite only (repeatable; default: every suite)
  --test NAME   run only this test of the suites, e.g. vm_lifecycle_test
                or x86_64/cpuid_test (repeatable)
  --kernel K    boot only the base or only the patched kernel
EOF2
}

suites=()
tests=()
kernels=(base patched)
while [ $# -gt 0 ]; do
	case "$1" in
	--suite)
		[ $# -ge 2 ] || die "selftests: --suite needs a name"
		[ -f "$REPO_ROOT/configs/selftests/$2.list" ] ||
			die "selftests: unknown suite '$2' (see --help)"
		suites+=("$2")
		shift
		;;
	--test)
		[ $# -ge 2 ] || die "selftests: --test needs a name"
		tests+=("$2")
		shift
		;;
	--kernel)
		[ $# -ge 2 ] || die "selftests: --kernel needs base or patched"
		case "$2" in base|patched) kernels=("$2") ;;
		*) die "selftests: unknown kernel '$2' (base or patched)" ;;
		esac
		shift
		;;
	-h|--help) usage; exit 0 ;;
	*) die "selftests: unknown argument '$1' (see --help)" ;;
	esac
	shift
done
if [ ${#suites[@]} -eq 0 ]; then
	for list in "$REPO_ROOT"/configs/selftests/*.list; do
		suites+=("$(basename "$list" .list)")
	done
fi

# wanted TEST: no --test was given, or this is one of them.
wanted() {
	local t
	[ ${#tests[@]} -gt 0 ] || return 0
	for t in "${tests[@]}"; do [ "$t" = "$1" ] && return 0; done
	return 1
}
for t in "${tests[@]}"; do
	for suite in "${suites[@]}"; do
		grep -q -E "^(run|skip) $t( |\$)" "$REPO_ROOT/configs/selftests/$suite.list" && continue 2
	done
	die "selftests: no test '$t' in the suites' lists (configs/selftests/*.list)"
done

need_tool qemu-system-x86_64 gcc make cpio gzip busybox python3 timeout
need_applied

work=$BUILD_ROOT/selftests
root=$work/initramfs.d
mkdir -p "$work"

# The --debug KUnit kernel plus configs/debug/selftests.config, in a
# build directory of its own: the CI tier's --debug kernel stays as small
# as it was.
patched_build=$("$REPO_ROOT/scripts/series" kunit --debug --variant selftests \
	--build-only all | tail -n 1)
[ -f "$patched_build/arch/x86/boot/bzImage" ] ||
	die "selftests: no patched kernel in $patched_build"
base_build=$BUILD_ROOT/selftests-base
case " ${kernels[*]} " in
*" base "*) build_base_kernel "$patched_build" "$base_build" "$work/base-build.log" ;;
esac

# The uapi headers of the patched tree, which the selftests build with.
note "selftests: building the selftests"
make -C "$TREE" O="$work/headers-obj" ARCH=x86_64 headers_install \
	INSTALL_HDR_PATH="$work/usr" >"$work/build.log" 2>&1 ||
	die "selftests: headers_install failed (see $work/build.log)"

rm -rf "$root"
mkdir -p "$root/bin" "$root/selftests"
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
list=$work/list
: >"$list"
for suite in "${suites[@]}"; do
	# -k: a test that does not build on 6.1 is 'skip' in the list, with
	# the reason; each 'run' test must have built (checked below).
	make -k -C "$TREE/tools/testing/selftests/$suite" OUTPUT="$work/$suite" \
		KHDR_INCLUDES="-isystem $work/usr/include" EXTRA_CFLAGS=-static \
		-j"$JOBS" >>"$work/build.log" 2>&1 ||
		note "selftests: some $suite selftests did not build (see $work/build.log)"
	while read -r what test rest; do
		case "$what" in run|skip) wanted "$test" || continue ;; *) continue ;; esac
		echo "$what $suite/$test $rest"
	done <"$REPO_ROOT/configs/selftests/$suite.list" >>"$list"
	while read -r what test _; do
		[ "$what" = run ] || continue
		wanted "$test" || continue
		bin=$work/$suite/$test
		[ -x "$bin" ] || die "selftests: $suite/$test is listed but was not built"
		mkdir -p "$root/selftests/$suite/$(dirname "$test")"
		cp "$bin" "$root/selftests/$suite/$test"
	done <"$REPO_ROOT/configs/selftests/$suite.list"
done
awk '$1 == "run" { print $2, $3 }' "$list" >"$root/selftests/list"
install -m 0755 "$REPO_ROOT/scripts/selftests/init.sh" "$root/init"
install -m 0644 "$REPO_ROOT/scripts/lib/guest_setup.sh" "$root/guest_setup.sh"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initramfs.cpio.gz"

# boot KERNEL: run the guest, its console into $work/KERNEL.log.
boot() {
	local kernel=$1 image rc=0
	case "$kernel" in
	base) image=$base_build/arch/x86/boot/bzImage ;;
	patched) image=$patched_build/arch/x86/boot/bzImage ;;
	esac
	note "selftests: booting the $kernel kernel"
	timeout "${SELFTESTS_TIMEOUT:-3600}" qemu-system-x86_64 -nographic -no-reboot \
		-machine q35 -cpu EPYC -smp 2 -m 2048 \
		-kernel "$image" -initrd "$work/initramfs.cpio.gz" \
		-append "console=ttyS0 tsc_early_khz=2000000 panic=-1 oops=panic kunit.filter_glob=selftests.none" \
		</dev/null >"$work/$kernel.log" 2>&1 || rc=$?
	[ $rc -eq 0 ] || note "selftests: qemu ($kernel) exited with $rc (124: timed out)"
}

logs=(- -)
for kernel in "${kernels[@]}"; do
	boot "$kernel"
	case "$kernel" in
	base) logs[0]=$work/base.log ;;
	patched) logs[1]=$work/patched.log ;;
	esac
done
python3 "$REPO_ROOT/scripts/lib/selftests_report.py" "$list" "${logs[@]}"
