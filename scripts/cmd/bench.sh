#!/usr/bin/env bash
# Benchmark: boot the base and the patched kernel in QEMU with the same
# settings, measure what the series is for, print both side by side.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/initramfs.sh"

usage() {
	cat <<'EOF'
usage: scripts/series bench [--samples N] [--ramfs-seconds N] [--memcgs N] [--drops N]

Builds two kernels with the same config (x86_64_defconfig plus
configs/bench.config, no debug options) and boots each once in QEMU
(TCG, -smp 2, 2 GiB) with a busybox initramfs running
scripts/bench/init.sh:
  base     the unpatched base tree ($SERIES_CACHE/build/bench-base)
  patched  the tip of branch 'series', checked out in a worktree of its
           own, $SERIES_CACHE/bench-worktree ($SERIES_CACHE/build/bench-patched)
Each guest measures, in this order:
  (a) register + free of a trivial shrinker while another shrinker's
      scan_objects() sleeps 100 ms and drop_caches walks the shrinkers
      in a loop: p50 and p99 of N pairs (module scripts/bench/, built
      with 'make M=' against each kernel; stops after 120 s)
  (b) stress-ng --ramfs 2 -t SECONDS: bogo ops/s (real time)
  (c) wall time of 'echo 2 > /proc/sys/vm/drop_caches' with N memory
      cgroups each holding a tmpfs file: the median of the runs after
      the first
Prints a table of base value, patched value and patched/base ratio, and
whether (a) meets its goal (patched p99 <= 1 ms, >= 100x better than
base).  Exit status 1 if a figure is missing or a kernel printed a bug
report.  Installs stress-ng with apt-get on first use.  Logs, initramfs
and the table: $SERIES_CACHE/build/bench/

  --samples N        register+free pairs timed in (a) (default 200)
  --ramfs-seconds N  how long stress-ng runs in (b) (default 30)
  --memcgs N         memory cgroups made for (c) (default 2000)
  --drops N          drop_caches runs timed in (c), after a first one
                     that frees what the set-up left (default 10)

Environment:
  BENCH_TIMEOUT  seconds each boot may take (default 1200)
  BENCH_LOCK     file flock'd around every kernel build and every boot,
                 so that no two builds run at once and no build runs
                 while a guest measures (default /tmp/kbuild.lock;
                 empty: no lock)
EOF
}

samples=200
ramfs=30
memcgs=2000
drops=10
while [ $# -gt 0 ]; do
	case "$1" in
	--samples|--ramfs-seconds|--memcgs|--drops)
		[ $# -ge 2 ] || die "bench: $1 needs a number"
		[[ $2 =~ ^[1-9][0-9]{0,5}$ ]] ||
			die "bench: $1 needs a whole number from 1 to 999999, not '$2'"
		case "$1" in
		--samples) samples=$2 ;;
		--ramfs-seconds) ramfs=$2 ;;
		--memcgs) memcgs=$2 ;;
		--drops) drops=$2 ;;
		esac
		shift ;;
	-h|--help) usage; exit 0 ;;
	*) die "bench: unknown argument '$1' (see --help)" ;;
	esac
	shift
done

BENCH_LOCK=${BENCH_LOCK-/tmp/kbuild.lock}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-1200}
[[ $BENCH_TIMEOUT =~ ^[1-9][0-9]*$ ]] ||
	die "bench: BENCH_TIMEOUT must be a number of seconds, not '$BENCH_TIMEOUT'"
need_tool qemu-system-x86_64 make gcc ccache cpio gzip busybox python3 timeout ldd
[ -z "$BENCH_LOCK" ] || need_tool flock
need_tree
start=$(date +%s)

# stress-ng is the benchmark's own tool: installed here on first use,
# not by 'base'.
if ! command -v stress-ng >/dev/null 2>&1; then
	apt_install stress-ng
	command -v stress-ng >/dev/null 2>&1 || die "bench: stress-ng is not on PATH after apt-get"
fi

work=$BUILD_ROOT/bench
mkdir -p "$work"

# locked COMMAND...: run it holding $BENCH_LOCK.
locked() {
	if [ -n "$BENCH_LOCK" ]; then flock "$BENCH_LOCK" "$@"; else "$@"; fi
}

# bench_make SRC OUT ARGS...: make in SRC with output in OUT, via ccache.
bench_make() {
	local src=$1 out=$2
	shift 2
	locked make -C "$src" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
}

# The trees.  The patched one is a worktree at the tip of 'series', not
# the tree itself, so that a rebase under way there is never half built;
# need_base_worktree checks out $BASE_TAG, here pointed at that tip.
patched_commit=$(tree_git rev-parse -q --verify "refs/heads/$SERIES_BRANCH^{commit}") ||
	die "bench: no branch '$SERIES_BRANCH' in $TREE (run 'scripts/series apply')"
[ "$patched_commit" != "$(tree_git rev-parse "$BASE_TAG^{commit}")" ] ||
	die "bench: branch '$SERIES_BRANCH' is the base itself (run 'scripts/series apply')"
base_tree=$SERIES_CACHE/base-worktree
patched_tree=$SERIES_CACHE/bench-worktree
need_base_worktree "$base_tree"
BASE_TAG=$patched_commit need_base_worktree "$patched_tree"
note "bench: patched = $SERIES_BRANCH at $(git -C "$patched_tree" log -1 --format='%h %s')"

fragment=$REPO_ROOT/configs/bench.config

# build NAME SRC: the kernel and the module of figure (a), into
# $BUILD_ROOT/bench-NAME and $work/module-NAME; logs in $work/NAME-build.log.
build() {
	local name=$1 src=$2 out=$BUILD_ROOT/bench-$1 mod=$work/module-$1 log=$work/$1-build.log
	local missing
	mkdir -p "$out"
	rm -rf "$mod"
	mkdir -p "$mod"
	cp "$REPO_ROOT/scripts/bench/Kbuild" "$REPO_ROOT/scripts/bench/bench_shrinker.c" "$mod/"
	note "bench: building the $name kernel in $out"
	{
		bench_make "$src" "$out" x86_64_defconfig &&
			cat "$fragment" >>"$out/.config" &&
			bench_make "$src" "$out" olddefconfig &&
			bench_make "$src" "$out" bzImage modules &&
			bench_make "$src" "$out" M="$mod" modules
	} >"$log" 2>&1 || die "bench: the $name kernel or module did not build (see $log)"
	missing=$(grep -E '^(CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set)' "$fragment" |
		grep -vxFf "$out/.config" | tr '\n' ' ' || true)
	[ -z "$missing" ] || die "bench: the $name .config did not take: $missing"
	[ -f "$mod/bench_shrinker.ko" ] || die "bench: no $mod/bench_shrinker.ko (see $log)"
}
build base "$base_tree"
build patched "$patched_tree"
config_diff=$(diff <(grep '^CONFIG_' "$BUILD_ROOT/bench-base/.config") \
	<(grep '^CONFIG_' "$BUILD_ROOT/bench-patched/.config") | grep '^[<>]' | tr '\n' ' ' || true)
[ -z "$config_diff" ] || note "bench: the configs differ (< base, > patched): $config_diff"

# The initramfs: busybox, init.sh and benchtool from make_initramfs, then
# appended archives (the kernel unpacks them in turn): stress-ng with its
# shared libraries, and the kernel's own module.
cpio_gz() { # cpio_gz DIR: DIR's contents as a gzip'd newc cpio on stdout
	(cd "$1" && find . | cpio -o -H newc --quiet | gzip -1)
}
make_initramfs "$work/initramfs-common.cpio.gz" "$REPO_ROOT/scripts/bench/init.sh" \
	"$REPO_ROOT/scripts/bench/benchtool.c" || die "bench: making the initramfs failed"
stress_ng=$(command -v stress-ng)
rm -rf "$work/stress-ng.d"
mkdir -p "$work/stress-ng.d/usr/bin"
cp "$stress_ng" "$work/stress-ng.d/usr/bin/"
for lib in $(ldd "$stress_ng" | grep -o '/[^ ]*'); do
	cp -L --parents "$lib" "$work/stress-ng.d/" || die "bench: cannot copy $lib"
done
cpio_gz "$work/stress-ng.d" >>"$work/initramfs-common.cpio.gz"

# boot NAME: the guest of kernel NAME, its console in $work/NAME.log.
boot() {
	local name=$1 rc=0
	rm -rf "$work/root-$name"
	mkdir -p "$work/root-$name/lib/modules"
	cp "$work/module-$name/bench_shrinker.ko" "$work/root-$name/lib/modules/"
	{ cat "$work/initramfs-common.cpio.gz"; cpio_gz "$work/root-$name"; } \
		>"$work/initramfs-$name.cpio.gz"
	note "bench: booting the $name kernel (at most ${BENCH_TIMEOUT}s)"
	locked timeout "$BENCH_TIMEOUT" qemu-system-x86_64 -accel tcg -nographic -no-reboot \
		-smp 2 -m 2048 \
		-kernel "$BUILD_ROOT/bench-$name/arch/x86/boot/bzImage" \
		-initrd "$work/initramfs-$name.cpio.gz" \
		-append "console=ttyS0 panic=-1 oops=panic bench.mode=$name bench.samples=$samples bench.ramfs=$ramfs bench.memcgs=$memcgs bench.drops=$drops" \
		</dev/null >"$work/$name.log" 2>&1 || rc=$?
	[ $rc -eq 0 ] || note "bench: qemu ($name) exited with $rc (124: timed out)"
}
boot base
boot patched

rc=0
python3 "$REPO_ROOT/scripts/bench/report.py" "$work/base.log" "$work/patched.log" |
	tee "$work/table.txt" || rc=$?
note "bench: $(($(date +%s) - start)) s; logs and table in $work"
exit $rc
