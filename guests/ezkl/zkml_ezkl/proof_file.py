"""The proof file: what EZKL's verifier needs, in a compact binary container.

  b"ZKMLEZKL" ‖ u32 LE header length ‖ header (JSON) ‖ proof bytes
header: {"ezkl_version", "n", "model_commitment", "instances": [felt hex, ...]}.
instances are EZKL's public inputs in its order: the Poseidon hash of the test
set, then the four sums. The proof bytes are EZKL's own (its proof JSON spells
them as a list of numbers, several times over; here they are raw, so
proof_bytes is the proof's real size). Nothing in the header is trusted:
n and model_commitment only select the verifying key (a wrong choice cannot
verify), and the instances are checked by the proof."""
import json
import struct

MAGIC = b"ZKMLEZKL"


class ProofFileError(ValueError):
    pass


def write(path: str, ezkl_proof: dict, n: int, model_commitment: str, ezkl_version: str) -> None:
    header = json.dumps({"ezkl_version": ezkl_version, "n": n, "model_commitment": model_commitment,
                         "instances": ezkl_proof["instances"][0]}).encode()
    with open(path, "wb") as f:
        f.write(MAGIC + struct.pack("<I", len(header)) + header + bytes(ezkl_proof["proof"]))


def read(path: str) -> tuple[dict, bytes]:
    with open(path, "rb") as f:
        b = f.read()
    if not b.startswith(MAGIC) or len(b) < len(MAGIC) + 4:
        raise ProofFileError(f"{path} is not an EZKL proof of zkml-bench")
    (size,) = struct.unpack("<I", b[len(MAGIC):len(MAGIC) + 4])
    start = len(MAGIC) + 4
    try:
        header = json.loads(b[start:start + size])
        n, model, instances = int(header["n"]), str(header["model_commitment"]), [str(i) for i in header["instances"]]
    except (ValueError, KeyError, TypeError) as e:
        raise ProofFileError(f"{path}: damaged header ({e})") from None
    if len(instances) != 5:
        raise ProofFileError(f"{path}: {len(instances)} public inputs, expected 5 (data hash and four sums)")
    return {"ezkl_version": header.get("ezkl_version"), "n": n, "model_commitment": model, "instances": instances}, b[start + size:]


def ezkl_json(header: dict, proof: bytes) -> dict:
    """EZKL's proof JSON for its verifier."""
    return {"protocol": None, "instances": [header["instances"]], "proof": list(proof), "hex_proof": None,
            "split": None, "pretty_public_inputs": None, "timestamp": None, "version": header["ezkl_version"]}
