#!/usr/bin/env bash
# The main job: set up, apply the series, run every KUnit suite in QEMU.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

case "${1:-}" in
-h|--help)
	cat <<'USAGE'
usage: scripts/series run [KUNIT-ARGS...]

setup (base, apply), then 'kunit all' (or 'kunit KUNIT-ARGS...'): prints
kunit.py's results and ends with 'N passed, N failed'.
USAGE
	exit 0 ;;
esac

series=$REPO_ROOT/scripts/series
"$series" setup
if [ $# -gt 0 ]; then
	exec "$series" kunit "$@"
fi
exec "$series" kunit all
