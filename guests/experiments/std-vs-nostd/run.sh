#!/usr/bin/env bash
# std vs no_std guests: build, make inputs, measure. README.md says what and why.
#   ./run.sh snapshot [REV]        the committed guests/core and no_std guests at REV (default HEAD)
#                                  plus this folder as it is, into $WORK/src (a fixed path)
#   ./run.sh build ZKVM            no_std guest, std guest(s), and the measuring binary
#   ./run.sh inputs                input.bin + expected output for ridge, poly2, poly3 at n = 10..10000
#   ./run.sh execute ZKVM [N...]   user cycles of every guest at each n (default 10 100 1000 10000)
#   ./run.sh prove ZKVM REPS N...  prove + verify every guest, guests interleaved, REPS times
# ZKVM is risc0 or openvm. Results are appended to results/<zkvm>-<mode>.jsonl.
# Everything built lives under $ZKML_CACHE (default ~/.cache/zkml-bench), outside the clone.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
CACHE="${ZKML_CACHE:-$HOME/.cache/zkml-bench}"
WORK="$CACHE/std-vs-nostd"
SRC="$WORK/src"
EXP="guests/experiments/std-vs-nostd"
MODELS=(ridge poly2 poly3)
NICE=(nice -n 15)

log() { printf '[std-vs-nostd %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

sync_tree() { # from to: `to` holds exactly the files of `from`; only changed files are rewritten (cargo keys on mtimes)
  local from=$1 to=$2 f
  mkdir -p "$to"
  while IFS= read -r -d '' f; do
    cmp -s "$from/$f" "$to/$f" || { mkdir -p "$(dirname "$to/$f")"; cp "$from/$f" "$to/$f"; }
  done < <(cd "$from" && find . \( -name target -o -name results \) -prune -o -type f -print0)
  while IFS= read -r -d '' f; do
    [ -e "$from/$f" ] || rm -f "$to/$f"
  done < <(cd "$to" && find . -type f -print0)
}

snapshot() {
  local rev=${1:-HEAD} tmp
  rev=$(git -C "$REPO" rev-parse "$rev")
  tmp=$(mktemp -d)
  git -C "$REPO" archive "$rev" guests/core guests/risc0/guest guests/openvm/guest guests/sp1/guest guests/sp1/target-spec |
    tar -x -C "$tmp"
  mkdir -p "$tmp/$EXP"
  (cd "$HERE" && tar -c --exclude=./results --exclude=target .) | tar -x -C "$tmp/$EXP"
  sync_tree "$tmp" "$SRC"
  rm -rf "$tmp"
  echo "$rev" >"$WORK/src.rev"
  log "snapshot: no_std guests and guests/core at $rev; $EXP from the working tree"
}

# Guests as guests/build.sh builds them: Debian's rustc-web, build-std, rustup's rust-lld.
LLD="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/rust-lld"
guest_target() { sed -n 's/^target = "\(.*\)"$/\1/p' "$1/.cargo/config.toml"; }
build_guest() { # crate_dir target_dir_name
  local dir=$1 name=$2 target env_target
  target=$(guest_target "$dir")
  env_target=${target//-/_}
  log "guest $dir ($target)"
  (cd "$dir" && "${NICE[@]}" env RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$CACHE/target/$name" \
    "CARGO_TARGET_${env_target^^}_LINKER=$LLD" /usr/bin/cargo build --release --locked --quiet)
}
# Measuring binaries as guests/build.sh builds the hosts with HOST_CPU=native, in
# the same target dir, so the SDK crates the benchmark's hosts compiled are reused.
build_measure() { # crate_dir
  log "measuring binary $1"
  (cd "$1" && "${NICE[@]}" env CFLAGS=-march=native CXXFLAGS=-march=native \
    RUSTFLAGS="-C link-arg=-fuse-ld=mold -C target-cpu=native" CARGO_TARGET_DIR="$CACHE/target/hosts-cpu-native" \
    cargo build --release --locked --quiet)
}

build() {
  local z=$1 target
  [ -d "$SRC/$EXP/$z-guest" ] || { echo "unknown zkVM $z (no $EXP/$z-guest)" >&2; exit 2; }
  if [ -d "$SRC/guests/$z/target-spec" ]; then export RUST_TARGET_PATH="$SRC/guests/$z/target-spec"; fi
  mkdir -p "$WORK/elf"
  build_guest "$SRC/guests/$z/guest" "stdexp-nostd-$z-guest"
  target=$(guest_target "$SRC/guests/$z/guest")
  cp "$CACHE/target/stdexp-nostd-$z-guest/$target/release/zkml-$z-guest" "$WORK/elf/$z-nostd.elf"
  build_guest "$SRC/$EXP/$z-guest" "stdexp-$z-guest"
  local bin
  for bin in $(sed -n 's/^name = "\('"$z"'-std[a-z-]*\)"$/\1/p' "$SRC/$EXP/$z-guest/Cargo.toml"); do
    cp "$CACHE/target/stdexp-$z-guest/$target/release/$bin" "$WORK/elf/$bin.elf"
  done
  build_measure "$SRC/$EXP/measure-$z"
  ls -l "$WORK/elf/$z"-*.elf >&2
}

inputs() {
  mkdir -p "$WORK/inputs"
  (cd "$REPO" && node "$HERE/make-inputs.mjs" "$WORK/inputs" 10 100 1000 10000)
}

measure() { # mode zkvm reps n...
  local mode=$1 z=$2 reps=$3 n m elf
  shift 3
  local args=(--reps "$reps")
  for elf in "$WORK/elf/$z"-*.elf; do
    elf=${elf##*/}
    args+=(--elf "${elf%.elf}=$WORK/elf/$elf")
  done
  for n in "$@"; do
    for m in "${MODELS[@]}"; do args+=(--input "$m-n$n=$WORK/inputs/$m-n$n.bin"); done
  done
  mkdir -p "$HERE/results"
  log "$mode $z: ${args[*]}"
  # What the lines after it were measured on: the snapshot's revision, the date, the CPU.
  printf '{"zkvm":"%s","mode":"%s","src_rev":"%s","date":"%s","cpu":"%s","cores":%s}\n' "$z" "$mode" "$(cat "$WORK/src.rev")" \
    "$(date -u +%FT%TZ)" "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" "$(nproc)" | tee -a "$HERE/results/$z-$mode.jsonl"
  # Not niced: prove times are the measurement (each JSON line has the load average at its start).
  "$CACHE/target/hosts-cpu-native/release/stdexp-measure-$z" "$mode" "${args[@]}" |
    tee -a "$HERE/results/$z-$mode.jsonl"
}

cmd=${1:-}
shift || true
case "$cmd" in
  snapshot) snapshot "$@" ;;
  build) build "$1" ;;
  inputs) inputs ;;
  execute) z=$1; shift; [ $# -gt 0 ] || set -- 10 100 1000 10000; measure execute "$z" 1 "$@" ;;
  prove) measure prove "$@" ;;
  *) sed -n '2,10p' "$0" >&2; exit 2 ;;
esac
