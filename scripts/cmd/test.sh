#!/usr/bin/env bash
# Everything CI runs, from a fresh machine: ends with 'N passed, N failed'.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

usage() {
	cat <<'EOF'
usage: scripts/series test [--quick]

Runs, in order, and counts every result:
  base, apply                 set-up (a failure here stops the run)
  scripts/tests/pipeline.sh   the pipeline's own tests
  check                       checkpatch, per-patch compile, W=1, sparse
  docs                        Documentation/virt and mm render, no new
                              warning
  b4                          b4 prep/send round trip, tree hash compared
  kunit all                   every KUnit suite in QEMU
  kunit all --debug           again under KASAN, kmemleak, lockdep,
                              PROVE_RCU and DEBUG_OBJECTS_RCU_HEAD
  runtime                     base and patched kernels booted in QEMU:
                              shrinkers of real mounts compared, count and
                              scan driven, fault-injected mounts
  e2e                         the patched kernel in QEMU with an IOMMU:
                              VFIO VmLck and KVM memcg charges as
                              userspace sees them
  kunit all, nokmem           the plain kernel booted again with
                              cgroup.memory=nokmem (no rebuild)
  kunit SUITE --variant ...   the variants listed in configs/test-variants
Ends with the sum of all counts: 'N passed, N failed'.

  --quick  skip the debug and variant KUnit runs, the runtime proof and
           the e2e checks
EOF
}

quick=0
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1 ;;
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

# Set-up must work, or nothing after it means anything.
if ! "$series" base || ! "$series" apply; then
	echo "0 passed, 1 failed"
	exit 1
fi

step "pipeline error handling" bash "$REPO_ROOT/scripts/tests/pipeline.sh"
step "check" "$series" check
step "docs" "$series" docs
step "b4 round trip" "$series" b4
step "kunit all" "$series" kunit all
if [ $quick -eq 0 ]; then
	step "kunit all --debug" "$series" kunit --debug all
	step "runtime proof" "$series" runtime
	step "e2e" "$series" e2e
	step "kunit all, cgroup.memory=nokmem" "$series" kunit \
		--kernel-args cgroup.memory=nokmem all
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
