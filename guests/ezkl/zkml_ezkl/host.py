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
  Poseidon; the record's sha is null."""
import argparse
import json
import os
import shutil
import tempfile
import time
import traceback

import ezkl

from . import circuit as cz
from . import proof_file, spec
from .graph import POLYNOMIAL_REFUSED, Refused

STARTED = time.perf_counter()
ZKVM, LABEL = "ezkl", "EZKL"
PROOF_KINDS = [{"kind": "single", "what": "one halo2 proof (KZG commitments on BN254) of the whole circuit, verified natively"}]
REFUSED_KINDS = [{"kind": "evm", "why": "an EVM verifier contract needs solc and a chain to deploy to; the proof itself is the same"}]


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
        "ok": False, "error": None, "command": command, "zkvm": ZKVM, "zkvm_version": cz.EZKL_VERSION,
        "proof_kind": "single" if command in ("prove", "verify") else None, "sha": None, "dev_mode": False,
        "program_id": "", "input_bytes": None, "total_cycles": None, "user_cycles": None, "segments": None,
        "execute_ms": None, "prove_ms": None, "verify_ms": None, "proof_path": None, "proof_bytes": None,
        "peak_rss_bytes": 0, "peak_rss_scope": "process", "setup_ms": 0.0, "keys": None, "host_ms": 0.0,
        "public_output_hex": None, "public_output": None, "score": None, "exit_code": 1,
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
    v = sub.add_parser("verify")
    v.add_argument("--proof", required=True)
    v.add_argument("--model-commitment", required=True)
    v.add_argument("--data-commitment", required=True)
    c = sub.add_parser("commit", help="the data owner's Poseidon commitment of a test set")
    src = c.add_mutually_exclusive_group(required=True)
    src.add_argument("--input", help="input.bin")
    src.add_argument("--testset", help="testset.bin")
    sub.add_parser("serve")
    sub.add_parser("info")
    return p


def info() -> dict:
    return {"zkvm": ZKVM, "label": LABEL, "zkvm_version": cz.EZKL_VERSION, "isa": "halo2 circuit (PLONKish, BN254)",
            "proof_kinds": PROOF_KINDS, "refused_kinds": REFUSED_KINDS,
            "commitment_scheme": "poseidon", "refused_model_kinds": [{"kind": "polynomial", "why": POLYNOMIAL_REFUSED}],
            # The prover is PyPI's ezkl wheel, compiled by its publishers: no flags of ours.
            "build": {"rustflags": None, "target_cpu": None, "target_features": []}}


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
    t = time.perf_counter()
    c = cz.circuit_for(model, data.n_samples)
    record["setup_ms"] += ms(t)
    record["program_id"] = cz.file_sha256(c.path("circuit.ezkl"))
    with tempfile.TemporaryDirectory(prefix="zkml-ezkl-") as work:
        w, record["execute_ms"] = cz.timed(cz.witness, c, data.rows, work)
    set_output(record, model, data.n_samples, c, w["processed_inputs"]["poseidon_hash"] + w["outputs"][0])


def prove(a, record: dict) -> None:
    if a.kind not in [k["kind"] for k in PROOF_KINDS]:
        known = {k["kind"]: k["why"] for k in REFUSED_KINDS}
        if a.kind in known:
            raise Refused(f"proof kind {a.kind} is not available here: {known[a.kind]}")
        raise Refused(f"unknown proof kind {a.kind} (available: {', '.join(k['kind'] for k in PROOF_KINDS)})")
    model, data = read_input(a.input, record)
    t = time.perf_counter()
    c = cz.circuit_for(model, data.n_samples)
    srs, generated = cz.keys_for(c)
    record["setup_ms"] += ms(t)
    record["keys"] = "generated" if generated or c.generated else "cache"
    with tempfile.TemporaryDirectory(prefix="zkml-ezkl-") as work:
        _, record["execute_ms"] = cz.timed(cz.witness, c, data.rows, work)
        w_path, p_path = os.path.join(work, "witness.json"), os.path.join(work, "proof.json")
        t = time.perf_counter()
        ezkl.prove(w_path, c.path("circuit.ezkl"), c.path("pk.key"), p_path, srs_path=srs)
        record["prove_ms"] = ms(t)
        with open(p_path) as f:
            proof_file.write(a.proof, json.load(f), data.n_samples, model.commitment, cz.EZKL_VERSION)
    record["proof_path"], record["proof_bytes"] = a.proof, os.path.getsize(a.proof)
    # Verified once, as a verifier would, so verify_ms is always measured.
    expected_data = cz.data_commitment(data.rows)
    t = time.perf_counter()
    check(a.proof, model.commitment, expected_data, record, model)
    record["verify_ms"] = ms(t)


def verify(a, record: dict) -> None:
    t = time.perf_counter()
    check(a.proof, a.model_commitment.lower(), a.data_commitment.lower(), record, None)
    record["verify_ms"] = ms(t)
    record["proof_path"], record["proof_bytes"] = a.proof, os.path.getsize(a.proof)


def check(path: str, model_commitment: str, data_commitment: str, record: dict, model: spec.Model | None) -> None:
    """The verifier's side: the proof must verify under the verifying key of the
    expected model's circuit, and its data hash must be the expected one."""
    try:
        header, proof = proof_file.read(path)
    except OSError as e:
        raise Failed(f"proof {path}: {e.strerror}") from None
    except proof_file.ProofFileError as e:
        raise Failed(str(e)) from None
    if header["model_commitment"] != model_commitment:
        raise Failed(f"model commitment mismatch: the proof names model {header['model_commitment']}, expected {model_commitment}")
    c = cz.cached_circuit(model_commitment, header["n"])
    if c is None:
        raise Failed(f"model commitment mismatch: no EZKL circuit of model {model_commitment} at n={header['n']} here "
                     f"(its keys are made from model.bin by `prove`, in {cz.cache_root()})")
    record["program_id"] = cz.file_sha256(c.path("vk.key"))
    record["keys"] = record["keys"] or "cache"
    srs = cz.srs_for(c.logrows)
    with tempfile.TemporaryDirectory(prefix="zkml-ezkl-") as work:
        j = os.path.join(work, "proof.json")
        with open(j, "w") as f:
            json.dump(proof_file.ezkl_json(header, proof), f)
        try:
            ok = ezkl.verify(j, c.path("settings.json"), c.path("vk.key"), srs_path=srs, reduced_srs=False)
        except Exception as e:  # EZKL raises on a malformed proof and returns False on a wrong one
            raise Failed(f"the proof does not verify against model {model_commitment}'s circuit (n={header['n']}): {e}") from None
        if not ok:
            raise Failed(f"the proof does not verify against model {model_commitment}'s circuit (n={header['n']})")
    if header["instances"][0] != data_commitment:
        raise Failed(f"data commitment mismatch: the proof commits to {header['instances'][0]}, expected {data_commitment}")
    if model is None:
        model = _model_of(c)
    set_output(record, model, header["n"], c, header["instances"])


def _model_of(c: cz.Circuit) -> spec.Model:
    """The model as the circuit was made from it (kept beside the circuit)."""
    with open(c.path("model.bin"), "rb") as f:
        return spec.parse_model(f.read())


def commit(a) -> dict:
    if a.testset:
        with open(a.testset, "rb") as f:
            data = spec.parse_testset(f.read())
    else:
        with open(a.input, "rb") as f:
            data = spec.parse_input(f.read())[1]
    return {"commitment_scheme": "poseidon", "data_commitment": cz.data_commitment(data.rows), "n_samples": data.n_samples,
            "what": "EZKL's Poseidon hash of the test set's values (row by row, x then y, as field elements at scale 0)"}


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
    except Exception as e:  # an EZKL error: the run failed, the record says why
        traceback.print_exc()
        record["error"], record["exit_code"] = f"{type(e).__name__}: {e}", 1
    record["host_ms"] = ms(start)
    return record
