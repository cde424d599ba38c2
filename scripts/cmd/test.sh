#!/usr/bin/env bash
# Everything CI runs, from a fresh machine: ends with 'N passed, N failed'.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

usage() {
	cat <<'EOF'
usage: scripts/series test [--quick | --full]

The CI tier (what .ci/run runs; under an hour from an empty cache on 2
cores) runs, in order, and counts every result:
  setup                       base and apply (a failure here stops the
                              run; a stale pin does not)
  base pin                    the registry still serves the pinned
                              source (a stale pin is one failed check)
  drift                       the series applies, with no fuzz, to every
                              newer Debian 6.1 source the registry serves
  scripts/tests/registry.sh   set-up against a stubbed registry: pin
                              served, pin gone, another config only, a
                              newer source
  scripts/tests/pipeline.sh   the pipeline's own tests
  check                       checkpatch, per-patch compile, W=1, sparse
  docs                        Documentation/virt, mm and driver-api
                              render, no new warning
  b4                          b4 prep/send round trip, tree hash compared
  kunit all                   every KUnit suite in QEMU
  kunit all --debug           again under KASAN, kmemleak, lockdep,
                              PROVE_RCU and DEBUG_OBJECTS_RCU_HEAD
  e2e                         the patched kernel in QEMU with an IOMMU:
                              VFIO VmLck and KVM memcg charges as
                              userspace sees them
  kunit all, nokmem           the plain kernel booted again with
                              cgroup.memory=nokmem (no rebuild)
Ends with the sum of all counts: 'N passed, N failed'.

  --full   after the CI tier, also:
             runtime   base and patched kernels booted in QEMU:
                       shrinkers of real mounts compared, count and
                       scan driven, fault-injected mounts (builds the
                       base kernel)
             selftests the kernel's KVM selftests, vm_lifecycle_test
                       among them, in QEMU on the base and the patched
                       kernel, compared row by row
             the KUnit variants of configs/test-variants (one more
             kernel build each: the shrinker suite under KCSAN,
             with memcg and with CONFIG_MEMCG=n)
  --quick  only set-up, pipeline, check, docs, b4 and 'kunit all'
EOF
}

quick=0
full=0
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1 ;;
	--full) full=1 ;;
	-h|--help) usage; exit 0 ;;
	*) die "test: unknown argument '$1' (see --help)" ;;
	esac
	shift
done

series=$REPO_ROOT/scripts/series
total_passed=0
total_failed=0
total_skipped=0
logdir=$(mktemp -d)

# step NAME COMMAND...: run it, show its output, add its closing counts.
# A step that exits non-zero without counting a failure counts one.
step() {
	local name=$1 log counts p=0 f=0 k=0 rc start
	shift
	log=$logdir/step.log
	start=$(date +%s)
	echo "=== $name"
	set +e
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	set -e
	counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
	if [ -n "$counts" ]; then
		p=${counts%% passed*}
		f=${counts#*passed, }
		f=${f%% failed*}
		case "$counts" in *skipped*) k=${counts##*failed, }; k=${k%% skipped*} ;; esac
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	elif [ -z "$counts" ]; then
		p=1
	fi
	echo "=== $name: $p passed, $f failed, exit $rc ($(($(date +%s) - start))s)"
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	total_skipped=$((total_skipped + k))
}

[ $((quick + full)) -lt 2 ] || die "test: --quick and --full exclude each other"

# Set-up must work, or nothing after it means anything.  A pin that is
# gone from the registry is not a set-up failure: 'setup' takes a base
# the series applies to, and the pin's own check below fails.
if ! "$series" setup; then
	echo "0 passed, 1 failed"
	exit 1
fi

step "base pin: the registry serves $BASE_PACKAGE $BASE_VERSION" "$series" base --check-pin
step "drift: the series on newer $BASE_PACKAGE" "$series" drift

step "set-up against a stubbed registry" bash "$REPO_ROOT/scripts/tests/registry.sh"
step "pipeline error handling" bash "$REPO_ROOT/scripts/tests/pipeline.sh"
step "check" "$series" check
step "docs" "$series" docs
step "b4 round trip" "$series" b4
step "kunit all" "$series" kunit all
if [ $quick -eq 0 ]; then
	step "kunit all --debug" "$series" kunit --debug all
	step "e2e" "$series" e2e
	step "kunit all, cgroup.memory=nokmem" "$series" kunit \
		--kernel-args cgroup.memory=nokmem all
fi
if [ $full -eq 1 ]; then
	step "runtime proof" "$series" runtime
	step "selftests: base against patched" "$series" selftests
	while read -r variant suites; do
		case "$variant" in ''|'#'*) continue ;; esac
		read -r -a suites <<<"${suites:-all}"
		variant_args=()
		IFS=+ read -r -a names <<<"$variant"
		for name in "${names[@]}"; do variant_args+=(--variant "$name"); done
		step "kunit ${suites[*]} --variant $variant" \
			"$series" kunit "${variant_args[@]}" "${suites[@]}"
	done <"$REPO_ROOT/configs/test-variants"
fi

rm -rf "$logdir"
# Skipped cases are neither passed nor failed; say how many there were.
if [ $total_skipped -gt 0 ]; then
	echo "$total_passed passed, $total_failed failed, $total_skipped skipped"
else
	echo "$total_passed passed, $total_failed failed"
fi
[ $total_failed -eq 0 ]
