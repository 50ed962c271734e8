"""zkml-ezkl-host: EZKL behind the zkml-bench host protocol (guests/PROTOCOL.md).

host.py execute|prove|verify ...   one JSON record on stdout
host.py serve                      one record per request line (a JSON array of arguments)
host.py info                       what this host makes
host.py commit --testset testset.bin | --input input.bin   the data owner's Poseidon commitment"""

import json
import os
import sys

# stdout carries exactly one JSON line per command: anything a library prints
# there goes to stderr instead, and records are written to a copy of stdout.
RECORDS = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
sys.stdout = sys.stderr

from zkml_ezkl import host


def emit(value: dict) -> None:
    RECORDS.write(json.dumps(value) + "\n")
    RECORDS.flush()


def reset_peak_rss() -> str:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return "request"
    except OSError:
        return "process"


def serve() -> int:
    ready = host.new_record("serve")
    ready.update(ok=True, exit_code=0, program_id="per circuit (model and n): see each record")
    ready["setup_ms"] = ready["host_ms"] = host.ms(host.STARTED)
    ready["peak_rss_bytes"] = host.peak_rss()
    emit(ready)
    for line in sys.stdin:
        if not line.strip():
            continue
        scope = reset_peak_rss()
        try:
            argv = json.loads(line)
            if not isinstance(argv, list) or not all(isinstance(x, str) for x in argv):
                raise ValueError("not a list of strings")
        except ValueError as e:
            record = host.new_record("serve")
            record.update(error=f"bad request: not a JSON array of strings ({e}): {line.strip()}", exit_code=2)
        else:
            record = host.answer(argv)
        record["peak_rss_bytes"], record["peak_rss_scope"] = host.peak_rss(), scope
        emit(record)
    return 0


def main(argv: list) -> int:
    if argv[:1] == ["serve"]:
        return serve()
    if argv[:1] == ["info"]:
        emit(host.info())
        return 0
    if argv[:1] == ["commit"]:
        try:
            emit(host.commit(host.parser().parse_args(argv)))
            return 0
        except Exception as e:  # noqa: BLE001 (any failure, a bad file or EZKL's, is one line and an exit code)
            print(f"commit: {e}", file=sys.stderr)
            return 2 if isinstance(e, host.Refused) else 1
    record = host.answer(argv)
    record["peak_rss_bytes"] = host.peak_rss()
    record["host_ms"] = host.ms(host.STARTED)
    emit(record)
    return record["exit_code"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
