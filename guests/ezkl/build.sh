#!/usr/bin/env bash
# Build the EZKL host: a venv with the pinned packages of requirements.txt, kept
# in the cache (${ZKML_CACHE:-~/.cache/zkml-bench}/ezkl/venv-<digest of
# requirements.txt>, so a changed pin gets a fresh venv and an unchanged one
# installs nothing), with the tests' packages (requirements-test.txt, for
# tests/run.py) added to it, and the launcher guests/bin/zkml-ezkl-host, which
# runs this folder's host.py with that venv's Python. Called by guests/build.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CACHE="${ZKML_CACHE:-$HOME/.cache/zkml-bench}"
BIN="$here/../bin"
PYTHON="${PYTHON:-python3}"
digest="$(sha256sum "$here/requirements.txt" | cut -c1-16)"
venv="$CACHE/ezkl/venv-$digest"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.installed" ]; then
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$here/requirements.txt"
  touch "$venv/.installed"
fi
# The tests' packages (tests/run.py) in the same venv, so a changed test pin
# installs only them; the marker names the digest of requirements-test.txt.
tests_digest="$(sha256sum "$here/requirements-test.txt" | cut -c1-16)"
if [ ! -f "$venv/.installed-tests-$tests_digest" ]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$here/requirements-test.txt"
  rm -f "$venv"/.installed-tests-*
  touch "$venv/.installed-tests-$tests_digest"
fi
mkdir -p "$BIN"
launcher="$BIN/zkml-ezkl-host"
cat >"$launcher.partial" <<LAUNCHER
#!/bin/sh
# Written by guests/ezkl/build.sh: the EZKL host in its pinned venv.
exec "$venv/bin/python" "$here/host.py" "\$@"
LAUNCHER
chmod +x "$launcher.partial" && mv "$launcher.partial" "$launcher"
echo "ezkl host → guests/bin/zkml-ezkl-host (venv $venv)" >&2
