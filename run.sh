#!/usr/bin/env bash
# The README's quick start, on a fresh Debian/Ubuntu machine:
#   ./run.sh paper   set up (skipped when done), then the main job: the paper's figures and summary
#   ./run.sh test    set up (skipped when done), then the tests (what CI runs)
set -euo pipefail
cd "$(dirname "$0")"
case "${1:-}" in
  paper) scripts/setup.sh && npm run paper ;;
  test) scripts/setup.sh && npm test ;;
  *) echo "usage: ./run.sh paper | test" >&2; exit 2 ;;
esac
