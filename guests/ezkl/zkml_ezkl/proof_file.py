"""The proof file: what EZKL's verifier needs, in a compact binary container.

  b"ZKMLEZKL" ‖ u32 LE header length ‖ header (JSON) ‖ proof bytes
header: {"ezkl_version", "n", "model_commitment", "instances": [felt hex, ...]},
exactly as `header_bytes` writes it (key order, separators, lowercase hex).
instances are EZKL's public inputs in its order: the Poseidon hash of the test
set, then the four sums. The proof bytes are EZKL's own (its proof JSON spells
them as a list of numbers, several times over; here they are raw, so
proof_bytes is the proof's real size). Nothing in the header is trusted:
n and model_commitment only select the circuit (a wrong choice cannot
verify), and the instances are checked by the proof.

`read` accepts only the encoding `write` produces: a header that is not the
canonical JSON of its values (another key order, spacing, escapes, number
spelling, extra keys, uppercase or non-reduced field elements) is rejected. The
proof bytes are EZKL's halo2 transcript, whose verifier ignores bytes after the
ones it reads; whether any follow is checked against the verifier
(`circuit.trailing_bytes`), since only the circuit fixes the proof's length."""

import json
import re
import struct

MAGIC = b"ZKMLEZKL"
PREFIX = len(MAGIC) + 4
# BN254's scalar field: every public input is one of its elements.
FIELD_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617
HEX32 = re.compile(r"[0-9a-f]{64}")
N_INSTANCES = 5


class ProofFileError(ValueError):
    pass


def header_bytes(ezkl_version: str, n: int, model_commitment: str, instances: list) -> bytes:
    """The one encoding of a header (what `write` writes and `read` requires)."""
    return json.dumps(
        {"ezkl_version": ezkl_version, "n": n, "model_commitment": model_commitment, "instances": instances}
    ).encode()


def write(path: str, ezkl_proof: dict, n: int, model_commitment: str, ezkl_version: str) -> None:
    header = header_bytes(ezkl_version, n, model_commitment, ezkl_proof["instances"][0])
    with open(path, "wb") as f:
        f.write(MAGIC + struct.pack("<I", len(header)) + header + bytes(ezkl_proof["proof"]))


def read(path: str) -> tuple[dict, bytes]:
    """(header, proof bytes); raises ProofFileError naming what is not as `write` makes it."""
    with open(path, "rb") as f:
        b = f.read()
    return parse(b, path)


def parse(b: bytes, path: str = "the proof file") -> tuple[dict, bytes]:
    if len(b) < PREFIX or not b.startswith(MAGIC):
        raise ProofFileError(f"{path} is not an EZKL proof of zkml-bench")
    (size,) = struct.unpack("<I", b[len(MAGIC) : PREFIX])
    if size > len(b) - PREFIX:
        raise ProofFileError(f"{path}: the header length field says {size} bytes, but only {len(b) - PREFIX} follow it")
    raw = b[PREFIX : PREFIX + size]
    try:
        header = json.loads(raw)
    except ValueError as e:
        raise ProofFileError(f"{path}: damaged header ({e})") from None
    if not isinstance(header, dict) or sorted(header) != sorted(["ezkl_version", "n", "model_commitment", "instances"]):
        keys = sorted(header) if isinstance(header, dict) else type(header).__name__
        raise ProofFileError(f"{path}: damaged header (fields {keys}, expected ezkl_version, n, model_commitment, instances)")
    version, n, model, instances = header["ezkl_version"], header["n"], header["model_commitment"], header["instances"]
    if not isinstance(version, str):
        raise ProofFileError(f"{path}: damaged header (ezkl_version is not a string)")
    if type(n) is not int or n < 1:
        raise ProofFileError(f"{path}: damaged header (n = {n!r} is not a positive integer)")
    if not isinstance(model, str) or not HEX32.fullmatch(model):
        raise ProofFileError(f"{path}: damaged header (model_commitment is not 64 lowercase hex digits)")
    if not isinstance(instances, list) or len(instances) != N_INSTANCES:
        count = len(instances) if isinstance(instances, list) else "no list of"
        raise ProofFileError(f"{path}: {count} public inputs, expected {N_INSTANCES} (data hash and four sums)")
    for i, felt in enumerate(instances):
        if not isinstance(felt, str) or not HEX32.fullmatch(felt):
            raise ProofFileError(f"{path}: public input {i} is not 64 lowercase hex digits (a field element, little-endian)")
        if int.from_bytes(bytes.fromhex(felt), "little") >= FIELD_MODULUS:
            raise ProofFileError(f"{path}: public input {i} is not a reduced field element (≥ the BN254 scalar modulus)")
    if header_bytes(version, n, model, instances) != raw:
        raise ProofFileError(
            f"{path}: the header is not in the canonical form the prover writes (same values, other JSON bytes: "
            "re-serialized or edited); this host accepts only that encoding"
        )
    proof = b[PREFIX + size :]
    if not proof:
        raise ProofFileError(f"{path}: no proof bytes after the header")
    return {"ezkl_version": version, "n": n, "model_commitment": model, "instances": instances}, proof


def ezkl_json(header: dict, proof: bytes) -> dict:
    """EZKL's proof JSON for its verifier."""
    return {
        "protocol": None,
        "instances": [header["instances"]],
        "proof": list(proof),
        "hex_proof": None,
        "split": None,
        "pretty_public_inputs": None,
        "timestamp": None,
        "version": header["ezkl_version"],
    }
