"""The verifier bundle: what a third party needs to check an EZKL proof, published beside it.

  <proof>.verifier/
    model.bin      the model the circuit was made from (its SHA-256 is the model commitment)
    settings.json  EZKL's settings of that circuit
    vk.key         the verifying key the proof was made for
    srs            the SRS (halo2 KZG parameters) the keys were made with
    verifier.json  the manifest: format, EZKL and graph versions, n, logrows,
                   model commitment, the SHA-256 of each file above, srs_origin

`prove` writes it (`write`); `verify` reads it (`read`) and trusts none of it:
the digests only catch a damaged bundle. What binds it is checked by the
verifier: model.bin must hash to the model commitment the verifier expects, the
verifying key must be the one that model's circuit compiles to with this SRS
(re-derived, host.py), and the SRS is trusted only if it is byte-identical to
one the verifier trusts (`--trusted-srs`). The SRS is a hard link to the
prover's cached one where they share a filesystem (never edit it in place:
replace the file), else a copy."""

import json
import os
import shutil
import tempfile
from dataclasses import dataclass

from . import circuit as cz
from . import graph

FORMAT, VERSION = "zkml-bench EZKL verifier bundle", 1
FILES = ("model.bin", "settings.json", "vk.key", "srs")
MANIFEST = "verifier.json"


class BundleError(ValueError):
    pass


def default_dir(proof_path: str) -> str:
    return proof_path + ".verifier"


@dataclass
class Bundle:
    dir: str
    manifest: dict

    def path(self, name: str) -> str:
        return os.path.join(self.dir, name)

    @property
    def srs_sha256(self) -> str:
        return self.manifest["files"]["srs"]


def write(proof_path: str, c: "cz.Circuit", keys: "cz.Keys", srs_origin: str) -> str:
    """Writes <proof_path>.verifier/ (replacing an old one) and returns its path."""
    final = default_dir(proof_path)
    parent = os.path.dirname(os.path.abspath(final))
    tmp = tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(final)}.tmp-")
    try:
        shutil.copyfile(c.path("model.bin"), os.path.join(tmp, "model.bin"))
        shutil.copyfile(c.path("settings.json"), os.path.join(tmp, "settings.json"))
        shutil.copyfile(keys.vk, os.path.join(tmp, "vk.key"))
        _link_or_copy(keys.srs, os.path.join(tmp, "srs"))
        files = {name: cz.file_sha256(os.path.join(tmp, name)) for name in FILES if name != "srs"}
        files["srs"] = keys.srs_sha256
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "ezkl_version": cz.EZKL_VERSION,
            "graph_version": graph.GRAPH_VERSION,
            "n": c.n,
            "logrows": c.logrows,
            "model_commitment": c.model_commitment,
            "files": files,
            "srs_origin": srs_origin,
        }
        with open(os.path.join(tmp, MANIFEST), "w") as f:
            json.dump(manifest, f, indent=2)
            f.write("\n")
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700
        cz._replace_dir(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another filesystem, or one without hard links
        shutil.copyfile(src, dst)


def read(d: str) -> Bundle:
    """The bundle at `d`, its files checked against its manifest."""
    if not os.path.isdir(d):
        raise BundleError(
            f"no verifier bundle at {d}: `prove --proof P` writes it beside the proof as P.verifier/ "
            "(model.bin, settings.json, vk.key, srs, verifier.json); pass --verifier DIR where it is elsewhere"
        )
    try:
        with open(os.path.join(d, MANIFEST)) as f:
            m = json.load(f)
    except OSError as e:
        raise BundleError(f"{d} is not a verifier bundle: {MANIFEST}: {e.strerror}") from None
    except ValueError as e:
        raise BundleError(f"{d}: damaged {MANIFEST} ({e})") from None
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise BundleError(f"{d}: {MANIFEST} is not the manifest of a {FORMAT}")
    if m.get("version") != VERSION:
        raise BundleError(f"{d}: bundle version {m.get('version')!r}, this host reads version {VERSION}")
    files = m.get("files")
    ok = (
        isinstance(m.get("ezkl_version"), str)
        and type(m.get("graph_version")) is int
        and type(m.get("n")) is int
        and type(m.get("logrows")) is int
        and isinstance(m.get("model_commitment"), str)
        and isinstance(m.get("srs_origin"), str)
        and isinstance(files, dict)
        and all(isinstance(files.get(name), str) for name in FILES)
    )
    if not ok:
        raise BundleError(
            f"{d}: damaged {MANIFEST} (expected ezkl_version, graph_version, n, logrows, model_commitment, "
            f"srs_origin and files with the SHA-256 of {', '.join(FILES)})"
        )
    for name in FILES:
        path = os.path.join(d, name)
        if not os.path.isfile(path):
            raise BundleError(f"{d}: the bundle has no {name}")
        digest = cz.file_sha256(path)
        if digest != files[name]:
            raise BundleError(f"{d}: {name} does not match the manifest (SHA-256 {digest}, the manifest says {files[name]})")
    return Bundle(d, m)
