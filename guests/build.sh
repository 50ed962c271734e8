#!/usr/bin/env bash
# Build the zkVM guests and hosts with registry packages only.
#   guests/build.sh [ID ...]     build these zkVMs (default: every zkVM folder)
#   guests/build.sh --list       print the zkVM ids found, one per line
# (a folder with its own build.sh, e.g. ezkl/, is built by that recipe instead)
# Guests: Debian's rustc-web (1.96, with std sources) + -Zbuild-std, for the
# zkVM's RISC-V target. Hosts: rustup stable, all in one target dir so the
# dependencies they share (about half of each tree) are compiled once, linked
# with mold where it is installed. Target dirs live outside the clone
# ($ZKML_CACHE, default ~/.cache/zkml-bench) so rebuilds are incremental; the
# host binaries are copied to guests/bin/ (git-ignored). docs/build-times.md has
# the measured build times.
set -euo pipefail
cd "$(dirname "$0")"

# A zkVM is a folder guests/<id>/ with guest/ (crate zkml-<id>-guest) and host/
# (binary zkml-<id>-host). Its recipe is its own: the guest's target and flags
# in guest/.cargo/config.toml, a custom target spec in target-spec/ if the
# target is not built into rustc, and extra build variables in build.env if it
# has any. The host embeds the guest ELF named by ZKML_GUEST_ELF.
# A zkVM whose SDK's build can fail in a way a clean-up mends may have a hook,
# guests/<id>/host-build-retry.sh: after a failed host build it runs as
# `bash <id>/host-build-retry.sh STDERR_FILE TARGET_DIR` (the build's stderr,
# the cargo target dir), and exit 0 means it cleaned up and the host is built
# once more; any other exit lets the failure stand. So what one SDK's build
# needs stays in that zkVM's folder, and this script serves any zkVM alike.
# A prover with a recipe of its own, guests/<id>/build.sh (EZKL: a Python venv),
# is built by running it; it writes guests/bin/zkml-<id>-host itself.
zkvm_ids() {
  local dir
  for dir in */guest/.cargo/config.toml */build.sh; do
    [ -e "$dir" ] || continue
    dir=${dir%%/*}
    if [ -f "$dir/build.sh" ] || [ -d "$dir/host" ]; then echo "$dir"; fi
  done | sort -u
}

mapfile -t known < <(zkvm_ids)
if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${known[@]}"
  exit 0
fi
zkvms=("$@")
[ ${#zkvms[@]} -gt 0 ] || zkvms=("${known[@]}")
for z in "${zkvms[@]}"; do
  [[ " ${known[*]} " == *" $z "* ]] || { echo "build.sh: unknown zkVM '$z' (known: ${known[*]})" >&2; exit 2; }
done

CACHE="${ZKML_CACHE:-$HOME/.cache/zkml-bench}"
BIN="$PWD/bin"
mkdir -p "$CACHE/target" "$BIN"

log() { printf '[build %s %5ss] %s\n' "$(date -u +%H:%M:%S)" "$SECONDS" "$*" >&2; }

# Own recipes run first, in the clone: they need neither the mirror nor its lock.
cargo_zkvms=()
for z in "${zkvms[@]}"; do
  if [ -f "$z/build.sh" ]; then
    log "$z ($z/build.sh)"
    ZKML_CACHE="$CACHE" bash "$z/build.sh"
    log "$z done"
  else
    cargo_zkvms+=("$z")
  fi
done
[ ${#cargo_zkvms[@]} -gt 0 ] || { log "built: ${zkvms[*]}"; exit 0; }

# Cargo keys our own crates by their absolute path and their files' mtimes, so
# a fresh clone (new path, new mtimes) recompiled them all, and the SP1 host
# crate alone takes minutes (SP1's generic code is instantiated in it). The
# build runs in a mirror of guests/ at a fixed path instead, where only files
# whose content changed are rewritten: an unchanged tree builds nothing, and
# the guest ELFs (which hold source paths in panic locations) stay
# byte-identical across clones. One build at a time uses the mirror.
SRC="$CACHE/src/guests"
sync_tree() { # from to: make `to` hold exactly the files of `from`, touching only those that differ
  local from=$1 to=$2 f
  mkdir -p "$to"
  while IFS= read -r -d '' f; do
    cmp -s "$from/$f" "$to/$f" || { mkdir -p "$(dirname "$to/$f")"; cp "$from/$f" "$to/$f"; }
  done < <(cd "$from" && find . \( -path ./bin -o -path './bin-cpu-*' -o -name target \) -prune -o -type f -print0)
  while IFS= read -r -d '' f; do
    [ -e "$from/$f" ] || rm -f "$to/$f"
  done < <(cd "$to" && find . -type f -print0)
}
if command -v flock >/dev/null; then
  exec 9>"$CACHE/build.lock"
  flock 9
fi
sync_tree "$PWD" "$SRC"
cd "$SRC"

GUEST_RUSTC=/usr/bin/rustc
GUEST_CARGO=/usr/bin/cargo
[ -x "$GUEST_RUSTC" ] && [ -d /usr/lib/rustlib/src/rust/library ] || {
  echo "build.sh: Debian's rustc-web and rust-web-src are needed for guests (apt-get install rustc-web cargo-web rust-web-src)" >&2
  exit 2
}
# Debian's /usr/bin/rust-lld points at lld-22, which is not packaged here: use rustup's.
HOST_TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
LLD="$(rustc --print sysroot)/lib/rustlib/$HOST_TRIPLE/bin/rust-lld"
[ -x "$LLD" ] || { echo "build.sh: rust-lld not found at $LLD" >&2; exit 2; }

# Hosts are built per CPU level, each level in one target dir shared by every
# host: separate workspaces (the SDKs' trees clash), but a crate with the same
# version, features and flags is built once. A zkVM's build.env may set
# HOST_CPU (native, x86-64-v3, ...) where its prover measured faster for it
# (docs/results-by-prover.md, "Host CPU builds", has the comparisons); without it the host is portable: the
# architecture's baseline. ZKML_HOST_CPU=<level> (or `portable`) overrides it
# for every zkVM and writes the hosts to guests/bin-cpu-<level>/ instead,
# beside the defaults, for `zkml compare-hosts`.
LINK_RUSTFLAGS=""
if command -v mold >/dev/null; then
  LINK_RUSTFLAGS="-C link-arg=-fuse-ld=mold" # GNU ld takes tens of seconds per SDK-sized binary
fi
case "$HOST_TRIPLE" in
  x86_64*) CC_CPU_FLAG=-march ;;
  *) CC_CPU_FLAG=-mcpu ;; # aarch64 and others name the CPU with -mcpu
esac

build_guest() { # name target crate_dir
  local name=$1 target=$2 dir=$3
  local env_target=${target//-/_}
  log "$name guest ($target)"
  (cd "$dir" && env RUSTC="$GUEST_RUSTC" RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$CACHE/target/$name-guest" \
    "CARGO_TARGET_${env_target^^}_LINKER=$LLD" "$GUEST_CARGO" build --release --quiet)
  log "$name guest done"
}

build_host() { # name crate_dir binary cpu bin_dir
  local name=$1 dir=$2 binary=$3 cpu=$4 bin=$5
  local target="$CACHE/target/hosts" rustflags="$LINK_RUSTFLAGS" stderr="$CACHE/target/$name-host.stderr"
  local cc_flags=()
  # The C/C++ kernels some SDKs compile (RISC Zero's) get the same CPU: the cc
  # crate does not pass -C target-cpu on to the C compiler by itself.
  if [ "$cpu" != portable ]; then
    target="$CACHE/target/hosts-cpu-$cpu"
    rustflags="$rustflags -C target-cpu=$cpu"
    cc_flags=(CFLAGS="${CFLAGS:+$CFLAGS }$CC_CPU_FLAG=$cpu" CXXFLAGS="${CXXFLAGS:+$CXXFLAGS }$CC_CPU_FLAG=$cpu")
  fi
  rustflags=${rustflags# }
  log "$name host (cpu: $cpu)"
  if ! (cd "$dir" && env "${cc_flags[@]}" RUSTFLAGS="$rustflags" CARGO_TARGET_DIR="$target" cargo build --release --quiet 2> >(tee "$stderr" >&2)); then
    local retry="$name/host-build-retry.sh" # the zkVM's own knowledge of its SDK's build (top of this file)
    if [ ! -f "$retry" ] || ! bash "$retry" "$stderr" "$target"; then exit 1; fi
    log "$name host: retrying after $retry cleaned up"
    (cd "$dir" && env "${cc_flags[@]}" RUSTFLAGS="$rustflags" CARGO_TARGET_DIR="$target" cargo build --release --quiet)
  fi
  mkdir -p "$bin"
  cp "$target/release/$binary" "$bin/$binary.partial" && mv "$bin/$binary.partial" "$bin/$binary"
  log "$name host → guests/${bin##*/}/$binary"
}

build_zkvm() ( # id; a subshell, so one zkVM's variables never reach the next
  local id=$1 target
  target=$(sed -n 's/^target = "\(.*\)"$/\1/p' "$id/guest/.cargo/config.toml")
  [ -n "$target" ] || { echo "build.sh: $id/guest/.cargo/config.toml names no [build] target" >&2; exit 2; }
  [ -d "$id/target-spec" ] && export RUST_TARGET_PATH="$PWD/$id/target-spec"
  local HOST_CPU=portable bin=$BIN
  if [ -f "$id/build.env" ]; then set -a; . "$id/build.env"; set +a; fi
  export -n HOST_CPU # the build's choice, not a variable for cargo
  if [ -n "${ZKML_HOST_CPU:-}" ]; then HOST_CPU=$ZKML_HOST_CPU bin="$BIN-cpu-$ZKML_HOST_CPU"; fi
  build_guest "$id" "$target" "$id/guest"
  export ZKML_GUEST_ELF="$CACHE/target/$id-guest/$target/release/zkml-$id-guest"
  build_host "$id" "$id/host" "zkml-$id-host" "$HOST_CPU" "$bin"
)

for z in "${cargo_zkvms[@]}"; do build_zkvm "$z"; done
log "built: ${zkvms[*]}"
