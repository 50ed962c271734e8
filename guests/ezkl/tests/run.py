"""The EZKL host's tests: python3 guests/ezkl/tests/run.py [unittest options, e.g. -v or -k serve]

They run the built host (guests/bin/zkml-ezkl-host, from guests/build.sh ezkl)
and validate every record and its info answer against spec/host-record.schema.json
and spec/host-info.schema.json with the `jsonschema` package of the host's venv
(requirements-test.txt, which build.sh installs). Any Python starts this file:
it runs itself again with the venv's Python, which the launcher names. The
circuits and keys come from the host's cache (ZKML_CACHE), so only a first run
compiles and makes keys (seconds at n = 10)."""

import os
import re
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
EZKL = os.path.dirname(HERE)
LAUNCHER = os.path.join(EZKL, "..", "bin", "zkml-ezkl-host")


def venv_python() -> str:
    """The Python the launcher runs host.py with (build.sh writes `exec "<venv>/bin/python" ...`)."""
    try:
        with open(LAUNCHER) as f:
            m = re.search(r'^exec "([^"]+/bin/python)"', f.read(), re.MULTILINE)
    except OSError:
        m = None
    if not m:
        sys.exit(f"{os.path.normpath(LAUNCHER)} is missing or not build.sh's: build the host first (guests/build.sh ezkl)")
    return m.group(1)


def main() -> None:
    python = venv_python()
    if os.path.realpath(sys.prefix) != os.path.realpath(os.path.dirname(os.path.dirname(python))):
        os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])
    sys.path[:0] = [EZKL, HERE]
    unittest.main(module=None, argv=[sys.argv[0], "discover", "-s", HERE, "-t", HERE, *sys.argv[1:]])


if __name__ == "__main__":
    main()
