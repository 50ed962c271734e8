#!/usr/bin/env bash
# Rust style for every crate under guests/ (one rustfmt.toml, guests/rustfmt.toml),
# and clippy, warnings as errors, on the crates every prover shares: the
# no_std core and host-common. The per-zkVM hosts and guests are thin, and a
# clippy check of each would compile its SDK's whole dependency tree a second
# time (check builds share nothing with release builds): minutes per zkVM on a
# cold machine, so they get rustfmt only. Linting them during the release
# build instead (clippy-driver as RUSTC_WORKSPACE_WRAPPER) was tried and
# dropped: clippy-driver compiles the crate at MIR opt level 0, so the binary
# proven with would differ from a plain release build (for a guest, its cycles).
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
