#!/usr/bin/env bash
# guests/build.sh's retry hook for the RISC Zero host (see the top of build.sh):
#   host-build-retry.sh STDERR_FILE TARGET_DIR
# run after a failed host build; exits 0 when it has cleaned up what made the
# build fail and a second build is worth it, non-zero when the failure stands.
#
# risc0-circuit-recursion's build script writes its empty DOCS_RS placeholder
# only when none exists; if it ever re-runs over an old placeholder it tries
# the S3 download instead, which cannot work here. Its output dirs are then
# removed so that it runs fresh and writes the placeholder again.
set -euo pipefail
stderr=$1 target=$2
grep -q "risc0-circuit-recursion.*Downloading\|Downloading https://risc0-artifacts" "$stderr" || exit 1
echo "risc0/host-build-retry.sh: removing risc0-circuit-recursion's stale build-script output" >&2
rm -rf "$target"/release/build/risc0-circuit-recursion-[0-9a-f]*
