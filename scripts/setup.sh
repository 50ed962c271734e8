#!/usr/bin/env bash
# Set a fresh Debian/Ubuntu machine up for zkml-bench. Every part is skipped
# when it is already done, so running it again costs seconds.
#   scripts/setup.sh [all | apt npm pip kernel builds ...]
# ./run.sh calls it before the main job and the tests; .ci/run calls it part
# by part to time each.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's rustc-web (zkVM guests), protoc (SP1 SDK), mold (host linking),
# chromium (static figures), GNU time (prover memory).
APT_PACKAGES=(rustc-web cargo-web rust-web-src protobuf-compiler libprotobuf-dev mold chromium time)
say() { printf '[setup %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

setup_apt() {
  local missing=() p sudo=()
  for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -eq 0 ]; then say "system packages: installed"; return; fi
  if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then
      sudo=(sudo)
    else
      say "missing system packages: ${missing[*]}. Install them, then run this again:"
      echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  say "system packages: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}"
}

setup_npm() {
  # npm install is itself incremental; it also builds dist/ (prepare).
  say "npm packages (package-lock.json; environment.md says why not npm ci)"
  npm install --no-audit --no-fund --loglevel=error
  npm run --silent check-install
}

setup_pip() {
  say "python packages: headless notebooks and JupyterLab (requirements-notebooks.txt)"
  if ! python3 -m pip install --quiet --disable-pip-version-check -r requirements-notebooks.txt; then
    say "pip could not install into this python3 (an OS-managed Python refuses: PEP 668)."
    say "Make a virtual environment and run this again from inside it:"
    echo "  python3 -m venv ~/.venvs/zkml-bench && . ~/.venvs/zkml-bench/bin/activate" >&2
    exit 1
  fi
}

setup_kernel() {
  # The kernel names tslab by its absolute path, so `jupyter lab` starts it
  # without node_modules/.bin on PATH.
  say "Jupyter kernel: tslab"
  node_modules/.bin/tslab install --python=python3 --binary="$PWD/node_modules/.bin/tslab" >/dev/null
}

setup_builds() {
  say "zkVM and EZKL provers (guests/build.sh): the first build takes about 23 min on 2 cores, later ones seconds"
  guests/build.sh
}

parts=("$@")
[ ${#parts[@]} -gt 0 ] && [ "${parts[0]}" != all ] || parts=(apt npm pip kernel builds)
for part in "${parts[@]}"; do
  case "$part" in
    apt | npm | pip | kernel | builds) "setup_$part" ;;
    *) echo "setup.sh: unknown part '$part' (apt, npm, pip, kernel, builds, all)" >&2; exit 2 ;;
  esac
done
