"""The host protocol of guests/PROTOCOL.md for EZKL: one JSON record per command.

What differs from the zkVMs, and where the record says so:
- commitments: the data commitment is EZKL's Poseidon hash of the test set
  (input visibility "hashed"), not SHA-256(testset.bin): `commit` computes it
  for the data owner. The model is fixed in the circuit, so the verifying key
  binds it; the proof names the model by SHA-256(model.bin), which selects the
  key. public_output.commitment_scheme is "poseidon" (the zkVMs' is SHA-256).
- work: total_cycles is the padded circuit size 2^logrows, user_cycles the rows
  the circuit uses, segments null; public_output.circuit has logrows, rows and
  cell assignments.
- --sha is accepted for the driver's sake and ignored: the circuit hashes with
  Poseidon; the record's sha is null.
- setup: the keys rest on an SRS. `prove` writes the verifier bundle beside the
  proof (bundle.py) and `verify` checks the proof with that bundle alone,
  re-deriving the verifying key from the bundle's model.bin (verifier_keys);
  setup_trust says whether the SRS is one the verifier trusts (--trusted-srs).
- proof files are read strictly: the canonical header (proof_file.py) and no
  byte after the proof (strict_length).
- exactness: the circuit's field arithmetic has no i64 to overflow and EZKL's
  division is exact below 2^53 (graph.py), so before any work the host runs
  spec/FORMAT.md's inference itself (spec.reference_sums: the guests'
  AccumulatorOverflow / PredictionOverflow errors), refuses input whose
  divisions EZKL cannot compute exactly (graph.inexact_division), and proves
  nothing whose witness sums differ from the spec's (exact_sums)."""

import argparse
import json
import os
import tempfile
import time
import traceback

import ezkl

from . import bundle, graph, memory, proof_file, spec
from . import circuit as cz
from .graph import GRAPH_VERSION, Refused

STARTED = time.perf_counter()
# The version of spec/host-record.schema.json and spec/host-info.schema.json this host's output follows.
SCHEMA = 1
ZKVM, LABEL = "ezkl", "EZKL"
# The one kind proves the published claim (info's `claim`: spec/host-info.schema.json).
PROOF_KINDS = [
    {
        "kind": "single",
        "what": "one halo2 proof (KZG commitments on BN254) of the whole circuit, verified natively",
        "claim": True,
    }
]
VERIFY_OPTIONS = [
    {"flag": "--verifier", "what": "the verifier bundle prove wrote beside the proof (default: <proof>.verifier)"},
    {
        "flag": "--trusted-srs",
        "what": "an SRS file the verifier trusts (e.g. a ceremony's): the bundle's SRS must be byte-identical to it",
    },
]
REFUSED_KINDS = [
    {"kind": "evm", "why": "an EVM verifier contract needs solc and a chain to deploy to; the proof itself is the same"}
]


class Failed(Exception):
    """The command ran and failed (exit code 1)."""


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def peak_rss() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def new_record(command: str) -> dict:
    return {
        "schema": SCHEMA,
        "ok": False,
        "error": None,
        "command": command,
        "zkvm": ZKVM,
        "zkvm_version": cz.EZKL_VERSION,
        "proof_kind": "single" if command in ("prove", "verify") else None,
        "sha": None,
        "dev_mode": False,
        "program_id": "",
        "input_bytes": None,
        "total_cycles": None,
        "user_cycles": None,
        "segments": None,
        "execute_ms": None,
        "prove_ms": None,
        "verify_ms": None,
        "proof_path": None,
        "proof_bytes": None,
        "peak_rss_bytes": 0,
        "peak_rss_scope": "process",
        "setup_ms": 0.0,
        "keys": None,
        "host_ms": 0.0,
        "public_output_hex": None,
        "public_output": None,
        "score": None,
        "exit_code": 1,
        "setup_trust": None,
    }


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise Refused(f"bad usage: {message}")


def parser() -> Parser:
    p = Parser(prog="zkml-ezkl-host", description="EZKL prover for zkml-bench (guests/PROTOCOL.md)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)
    for name in ("execute", "prove"):
        c = sub.add_parser(name)
        c.add_argument("--input", required=True)
        c.add_argument("--sha", choices=["precompile", "software"], default="precompile")
        if name == "prove":
            c.add_argument("--proof", required=True)
            c.add_argument("--kind", default=PROOF_KINDS[0]["kind"])
            c.add_argument("--srs", help="an SRS file to use (e.g. a ceremony's) instead of one generated here")
    v = sub.add_parser("verify")
    v.add_argument("--proof", required=True)
    v.add_argument("--model-commitment", required=True)
    v.add_argument("--data-commitment", required=True)
    for o in VERIFY_OPTIONS:
        v.add_argument(o["flag"], help=o["what"])
    c = sub.add_parser("commit", help="the data owner's Poseidon commitment of a test set")
    src = c.add_mutually_exclusive_group(required=True)
    src.add_argument("--input", help="input.bin")
    src.add_argument("--testset", help="testset.bin")
    sub.add_parser("serve")
    sub.add_parser("info")
    return p


def info() -> dict:
    return {
        "schema": SCHEMA,
        "zkvm": ZKVM,
        "label": LABEL,
        "zkvm_version": cz.EZKL_VERSION,
        "isa": "halo2 circuit (PLONKish, BN254)",
        "proof_kinds": PROOF_KINDS,
        "refused_kinds": REFUSED_KINDS,
        "verify_options": VERIFY_OPTIONS,
        "commitment_scheme": "poseidon",
        "refused_model_kinds": [],
        "prove_memory": memory.prove_memory(),
        # The prover is PyPI's ezkl wheel, compiled by its publishers: no flags of ours.
        "build": {"rustflags": None, "target_cpu": None, "target_features": []},
    }


def read_input(path: str, record: dict):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise Failed(f"input {path}: {e.strerror}") from None
    record["input_bytes"] = len(data)
    try:
        return spec.parse_input(data)
    except spec.SpecError as e:
        raise Failed(f"invalid input: {e}") from None


def spec_sums(model: spec.Model, data: spec.TestSet) -> spec.Sums:
    """The spec's sums of this input, raising its errors as the guests do
    (per sample, then ScoreOverflow), after checking that EZKL can compute
    every division of the graph exactly."""
    sums = spec.reference_sums(model, data)
    spec.public_output(model, data.n_samples, bytes(32), sums)  # ScoreOverflow
    inexact = graph.inexact_division(model, data.rows)
    if inexact:
        raise Refused(f"EZKL cannot round this input as spec/FORMAT.md does (its division is float64 above 2^53): {inexact}")
    return sums


def exact_sums(witness_sums: list, expected: spec.Sums) -> None:
    """The witness's four sums must be the spec's: a circuit that computed
    anything else would prove another claim."""
    got = spec.Sums(*[cz.felt_int(f) for f in witness_sums])
    if got != expected:
        raise Failed(f"EZKL's witness sums {got} differ from spec/FORMAT.md's {expected}: nothing is proven")


def set_output(record: dict, model: spec.Model, n: int, c: cz.Circuit, instances: list) -> None:
    """The public output from the proof's (or witness's) instances: [data hash, SSE, SAE, Σy, Σy²]."""
    sums = spec.Sums(*[cz.felt_int(f) for f in instances[1:5]])
    out = spec.public_output(model, n, bytes.fromhex(instances[0]), sums)
    record["public_output_hex"] = out.hex()
    record["public_output"] = {**spec.decode_output(out), "commitment_scheme": "poseidon", "circuit": c.size()}
    record["score"] = spec.score(out)
    record["total_cycles"], record["user_cycles"] = 1 << c.logrows, c.rows


def execute(a, record: dict) -> None:
    model, data = read_input(a.input, record)
    expected = spec_sums(model, data)
    t = time.perf_counter()
    c = cz.circuit_for(model, data.n_samples)
    record["setup_ms"] += ms(t)
    record["program_id"] = cz.file_sha256(c.path("circuit.ezkl"))
    with tempfile.TemporaryDirectory(prefix="zkml-ezkl-") as work:
        w, record["execute_ms"] = cz.timed(cz.witness, c, data.rows, work)
    exact_sums(w["outputs"][0], expected)
    set_output(record, model, data.n_samples, c, w["processed_inputs"]["poseidon_hash"] + w["outputs"][0])


def prove(a, record: dict) -> None:
    if a.kind not in [k["kind"] for k in PROOF_KINDS]:
        known = {k["kind"]: k["why"] for k in REFUSED_KINDS}
        if a.kind in known:
            raise Refused(f"proof kind {a.kind} is not available here: {known[a.kind]}")
        raise Refused(f"unknown proof kind {a.kind} (available: {', '.join(k['kind'] for k in PROOF_KINDS)})")
    if a.srs is not None and not os.path.isfile(a.srs):
        raise Refused(f"--srs {a.srs}: no such file")
    model, data = read_input(a.input, record)
    expected = spec_sums(model, data)
    t = time.perf_counter()
    c = cz.circuit_for(model, data.n_samples)
    if a.srs is not None:
        try:
            cz.check_srs(a.srs, c.logrows)
        except cz.SrsError as e:
            raise Failed(f"--srs: {e}") from None
        srs, origin = a.srs, cz.supplied_srs_origin(a.srs)
    else:
        srs, origin = cz.srs_for(c.logrows), cz.GENERATED_SRS_ORIGIN
    keys = cz.keys_for(c, srs)
    record["setup_ms"] += ms(t)
    record["keys"] = "generated" if keys.generated or c.generated else "cache"
    # The prover cannot vouch for its own setup: a supplied SRS is trusted only by a verifier who checks it (--trusted-srs).
    record["setup_trust"] = {"srs_sha256": keys.srs_sha256, "srs_origin": origin, "trusted": False}
    with tempfile.TemporaryDirectory(prefix="zkml-ezkl-") as work:
        w, record["execute_ms"] = cz.timed(cz.witness, c, data.rows, work)
        exact_sums(w["outputs"][0], expected)
        w_path, p_path = os.path.join(work, "witness.json"), os.path.join(work, "proof.json")
        t = time.perf_counter()
        ezkl.prove(w_path, c.path("circuit.ezkl"), keys.pk, p_path, srs_path=srs)
        record["prove_ms"] = ms(t)
        with open(p_path) as f:
            proof_file.write(a.proof, json.load(f), data.n_samples, model.commitment, cz.EZKL_VERSION)
    # Everything a third party needs to verify it, beside it (outside every timer: file copies).
    bundle.write(a.proof, c, keys, origin)
    record["proof_path"], record["proof_bytes"] = a.proof, os.path.getsize(a.proof)
    # Verified once with the prover's own keys, as a verifier would, so verify_ms is always measured.
    expected_data = cz.data_commitment(data.rows)
    t = time.perf_counter()
    header, proof = read_proof(a.proof, model.commitment)
    check(header, proof, c, keys, expected_data, record, model)
    record["verify_ms"] = ms(t)
    # No strict_length here: this file is the one just written, not one received.


def verify(a, record: dict) -> None:
    model_commitment, data_commitment = a.model_commitment.lower(), a.data_commitment.lower()
    header, proof = read_proof(a.proof, model_commitment)
    record["proof_path"], record["proof_bytes"] = a.proof, os.path.getsize(a.proof)
    t = time.perf_counter()
    c, keys, model = verifier_keys(a.verifier or bundle.default_dir(a.proof), header, model_commitment, a.trusted_srs, record)
    record["setup_ms"] += ms(t)
    t = time.perf_counter()
    check(header, proof, c, keys, data_commitment, record, model)
    record["verify_ms"] = ms(t)
    strict_length(header, proof, c, keys)  # outside verify_ms (host_ms has it)


def read_proof(path: str, model_commitment: str) -> tuple[dict, bytes]:
    """The proof file, in the one encoding the prover writes, naming the expected model."""
    try:
        header, proof = proof_file.read(path)
    except OSError as e:
        raise Failed(f"proof {path}: {e.strerror}") from None
    except proof_file.ProofFileError as e:
        raise Failed(str(e)) from None
    if header["model_commitment"] != model_commitment:
        raise Failed(
            f"model commitment mismatch: the proof names model {header['model_commitment']}, expected {model_commitment}"
        )
    if header["ezkl_version"] != cz.EZKL_VERSION:
        raise Failed(
            f"the proof was made with EZKL {header['ezkl_version']}; this host verifies EZKL {cz.EZKL_VERSION} proofs "
            "(the circuit and its keys depend on the version)"
        )
    return header, proof


def verifier_keys(d: str, header: dict, model_commitment: str, trusted_srs: str | None, record: dict):
    """The verifier's circuit and verifying key, from the published bundle at `d`
    and nothing else: its model.bin must be the expected model, its circuit is
    compiled here with our graph code, its verifying key must be the one that
    circuit has with the bundle's SRS (derived here, cached per circuit and SRS
    digest), and that SRS is trusted only if it is byte-identical to trusted_srs."""
    try:
        b = bundle.read(d)
    except bundle.BundleError as e:
        raise Failed(str(e)) from None
    m, n = b.manifest, header["n"]
    if m["ezkl_version"] != cz.EZKL_VERSION or m["graph_version"] != GRAPH_VERSION:
        raise Failed(
            f"{d} was made by EZKL {m['ezkl_version']} with graph version {m['graph_version']}; this host compiles "
            f"the circuit with EZKL {cz.EZKL_VERSION} and graph version {GRAPH_VERSION}"
        )
    if m["n"] != n:
        raise Failed(f"{d} is the bundle of a circuit over n={m['n']}; the proof is over n={n}")
    model_digest = b.manifest["files"]["model.bin"]
    if model_digest != model_commitment:
        raise Failed(f"the bundle's model.bin is not model {model_commitment} (its SHA-256 is {model_digest})")
    trusted = False
    origin = m["srs_origin"]
    if trusted_srs is not None:
        try:
            trusted_digest = cz.file_sha256(trusted_srs)
        except OSError as e:
            raise Failed(f"--trusted-srs {trusted_srs}: {e.strerror}") from None
        record["setup_trust"] = {"srs_sha256": b.srs_sha256, "srs_origin": origin, "trusted": False}
        if trusted_digest != b.srs_sha256:
            raise Failed(
                f"the bundle's SRS is not the trusted SRS {trusted_srs}: its SHA-256 is {b.srs_sha256}, "
                f"the trusted file's {trusted_digest}"
            )
        trusted = True
        origin = (
            f"the verifier's trusted SRS {os.path.basename(trusted_srs)} (byte-identical; the prover says: {m['srs_origin']})"
        )
    record["setup_trust"] = {"srs_sha256": b.srs_sha256, "srs_origin": origin, "trusted": trusted}
    with open(b.path("model.bin"), "rb") as f:
        try:
            model = spec.parse_model(f.read())
        except spec.SpecError as e:
            raise Failed(f"the bundle's model.bin is not a valid model: {e}") from None
    c = cz.circuit_for(model, n)
    if m["logrows"] != c.logrows:
        raise Failed(f"the bundle says 2^{m['logrows']} rows; model {model_commitment} at n={n} compiles to 2^{c.logrows}")
    with open(b.path("settings.json")) as f:
        try:
            published = json.load(f)
        except ValueError as e:
            raise Failed(f"the bundle's settings.json is not JSON ({e})") from None
    if _settings_key(published) != _settings_key(c.settings):
        raise Failed(f"the bundle's settings.json is not the settings model {model_commitment} compiles to at n={n}")
    try:
        cz.check_srs(b.path("srs"), c.logrows)
    except cz.SrsError as e:
        raise Failed(f"the bundle's {e}") from None
    keys = cz.vk_for(c, b.path("srs"), b.srs_sha256)
    record["keys"] = "generated" if keys.generated or c.generated else "cache"
    derived = cz.file_sha256(keys.vk)
    if derived != m["files"]["vk.key"]:
        raise Failed(
            f"the published verifying key is not the key model {model_commitment} compiles to (n={n}, with the "
            f"bundle's SRS): the bundle's vk.key has SHA-256 {m['files']['vk.key']}, the derived one {derived}"
        )
    return c, keys, model


def _settings_key(settings) -> str:
    """EZKL's settings as compared: without the timestamp compile_circuit stamps them with."""
    if not isinstance(settings, dict):
        return json.dumps(settings)
    return json.dumps({k: v for k, v in cz.canonical_settings(settings).items() if k != "timestamp"}, sort_keys=True)


def check(
    header: dict, proof: bytes, c: cz.Circuit, keys: cz.Keys, data_commitment: str, record: dict, model: spec.Model
) -> None:
    """The verifier's side: the proof must verify under the verifying key of the
    expected model's circuit, and its data hash must be the expected one."""
    record["program_id"] = cz.file_sha256(keys.vk)
    with tempfile.TemporaryDirectory(prefix="zkml-ezkl-") as work:
        ok, error = cz.verifies(header, proof, c.path("settings.json"), keys.vk, keys.srs, work)
    if not ok:
        why = f": {error}" if error else ""
        raise Failed(f"the proof does not verify against model {header['model_commitment']}'s circuit (n={header['n']}){why}")
    if header["instances"][0] != data_commitment:
        raise Failed(f"data commitment mismatch: the proof commits to {header['instances'][0]}, expected {data_commitment}")
    set_output(record, model, header["n"], c, header["instances"])


def strict_length(header: dict, proof: bytes, c: cz.Circuit, keys: cz.Keys) -> None:
    """A verified proof file must end where EZKL's verifier stops reading (proof_file.py)."""
    with tempfile.TemporaryDirectory(prefix="zkml-ezkl-") as work:
        used = cz.proof_length(header, proof, c.path("settings.json"), keys.vk, keys.srs, work)
    if used < len(proof):
        extra = len(proof) - used
        twice = " (the proof bytes twice)" if proof[used:] == proof[:used] else ""
        raise Failed(
            f"{extra} byte{'s' if extra != 1 else ''} after the proof{twice}: EZKL's verifier reads {used} of the file's {len(proof)} proof bytes; "
            "this host accepts only the proof as the prover writes it"
        )


def commit(a) -> dict:
    if a.testset:
        with open(a.testset, "rb") as f:
            data = spec.parse_testset(f.read())
    else:
        with open(a.input, "rb") as f:
            data = spec.parse_input(f.read())[1]
    return {
        "commitment_scheme": "poseidon",
        "data_commitment": cz.data_commitment(data.rows),
        "n_samples": data.n_samples,
        "what": "EZKL's Poseidon hash of the test set's values (row by row, x then y, as field elements at scale 0)",
    }


COMMANDS = {"execute": execute, "prove": prove, "verify": verify}


def answer(argv: list) -> dict:
    """One command's record; never raises."""
    start = time.perf_counter()
    record = new_record(argv[0] if argv and argv[0] in COMMANDS else "serve")
    try:
        a = parser().parse_args(argv)
        if a.command not in COMMANDS:
            raise Refused(f"bad request: {a.command} is not a request to a serving host")
        record["command"] = a.command
        record["proof_kind"] = "single" if a.command in ("prove", "verify") else None
        COMMANDS[a.command](a, record)
        record["ok"], record["exit_code"] = True, 0
    except Refused as e:
        record["error"], record["exit_code"] = str(e), 2
    except Failed as e:
        record["error"], record["exit_code"] = str(e), 1
    except spec.SpecError as e:
        record["error"], record["exit_code"] = f"invalid input: {e}", 1
    except Exception as e:  # noqa: BLE001 (an EZKL error: the run failed, the record says why)
        traceback.print_exc()
        record["error"], record["exit_code"] = f"{type(e).__name__}: {e}", 1
    except BaseException as e:  # a Rust panic inside EZKL (pyo3's PanicException is not an Exception)
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        traceback.print_exc()
        record["error"], record["exit_code"] = f"EZKL panicked: {e}", 1
    record["host_ms"] = ms(start)
    return record
