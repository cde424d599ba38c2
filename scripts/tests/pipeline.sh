#!/usr/bin/env bash
# The pipeline's own tests: its answers to bad input (one clear line, a
# non-zero exit, no half-done work left behind), and the consistency of
# the files it reads.  Needs the tree 'apply' made.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

case "${1:-}" in
-h|--help)
	echo "usage: scripts/tests/pipeline.sh   (after 'scripts/series apply')"
	exit 0 ;;
esac

series=$REPO_ROOT/scripts/series
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$REPO_ROOT/scripts/tests/expect.sh"

expect_error "unknown command" "unknown command 'frobnicate'" "$series" frobnicate
expect_error "unknown suite" "unknown suite 'no-such-suite'" "$series" kunit no-such-suite
expect_error "unknown variant" "unknown variant 'no-such-variant'" \
	"$series" kunit --variant no-such-variant all
expect_error "kernel args without a value" "kernel-args needs a value" \
	"$series" kunit --kernel-args
expect_error "unknown option" "unknown argument '--bogus'" "$series" check --bogus
expect_error "runtime: unknown option" "unknown argument '--bogus'" "$series" runtime --bogus
expect_error "e2e: unknown option" "unknown argument '--bogus'" "$series" e2e --bogus
expect_error "bench: unknown option" "unknown argument '--bogus'" "$series" bench --bogus
expect_error "bench: bad number" "samples needs a whole number" "$series" bench --samples 0
expect_true "bench: --help exits 0" bash -c '"$@" >/dev/null' _ "$series" bench --help
expect_error "base: unknown option" "unknown argument '--bogus'" "$series" base --bogus
expect_error "base: --version without a version" "version needs a version" "$series" base --version
expect_error "setup: unknown option" "unknown argument '--bogus'" "$series" setup --bogus
expect_error "drift: unknown option" "unknown argument '--bogus'" "$series" drift --bogus
expect_error "test: --quick with --full" "exclude each other" "$series" test --quick --full
expect_error "docs: unknown option" "unknown option '--bogus'" "$series" docs --bogus
expect_error "docs: unknown directory" "no Documentation/no-such-dir" "$series" docs no-such-dir
expect_error "selftests: unknown option" "unknown argument '--bogus'" "$series" selftests --bogus
expect_error "selftests: unknown suite" "unknown suite 'no-such-suite'" \
	"$series" selftests --suite no-such-suite
expect_error "selftests: unknown test" "no test 'no_such_test'" \
	"$series" selftests --test no_such_test
expect_error "selftests: unknown kernel" "unknown kernel 'both'" "$series" selftests --kernel both
expect_true "selftests: --help exits 0" bash -c '"$@" >/dev/null' _ "$series" selftests --help

# A tool that is not installed: hide qemu from PATH.
mkdir "$tmp/bin"
for dir in ${PATH//:/ }; do
	[ -d "$dir" ] || continue
	for tool in "$dir"/*; do
		name=$(basename "$tool")
		case "$name" in qemu-system-x86_64) continue ;; esac
		[ -e "$tmp/bin/$name" ] || ln -s "$tool" "$tmp/bin/$name" 2>/dev/null || true
	done
done
expect_error "missing tool" "missing tool: qemu-system-x86_64" \
	env PATH="$tmp/bin" "$series" kunit all

# A patch that does not apply: the series plus one whose context is wrong.
before=$(tree_git rev-parse "refs/heads/$SERIES_BRANCH")
mkdir "$tmp/patches"
cp "$REPO_ROOT"/patches/[0-9][0-9][0-9][0-9]-*.patch "$tmp/patches/"
cat >"$tmp/patches/9999-broken.patch" <<'EOF'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: Test <test@example.org>
Date: Thu, 1 Jan 2026 00:00:00 +0000
Subject: [PATCH] broken: a patch whose context is not in the tree

---
 mm/vmscan.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/mm/vmscan.c b/mm/vmscan.c
--- a/mm/vmscan.c
+++ b/mm/vmscan.c
@@ -1,3 +1,3 @@
-this line is not in vmscan.c
+nor is this one
 and neither is this
 or this
-- 
EOF
expect_error "patch that does not apply" "9999-broken.patch .*does not apply: mm/vmscan.c" \
	"$series" apply --patches "$tmp/patches"
expect_true "failed apply left the series branch as it was" \
	test "$(tree_git rev-parse "refs/heads/$SERIES_BRANCH")" = "$before"
expect_true "failed apply left HEAD on the series branch" \
	test "$(tree_git symbolic-ref -q --short HEAD)" = "$SERIES_BRANCH"
expect_true "failed apply left no git am in progress" \
	test ! -d "$TREE/.git/rebase-apply"
expect_true "failed apply left a clean tree" \
	test -z "$(tree_git status --porcelain --untracked-files=no)"

# kunit/all.kunitconfig must run every suite with every suite's options.
all=$REPO_ROOT/kunit/all.kunitconfig
for f in "$REPO_ROOT"/kunit/*.kunitconfig; do
	[ "$f" != "$all" ] || continue
	suite=$(basename "$f" .kunitconfig)
	missing=$(grep -h '^CONFIG_' "$f" | grep -vxFf <(grep '^CONFIG_' "$all") || true)
	names=$(sed -n 's/^# kunit-suites: *//p' "$f")
	expect_true "all.kunitconfig has every option of $suite" test -z "$missing"
	for n in $names; do
		expect_true "all.kunitconfig runs suite $n" \
			grep -qE "^# kunit-suites:.*\\b$n\\b" "$all"
	done
	# A user with only the patches runs the suite with the in-tree
	# .kunitconfig the series adds: it must ask for the same options.
	intree=$(sed -n 's/^# in-tree: *//p' "$f")
	expect_true "kunit/$suite.kunitconfig names its in-tree .kunitconfig" test -n "$intree"
	[ -n "$intree" ] || continue
	expect_true "$intree has the options of kunit/$suite.kunitconfig" \
		cmp -s <(grep '^CONFIG_' "$f" | sort) <(grep '^CONFIG_' "$TREE/$intree" 2>/dev/null | sort)
done

# Every variant the test command runs names a config fragment and suites
# that exist.
while read -r variant suites; do
	case "$variant" in ''|'#'*) continue ;; esac
	IFS=+ read -r -a names <<<"$variant"
	for name in "${names[@]}"; do
		expect_true "test variant $variant: $name has a config" \
			test -f "$REPO_ROOT/configs/debug/$name.config"
	done
	for suite in ${suites:-all}; do
		expect_true "test variant $variant: suite $suite exists" \
			test -f "$REPO_ROOT/kunit/$suite.kunitconfig"
	done
done <"$REPO_ROOT/configs/test-variants"

# The old shrinker API is gone from the applied tree, and the semantic
# patch that replaces it finds every old call in a small example.
old_api='\b(register_shrinker|prealloc_shrinker|unregister_shrinker|register_shrinker_prepared|free_prealloced_shrinker|synchronize_shrinkers)\b'
expect_true "no old shrinker API outside scripts/coccinelle" \
	test -z "$(tree_git grep -lE "$old_api" -- . ':!scripts/coccinelle' || true)"
cocci=$TREE/scripts/coccinelle/api/shrinker_alloc.cocci
example=$REPO_ROOT/scripts/tests/cocci/old_shrinker_api.c
if [ -f "$cocci" ]; then
	spatch --very-quiet -D report --no-includes --include-headers \
		--sp-file "$cocci" "$example" >"$tmp/cocci" 2>&1 || true
	for what in 'register_shrinker()' 'unregister_shrinker()' \
		'synchronize_shrinkers()' 'container_of() on a struct shrinker' \
		'shrinker_register() on the address of a struct shrinker' \
		'embedded struct shrinker' 'struct shrinker object'; do
		expect_true "shrinker_alloc.cocci reports $what in the example" \
			grep -qF "$what" "$tmp/cocci"
	done
	# container_of() on a plain member and on a nested one (mm.shrinker).
	expect_true "shrinker_alloc.cocci reports container_of() on a nested member" \
		test "$(grep -c 'container_of() on a struct shrinker' "$tmp/cocci")" -eq 2
	# Two embedded members, two calls on addresses, one static object.
	expect_true "shrinker_alloc.cocci reports nothing else in the example" \
		test "$(grep -c 'old_shrinker_api.c:' "$tmp/cocci")" -eq 10
else
	expect_true "scripts/coccinelle/api/shrinker_alloc.cocci is in the series" false
fi

# The runtime proof's report passes two equal boots, and fails a boot
# whose shrinker has another name, outlives its unmount, or whose kernel
# printed a report.
guest_log() { # guest_log FILE MOUNTED-NAME UNMOUNTED-NAME [EXTRA-LINE]
	{
		printf '@@ list boot rcu-kfree-1\n@@ list mounted rcu-kfree-1\n'
		printf '@@ list mounted %s-7\n@@ list unmounted rcu-kfree-1\n' "$2"
		[ -z "$3" ] || printf '@@ list unmounted %s-7\n' "$3"
		printf '@@ list before-injection rcu-kfree-1\n'
		printf '@@ list after-injection rcu-kfree-1\n'
		printf '@@ ok mount ext4\n%s\n@@ done\n' "${4:-}"
	} >"$1"
}
printf 'boot rcu-kfree\nmount sb-ext4\n' >"$tmp/expected"
report=$REPO_ROOT/scripts/lib/runtime_report.py
guest_log "$tmp/base.log" sb-ext4 ""
guest_log "$tmp/same.log" sb-ext4 ""
guest_log "$tmp/renamed.log" sb-ext4fs ""
guest_log "$tmp/kept.log" sb-ext4 sb-ext4
guest_log "$tmp/splat.log" sb-ext4 "" "BUG: KASAN: use-after-free in shrink_slab"
expect_true "runtime report: equal boots pass" \
	python3 "$report" "$tmp/expected" "$tmp/base.log" "$tmp/same.log" >/dev/null
for bad in renamed kept splat; do
	expect_true "runtime report: a $bad shrinker boot fails" \
		bash -c '! python3 "$@" >/dev/null' _ "$report" "$tmp/expected" \
		"$tmp/base.log" "$tmp/$bad.log"
done

# The end-to-end report passes a clean guest log, and fails one with a
# failed check, a program whose set-up failed, a guest that died before
# the end, or a kernel report.
e2e_log() { # e2e_log FILE VFIO-RESULT VFIO-EXIT DONE [EXTRA-LINE]
	{
		printf '%s 1 - map_up_to_the_limit\n@@ exit vfio_memlock %s\n' "$2" "$3"
		printf 'ok 2 - memcg_charges_go_at_vm_destruction\n@@ exit kvm_memcg 0\n'
		[ -z "${5:-}" ] || printf '%s\n' "$5"
		[ "$4" = no ] || printf '@@ done\n'
	} >"$1"
}
e2e_report=$REPO_ROOT/scripts/lib/e2e_report.py
e2e_log "$tmp/e2e-good.log" ok 0 yes
e2e_log "$tmp/e2e-failed.log" "not ok" 1 yes
e2e_log "$tmp/e2e-setup.log" ok 2 yes
e2e_log "$tmp/e2e-died.log" ok 0 no
e2e_log "$tmp/e2e-splat.log" ok 0 yes "BUG: KASAN: slab-use-after-free in vfio_remove_dma"
expect_true "e2e report: a clean guest passes" \
	python3 "$e2e_report" "$tmp/e2e-good.log" vfio_memlock kvm_memcg >/dev/null
e2e_log "$tmp/e2e-srso.log" ok 0 yes \
	"Speculative Return Stack Overflow: WARNING: See https://kernel.org/doc/html/latest/admin-guide/hw-vuln/srso.html for mitigation options."
expect_true "e2e report: the SRSO notice of an EPYC guest is no kernel report" \
	python3 "$e2e_report" "$tmp/e2e-srso.log" vfio_memlock kvm_memcg >/dev/null
for bad in failed setup died splat; do
	expect_true "e2e report: a $bad guest fails" \
		bash -c '! python3 "$@" >/dev/null' _ "$e2e_report" "$tmp/e2e-$bad.log" \
		vfio_memlock kvm_memcg
done
expect_true "e2e report: a program that never reported fails" \
	bash -c '! python3 "$@" >/dev/null' _ "$e2e_report" "$tmp/e2e-good.log" \
	vfio_memlock kvm_memcg no_such_program

# The KUnit summary: a WARNING a case provokes on purpose, bracketed, is
# expected; anything else in the log is a failure.
kunit_summary=$REPO_ROOT/scripts/lib/kunit_summary.py
printf '%s\n' '{"name": "main", "test_cases": [], "sub_groups": [{"name": "shrinker",' \
	'"test_cases": [{"name": "refuses", "status": "PASS"}], "sub_groups": []}]}' \
	>"$tmp/kunit.json"
warn="WARNING: CPU: 1 PID: 42 at mm/shrinker.c:561 shrinker_free+0x1c/0x1e0"
kasan="BUG: KASAN: slab-use-after-free in shrinker_try_get"
begin="kunit-expect-warning: begin refuses: shrinker_free() of an embedded shrinker"
end="kunit-expect-warning: end refuses"
kunit_log() { # kunit_log NAME LINE...: a kernel log of those lines
	local name=$1
	shift
	printf '%s\n' "[    1.0] boot" "$@" "[    2.0] done" >"$tmp/kunit-$name.log"
}
kunit_log expected "$begin" "$warn" "$end"
kunit_log missing "$begin" "$end"
kunit_log twice "$begin" "$warn" "$warn" "$end"
kunit_log unbracketed "$warn"
kunit_log "with-kasan" "$begin" "$warn" "$kasan" "$end"
kunit_log unended "$begin" "$warn"
expect_true "kunit summary: a bracketed WARNING is expected" bash -c \
	'python3 "$@" >/dev/null' _ "$kunit_summary" "$tmp/kunit.json" \
	--log "$tmp/kunit-expected.log" shrinker
for bad in missing twice unbracketed with-kasan unended; do
	expect_true "kunit summary: fails a log whose expected WARNING is $bad" \
		bash -c '! python3 "$@" >/dev/null' _ "$kunit_summary" "$tmp/kunit.json" \
		--log "$tmp/kunit-$bad.log" shrinker
done

# The selftests report: base against patched, row by row.
selftests_report=$REPO_ROOT/scripts/lib/selftests_report.py
printf '%s\n' "run kvm/a_test 60" "run kvm/tcg_test 60 TCG: known" \
	"run kvm/h_test 60" "skip kvm/gone_test does not build" >"$tmp/st.list"
selftests_log() { # selftests_log NAME A-STATUS TCG-STATUS H-CASE2 [LINE]
	printf '%s\n' "@@ begin kvm/a_test" "@@ result kvm/a_test $2 1" \
		"@@ begin kvm/tcg_test" "@@ result kvm/tcg_test $3 1" \
		"@@ begin kvm/h_test" "ok 1 f.one" "$4 2 f.two" "@@ result kvm/h_test 0 1" \
		"${5:-}" "@@ done" >"$tmp/st-$1.log"
}
selftests_log base 0 1 ok
selftests_log same 0 1 ok
selftests_log regressed 1 1 ok
selftests_log case-regressed 0 1 "not ok"
selftests_log splat 0 1 ok "BUG: KASAN: slab-use-after-free in kvm_put_kvm"
printf '%s\n' "@@ begin kvm/a_test" "@@ result kvm/a_test 0 1" >"$tmp/st-died.log"
expect_true "selftests report: the same results pass" bash -c \
	'python3 "$@" >/dev/null' _ "$selftests_report" "$tmp/st.list" \
	"$tmp/st-base.log" "$tmp/st-same.log"
for bad in regressed case-regressed splat died; do
	expect_true "selftests report: fails a patched kernel that $bad" \
		bash -c '! python3 "$@" >/dev/null' _ "$selftests_report" "$tmp/st.list" \
		"$tmp/st-base.log" "$tmp/st-$bad.log"
done
expect_true "selftests report: a failure with no listed reason fails" \
	bash -c '! python3 "$@" >/dev/null' _ "$selftests_report" "$tmp/st.list" \
	- "$tmp/st-regressed.log"
expect_true "selftests report: a listed reason is a skip, not a pass" bash -c \
	'python3 "$@" | tail -n 1 | grep -qx "4 passed, 0 failed, 1 skipped"' _ \
	"$selftests_report" "$tmp/st.list" "$tmp/st-base.log" "$tmp/st-same.log"

# MAINTAINERS-notes matches the patches.
expect_true "MAINTAINERS-notes is up to date" "$series" maintainers --check

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
