# shellcheck shell=bash disable=SC2034
# Shared helpers for scripts/series and its subcommands.  Sourced, never run.
# (SC2034: the variables set here are used by the scripts that source it.)

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SERIES_CACHE=${SERIES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/linux-6.1-series}
TREE=$SERIES_CACHE/linux
BUILD_ROOT=$SERIES_CACHE/build
BASE_TAG=series-base
SERIES_BRANCH=series

# SERIES_BASE_ENV: another pin file, for the pipeline's own tests.
# shellcheck source=../../configs/base.env
. "${SERIES_BASE_ENV:-$REPO_ROOT/configs/base.env}"
# shellcheck source=../../configs/identity.env
. "$REPO_ROOT/configs/identity.env"

export CCACHE_DIR=${CCACHE_DIR:-$SERIES_CACHE/ccache}
export GIT_AUTHOR_NAME=$SERIES_NAME GIT_AUTHOR_EMAIL=$SERIES_EMAIL
export GIT_COMMITTER_NAME=$SERIES_NAME GIT_COMMITTER_EMAIL=$SERIES_EMAIL
JOBS=${JOBS:-$(nproc)}
# What 'base' unpacked: the Debian config that 'check' starts from, and
# the version of each package it used.
DEBIAN_CONFIG_DIR=$SERIES_CACHE/debian-config
CONFIG_FILE=$DEBIAN_CONFIG_DIR/${CONFIG_MEMBER##*/}
BASE_STATE=$SERIES_CACHE/base.version

die() {
	echo "series: $*" >&2
	exit 1
}

note() {
	echo "series: $*" >&2
}

# need_tool TOOL... : fail with one line naming the first missing tool.
need_tool() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 ||
			die "missing tool: $tool (run 'scripts/series base' to install it)"
	done
}

# shellcheck source=registry.sh
. "$REPO_ROOT/scripts/lib/registry.sh"

tree_git() {
	git -C "$TREE" "$@"
}

# need_tree: the cached base tree must exist (made by 'base').
need_tree() {
	need_tool git
	tree_git rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null 2>&1 ||
		die "no base tree at $TREE (run 'scripts/series base' first)"
}

# need_clean_tree: refuse to touch a tree with uncommitted edits.
need_clean_tree() {
	[ -z "$(tree_git status --porcelain --untracked-files=no)" ] ||
		die "tree $TREE has uncommitted changes; commit or stash them first"
}

# need_applied: HEAD of the tree is the series branch, as 'apply' left it.
need_applied() {
	need_tree
	[ "$(tree_git symbolic-ref -q --short HEAD)" = "$SERIES_BRANCH" ] ||
		die "tree is not on branch '$SERIES_BRANCH' (run 'scripts/series apply')"
}

# need_base_worktree DIR: a worktree of the tree at the base commit in DIR,
# for building or rendering the base next to the series.
need_base_worktree() {
	if [ -d "$1" ]; then
		git -C "$1" checkout -q --detach "$BASE_TAG" ||
			die "cannot check out $BASE_TAG in $1"
	else
		tree_git worktree add -q --detach "$1" "$BASE_TAG" ||
			die "cannot make the base worktree $1"
	fi
}

# series_patches: the numbered patches of the series, cover letter excluded.
series_patches() {
	find "$REPO_ROOT/patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-*' | sort
}

# kernel_make DIR ARGS... : make in the tree with output in DIR, via ccache.
kernel_make() {
	local out=$1
	shift
	make -C "$TREE" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" \
		-j"$JOBS" "$@"
}
