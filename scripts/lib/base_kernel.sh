# shellcheck shell=bash
# build_base_kernel PATCHED_BUILD BASE_BUILD LOG: build the base tree
# (the series' base commit, in a worktree of its own) with the .config of
# PATCHED_BUILD into BASE_BUILD, so that a guest can boot base and patched
# kernels that differ only in the series.  Dies on failure.  Sourced after
# common.sh, never run.
build_base_kernel() {
	local patched_build=$1 base_build=$2 log=$3 config_diff
	local base_tree=$SERIES_CACHE/base-worktree
	# Options that only the series' Kconfig has.
	local series_only='SHRINKER_KUNIT_TEST|FAIL_SHRINKER_ALLOC|VFIO_IOMMU_TYPE1_KUNIT_TEST|KVM_LIFECYCLE_KUNIT_TEST'

	need_base_worktree "$base_tree"
	mkdir -p "$base_build"
	cp "$patched_build/.config" "$base_build/.config"
	note "building the base kernel in $base_build"
	make -C "$base_tree" O="$base_build" ARCH=x86_64 CC="ccache gcc" \
		HOSTCC="ccache gcc" -j"$JOBS" olddefconfig >/dev/null ||
		die "base olddefconfig failed"
	config_diff=$(diff <(grep '^CONFIG_' "$patched_build/.config" | sort) \
		<(grep '^CONFIG_' "$base_build/.config" | sort) |
		grep '^[<>]' | grep -v -E "^< CONFIG_($series_only)=" || true)
	[ -z "$config_diff" ] ||
		die "base and patched configs differ beyond the series' options: $config_diff"
	make -C "$base_tree" O="$base_build" ARCH=x86_64 CC="ccache gcc" \
		HOSTCC="ccache gcc" -j"$JOBS" bzImage >"$log" 2>&1 ||
		die "the base kernel did not build (see $log)"
}
