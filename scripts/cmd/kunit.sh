#!/usr/bin/env bash
# Run KUnit suites with kunit.py in QEMU (x86_64) on the applied tree.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

suites_available() {
	find "$REPO_ROOT/kunit" -maxdepth 1 -name '*.kunitconfig' -printf '%f\n' |
		sed 's/\.kunitconfig$//' | sort
}

variants_available() {
	find "$REPO_ROOT/configs/debug" -maxdepth 1 -name '*.config' -printf '%f\n' |
		sed 's/\.config$//' | sort
}

usage() {
	cat <<EOF
usage: scripts/series kunit [--debug] [--variant NAME]... [--kernel-args ARGS]
                            [--build-only] [SUITE...]

Runs 'tools/testing/kunit/kunit.py run --arch=x86_64' on the applied
tree with --kunitconfig from kunit/SUITE.kunitconfig (default: all).
Prints kunit.py's results, then one line per suite and a last line
'N passed, N failed'.  Exit status 1 if any case failed or an expected
suite did not run.

  --debug         add the debug fragments: $DEBUG_VARIANTS
  --variant NAME  add configs/debug/NAME.config (repeatable)
  --kernel-args ARGS
                  boot the same kernel with ARGS added to its command line
                  (kunit.py --kernel_args; no rebuild), e.g.
                  'cgroup.memory=nokmem' for the shrinker case that needs
                  kmem accounting off
  --build-only    only build the kernel ('kunit.py build'); print the
                  build directory on stdout

Suites:   $(suites_available | tr '\n' ' ')
Variants: $(variants_available | tr '\n' ' ')
EOF
}

DEBUG_VARIANTS="kasan kmemleak lockdep objects-rcu guest"
variants=()
suites=()
build_only=0
kernel_args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--debug) read -r -a dv <<<"$DEBUG_VARIANTS"; variants+=("${dv[@]}") ;;
	--variant) [ $# -ge 2 ] || die "kunit: --variant needs a name"
		variants+=("$2"); shift ;;
	--kernel-args) { [ $# -ge 2 ] && [ -n "$2" ]; } || die "kunit: --kernel-args needs a value"
		for arg in $2; do kernel_args+=("--kernel_args=$arg"); done
		shift ;;
	--build-only) build_only=1 ;;
	-h|--help) usage; exit 0 ;;
	-*) die "kunit: unknown option '$1' (see --help)" ;;
	*) suites+=("$1") ;;
	esac
	shift
done
[ ${#suites[@]} -gt 0 ] || suites=(all)

fragments=()
expected=()
for suite in "${suites[@]}"; do
	file=$REPO_ROOT/kunit/$suite.kunitconfig
	[ -f "$file" ] ||
		die "kunit: unknown suite '$suite' (known: $(suites_available | tr '\n' ' '))"
	fragments+=("$file")
	# Each file names the in-kernel suites it must run: '# kunit-suites: a b'.
	read -r -a names <<<"$(sed -n 's/^# kunit-suites: *//p' "$file")"
	expected+=("${names[@]}")
done
[ ${#expected[@]} -gt 0 ] || die "kunit: no '# kunit-suites:' line in ${suites[*]}"
key=default
if [ ${#variants[@]} -gt 0 ]; then
	mapfile -t variants < <(printf '%s\n' "${variants[@]}" | sort -u)
	key=$(IFS=-; echo "${variants[*]}")
fi
for variant in ${variants[@]+"${variants[@]}"}; do
	file=$REPO_ROOT/configs/debug/$variant.config
	[ -f "$file" ] ||
		die "kunit: unknown variant '$variant' (known: $(variants_available | tr '\n' ' '))"
	fragments+=("$file")
done

need_tool python3 qemu-system-x86_64 make gcc ccache
need_applied

build_dir=$BUILD_ROOT/kunit-$key
mkdir -p "$build_dir"
json=$build_dir/result.json
rm -f "$json"
# One kunitconfig made of all fragments; a later fragment's value for an
# option replaces an earlier one's (so --variant nomemcg can turn off
# what a suite turns on), where kunit.py would reject the conflict.
merged=$build_dir/merged.kunitconfig
awk '
	/^CONFIG_[A-Za-z0-9_]+=/ { key = $0; sub(/=.*/, "", key) }
	/^# CONFIG_[A-Za-z0-9_]+ is not set/ { key = $2 }
	key != "" { if (!(key in val)) order[n++] = key; val[key] = $0; key = "" }
	END { for (i = 0; i < n; i++) print val[order[i]] }
' "${fragments[@]}" >"$merged"
qemu_args=()
[ -f "$REPO_ROOT/kunit/qemu_x86_64.py" ] &&
	qemu_args=("--qemu_config=$REPO_ROOT/kunit/qemu_x86_64.py")

make_args=(--make_options="CC=ccache gcc" --make_options="HOSTCC=ccache gcc" --jobs="$JOBS")
if [ $build_only -eq 1 ]; then
	note "kunit: building suites ${suites[*]}, variant $key, in $build_dir"
	(cd "$TREE" && python3 tools/testing/kunit/kunit.py build --arch=x86_64 \
		--build_dir="$build_dir" --kunitconfig="$merged" \
		${qemu_args[@]+"${qemu_args[@]}"} "${make_args[@]}") >&2 ||
		die "kunit: the build of variant $key failed"
	echo "$build_dir"
	exit 0
fi
note "kunit: suites ${suites[*]}, variant $key, build in $build_dir"
status=0
(cd "$TREE" && python3 tools/testing/kunit/kunit.py run --arch=x86_64 \
	--build_dir="$build_dir" --kunitconfig="$merged" ${qemu_args[@]+"${qemu_args[@]}"} \
	"${make_args[@]}" ${kernel_args[@]+"${kernel_args[@]}"} \
	--timeout="${KUNIT_TIMEOUT:-900}" --json="$json") || status=$?
if [ ! -s "$json" ]; then
	note "kunit: kunit.py produced no result (exit $status): the build or boot failed"
	echo "0 passed, 1 failed"
	exit 1
fi
python3 "$REPO_ROOT/scripts/lib/kunit_summary.py" "$json" --log "$build_dir/test.log" \
	"${expected[@]}"
