#!/usr/bin/env bash
# Static checks of the series: checkpatch, per-patch compile, W=1 + sparse.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

usage() {
	cat <<EOF
usage: scripts/series check [--skip-build]

On the series as 'apply' left it in $TREE:
  - scripts/checkpatch.pl --strict on every patch: no error, no warning,
    no check, except the ones configs/checkpatch-exceptions justifies;
  - every patch compiles on its own: after each patch, the .c files it
    touches (and, for a header, the .c files the series touched so far;
    a KVM selftest with the selftests' Makefile and -Werror)
    are built with Debian's amd64 config plus configs/check.config;
  - no new W=1 or sparse warning in any .c file the series touches,
    against the same files at the base.
Prints one line per check and ends with 'N passed, N failed'.

  --skip-build  checkpatch only
EOF
}

skip_build=0
while [ $# -gt 0 ]; do
	case "$1" in
	--skip-build) skip_build=1 ;;
	-h|--help) usage; exit 0 ;;
	*) die "check: unknown argument '$1' (see --help)" ;;
	esac
	shift
done

need_tool perl make gcc ccache sparse xz
need_applied
[ -s "$CONFIG_FILE" ] || die "check: no Debian config at $CONFIG_FILE (run 'scripts/series base')"
note "check: the build starts from $CONFIG_PACKAGE $(cat "$DEBIAN_CONFIG_DIR/version" 2>/dev/null || echo "(version unknown)"), ${CONFIG_MEMBER##*/}"

passed=0
failed=0
result() { # result OK|FAIL WHAT [DETAIL-FILE]
	if [ "$1" = OK ]; then
		passed=$((passed + 1))
		echo "check: ok   $2"
	else
		failed=$((failed + 1))
		echo "check: FAIL $2"
		[ -z "${3:-}" ] || sed 's/^/    /' "$3" | head -n 40
	fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- checkpatch -------------------------------------------------------
exceptions_for() { # exceptions_for PATCH-BASENAME -> comma list of types
	local glob type
	while read -r glob type _; do
		case "$glob" in ''|'#'*) continue ;; esac
		# shellcheck disable=SC2254
		case "$1" in $glob) printf '%s,' "$type" ;; esac
	done <"$REPO_ROOT/configs/checkpatch-exceptions"
}

mapfile -t patches < <(series_patches)
[ ${#patches[@]} -gt 0 ] || die "check: no patches in patches/"
for p in "${patches[@]}"; do
	name=$(basename "$p")
	ignore=$(exceptions_for "$name")
	args=(--strict --quiet --no-summary --show-types)
	[ -z "$ignore" ] || args+=(--ignore "${ignore%,}")
	# checkpatch runs scripts/spdxcheck.py with 'python3' from PATH: use
	# Debian's, which has python3-ply, ahead of any other python3.
	if (cd "$TREE" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl "${args[@]}" "$p") \
		>"$tmp/cp" 2>&1; then
		result OK "checkpatch $name"
	else
		result FAIL "checkpatch $name" "$tmp/cp"
	fi
done

[ $skip_build -eq 0 ] || { echo "$passed passed, $failed failed"; [ $failed -eq 0 ]; exit; }

# --- the build tree: a worktree walked commit by commit ---------------
wt=$SERIES_CACHE/check-worktree
out=$BUILD_ROOT/check
if [ ! -e "$wt/.git" ]; then
	rm -rf "$wt"
	tree_git worktree prune
	tree_git worktree add -q --detach "$wt" "$BASE_TAG^{commit}"
fi
wt_git() { git -C "$wt" "$@"; }
wt_make() {
	make -C "$wt" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
}

mapfile -t commits < <(tree_git rev-list --reverse "$BASE_TAG..$SERIES_BRANCH")
[ ${#commits[@]} -eq ${#patches[@]} ] ||
	die "check: branch '$SERIES_BRANCH' has ${#commits[@]} commits but patches/ has ${#patches[@]}; run 'apply'"

# configure: Debian's config plus ours, for the worktree's commit.  Run
# again after every patch that touches a Kconfig file.
configure() {
	mkdir -p "$out"
	xz -dc "$CONFIG_FILE" >"$out/.config"
	cat "$REPO_ROOT/configs/check.config" >>"$out/.config"
	wt_make -s olddefconfig >/dev/null && wt_make -s prepare
}

# config_complete: every option of configs/check.config survived
# olddefconfig (one whose dependencies are not met is silently dropped).
config_complete() {
	local line missing=0
	while read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		grep -qxF "$line" "$out/.config" || { echo "not set: $line"; missing=1; }
	done <"$REPO_ROOT/configs/check.config"
	return $missing
}

# objects_for FILE...: the objects to build for these source files, in
# the worktree.  A .c file that another .c file of its directory
# #includes (a KUnit suite that needs static functions) is built through
# the file that includes it.  x86 builds virt/kvm/ as part of
# arch/x86/kvm/, by a relative path, which is the target make knows.
objects_for() {
	local f includer
	for f in "$@"; do
		case "$f" in tools/*) continue ;; *.c) ;; *) continue ;; esac
		includer=$(grep -lF "#include \"$(basename "$f")\"" \
			"$wt/$(dirname "$f")"/*.c 2>/dev/null | head -n 1 || true)
		[ -z "$includer" ] || f=${includer#"$wt"/}
		case "$f" in
		virt/kvm/*) echo "arch/x86/kvm/../../../${f%.c}.o" ;;
		*) echo "${f%.c}.o" ;;
		esac
	done
}

# kvm_selftests_for FILE...: the KVM selftests among these files, which
# are userspace programs: the selftests' own Makefile builds them, not
# kbuild.
kvm_selftests_for() {
	local f
	for f in "$@"; do
		case "$f" in
		tools/testing/selftests/kvm/*/*) ;;
		tools/testing/selftests/kvm/*.c) basename "$f" .c ;;
		esac
	done
}

# build_kvm_selftests NAME...: build them against the worktree's uapi
# headers, warnings as errors.
build_kvm_selftests() {
	local t
	wt_make -s headers_install INSTALL_HDR_PATH="$tmp/hdr" || return 1
	for t in "$@"; do
		make -s -C "$wt/tools/testing/selftests/kvm" OUTPUT="$tmp/kselftest" \
			KHDR_INCLUDES="-isystem $tmp/hdr/include" EXTRA_CFLAGS=-Werror \
			"$tmp/kselftest/$t" || return 1
	done
}

# --- every patch compiles on its own ----------------------------------
wt_git checkout -q --detach "$BASE_TAG^{commit}"
if ! configure >"$tmp/cfg" 2>&1; then
	result FAIL "configure Debian amd64 config + configs/check.config" "$tmp/cfg"
	echo "$passed passed, $failed failed"
	exit 1
fi
touched_so_far=()
i=0
for c in "${commits[@]}"; do
	i=$((i + 1))
	name=$(basename "${patches[$((i - 1))]}")
	wt_git checkout -q --detach "$c"
	mapfile -t files < <(tree_git diff --name-only --diff-filter=AM "$c~1" "$c")
	touched_so_far+=("${files[@]}")
	if printf '%s\n' "${files[@]}" | grep -q 'Kconfig'; then
		if ! configure >"$tmp/cfg" 2>&1; then
			result FAIL "configure after $name" "$tmp/cfg"
			continue
		fi
	fi
	targets=$(objects_for "${files[@]}")
	if printf '%s\n' "${files[@]}" | grep -q '\.h$'; then
		targets=$(objects_for "${touched_so_far[@]}")
	fi
	# A .c file deleted later in the series is not there to build.
	targets=$(for o in $targets; do [ -f "$wt/${o%.o}.c" ] && echo "$o"; done | sort -u)
	selftests=$(kvm_selftests_for "${files[@]}")
	if [ -n "$selftests" ]; then
		# shellcheck disable=SC2086
		if build_kvm_selftests $selftests >"$tmp/build" 2>&1; then
			result OK "compile $name: KVM selftests ${selftests//$'\n'/ }"
		else
			result FAIL "compile $name: KVM selftests" "$tmp/build"
		fi
	fi
	if [ -z "$targets" ]; then
		[ -n "$selftests" ] || result OK "compile $name (touches no C source)"
		continue
	fi
	# A single-target build compiles an object even when the config does
	# not select it: make sure it does, or the check proves nothing.
	# shellcheck disable=SC2086
	if ! python3 "$REPO_ROOT/scripts/lib/kbuild_enabled.py" "$wt" \
		"$out/include/config/auto.conf" $targets >"$tmp/enabled"; then
		grep -v '^yes\|^unknown' "$tmp/enabled" >"$tmp/build"
		result FAIL "compile $name: objects the check config does not build" "$tmp/build"
		continue
	fi
	# shellcheck disable=SC2086
	if wt_make -s $targets >"$tmp/build" 2>&1; then
		result OK "compile $name: $(echo $targets | wc -w) objects"
	else
		result FAIL "compile $name" "$tmp/build"
	fi
done
if config_complete >"$tmp/cfg"; then
	result OK "configs/check.config fully applied at the tip"
else
	result FAIL "configs/check.config not fully applied at the tip" "$tmp/cfg"
fi

# --- no new W=1 or sparse warnings --------------------------------------
mapfile -t sources < <(printf '%s\n' "${touched_so_far[@]}" | grep '\.c$' | grep -v '^tools/' | sort -u |
	while read -r f; do [ -f "$wt/$f" ] && echo "$f"; done)
# warnings_of OUTFILE OBJECT...: the W=1 and sparse warnings, at the
# worktree's commit, that are in a file the series touches, without line
# numbers so that moved code compares equal.
touched_files=$(printf '%s\n' "${touched_so_far[@]}" | sort -u)
warnings_of() {
	local list=$1
	shift
	[ $# -gt 0 ] || { : >"$list"; return 0; }
	wt_make -k W=1 C=2 "$@" 2>&1 | grep -E '(warning|error):' |
		sed -E "s|^$wt/||; s/:[0-9]+:[0-9]+:/:/; s/:[0-9]+:/:/" |
		grep -F -f <(sed 's/$/:/' <<<"$touched_files") | sort -u >"$list" || true
}
tip_objects=$(objects_for "${sources[@]}")
# shellcheck disable=SC2086
warnings_of "$tmp/w-tip" $tip_objects
wt_git checkout -q --detach "$BASE_TAG^{commit}"
base_objects=$(for o in $tip_objects; do [ -f "$wt/${o%.o}.c" ] && echo "$o"; done)
# shellcheck disable=SC2086
warnings_of "$tmp/w-base" $base_objects
wt_git checkout -q --detach "${commits[-1]}"
comm -13 "$tmp/w-base" "$tmp/w-tip" >"$tmp/w-new"
if [ -s "$tmp/w-new" ]; then
	result FAIL "W=1 + sparse: new warnings in touched files" "$tmp/w-new"
else
	result OK "W=1 + sparse: no new warnings in $(echo "$tip_objects" | wc -w) touched files"
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
