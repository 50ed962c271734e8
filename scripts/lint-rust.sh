#!/usr/bin/env bash
# Rust style for every crate under guests/ (one rustfmt.toml, guests/rustfmt.toml),
# and clippy, warnings as errors, on the crates every prover shares: the
# no_std core and host-common. The per-zkVM hosts get clippy as guests/build.sh
# compiles them (clippy-driver as their workspace's compiler): a separate
# check build here would compile each SDK's whole tree a second time.
set -euo pipefail
cd "$(dirname "$0")/../guests"
export CARGO_TARGET_DIR="${ZKML_CACHE:-$HOME/.cache/zkml-bench}/target/tests"
status=0
while IFS= read -r manifest; do
  crate=$(dirname "$manifest")
  (cd "$crate" && cargo fmt --check >/dev/null) || { echo "lint: $crate is not rustfmt-clean (run: cd guests/$crate && cargo fmt)" >&2; status=1; }
done < <(find . -name Cargo.toml -not -path '*/target/*' | sort)
for crate in core host-common; do
  (cd "$crate" && cargo clippy --quiet --all-targets -- -D warnings) || status=1
done
[ "$status" -eq 0 ] && echo "lint: Rust crates rustfmt-clean; clippy clean on core and host-common"
exit "$status"
