#!/usr/bin/env python3
"""Tables of the std-vs-nostd experiment from results/*.jsonl (./run.sh summary).

Fixed and per-sample cycles: least squares over the executed sizes (as
docs/guest-efficiency.md fits them); the exact counts are in the second table.
Prove and verify times: median of the reps, with the range when there are more
than one."""

import collections
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ZKVMS = {"risc0": "RISC Zero 3.0.6", "openvm": "OpenVM 2.0.2", "sp1": "SP1 6.10.0"}
MODELS = {"ridge": "ridge (affine)", "poly2": "poly-ridge deg 2", "poly3": "poly-ridge deg 3"}
KIND = {"nostd": "no_std", "std": "std", "std-io": "std + read_to_end"}


def rows(pattern):
    out = []
    for path in sorted(glob.glob(os.path.join(HERE, "results", pattern))):
        with open(path) as f:
            out += [json.loads(line) for line in f if line.startswith("{")]
    return out


def fit(points):
    n = len(points)
    sx = sum(x for x, _ in points)
    sy = sum(y for _, y in points)
    sxx = sum(x * x for x, _ in points)
    sxy = sum(x * y for x, y in points)
    slope = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    return (sy - slope * sx) / n, slope


def spread(values, digits):
    """The fastest run (the least disturbed on a shared machine), then every run."""
    if not values:
        return "–"
    values = sorted(values)
    if len(values) == 1:
        return f"{values[0]:,.{digits}f}"
    return f"{values[0]:,.{digits}f} ({', '.join(f'{v:,.{digits}f}' for v in values)})"


def main():
    executed = rows("*-execute.jsonl")
    proved = rows("*-prove.jsonl")
    elf = {}
    cycles = collections.defaultdict(dict)  # (zkvm, guest, model) -> {n: row}
    errors = {}
    for r in executed:
        if "elf_bytes" in r:
            elf[r["guest"]] = r["elf_bytes"]
        if r.get("mode") != "execute" or "input" not in r:
            continue
        model, n = r["input"].rsplit("-n", 1)
        if "error" in r:
            errors[r["guest"]] = r["error"]
            continue
        cycles[(r["zkvm"], r["guest"], model)][int(n)] = r
    proofs = collections.defaultdict(list)  # (guest, model, n) -> rows
    for r in proved:
        if r.get("mode") == "prove" and "prove_s" in r:
            model, n = r["input"].rsplit("-n", 1)
            proofs[(r["guest"], model, int(n))].append(r)
    prove_sizes = sorted({n for (_, _, n) in proofs})

    head = ["zkVM", "model", "guest", "ELF KiB", "fixed cycles", "cycles / sample"]
    for n in prove_sizes:
        head += [f"prove s, n = {n:,}", f"verify ms, n = {n:,}"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    order = lambda k: (list(ZKVMS).index(k[0]), list(MODELS).index(k[2]), list(KIND).index(k[1].split("-", 1)[1]))
    for key in sorted(cycles, key=order):
        z, guest, model = key
        fixed, per = fit([(n, r["user_cycles"]) for n, r in cycles[key].items()])
        cells = [
            ZKVMS[z],
            MODELS[model],
            KIND[guest.split("-", 1)[1]],
            f"{elf[guest] / 1024:.1f}",
            f"{fixed:,.0f}",
            f"{per:,.1f}",
        ]
        for n in prove_sizes:
            runs = proofs.get((guest, model, n), [])
            cells += [spread([r["prove_s"] for r in runs], 1), spread([r["verify_ms"] for r in runs], 1)]
        print("| " + " | ".join(cells) + " |")

    sizes = sorted({n for v in cycles.values() for n in v})
    print()
    head = ["zkVM", "model", "guest"] + [f"n = {n:,}" for n in sizes] + ["std − no_std"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for key in sorted(cycles, key=order):
        z, guest, model = key
        counts = cycles[key]
        base = cycles.get((z, f"{z}-nostd", model), {})
        cell = []
        for n in sizes:
            r = counts.get(n)
            if r is None:
                cell.append("–")
                continue
            extra = (
                f" ({r['total_cycles']:,} padded, {r['segments']} seg.)"
                if "total_cycles" in r
                else (f" ({r['segments']} seg.)" if "segments" in r else "")
            )
            cell.append(f"{r['user_cycles']:,}{extra}")
        diffs = sorted({counts[n]["user_cycles"] - base[n]["user_cycles"] for n in sizes if n in counts and n in base})
        diff = (
            "–"
            if guest.endswith("nostd")
            else (f"{diffs[0]:+,} at every n" if len(diffs) == 1 else ", ".join(f"{d:+,}" for d in diffs))
        )
        print("| " + " | ".join([ZKVMS[z], MODELS[model], KIND[guest.split("-", 1)[1]]] + cell + [diff]) + " |")
    for guest, error in sorted(errors.items()):
        print(f"\n{guest}: {error}")

    # Proofs run back to back, guest after guest: the same machine load for
    # each round, so the ratio to the no_std guest's time is the fairer figure.
    # Trace: RISC Zero's padded cycles (what it proves) and segments; OpenVM's
    # cycles and segments; SP1's cycles and shards.
    print()
    head = ["zkVM", "input", "round", "guest", "trace: cycles / segments", "prove s", "× no_std", "verify ms", "load (1 min)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    rounds = collections.OrderedDict()
    for path in sorted(glob.glob(os.path.join(HERE, "results", "*-prove.jsonl"))):
        block = 0
        with open(path) as f:
            for line in f:
                if not line.startswith("{"):
                    continue  # what a guest printed (OpenVM's std-io guest: "sys_read is todo")
                r = json.loads(line)
                if "src_rev" in r:
                    block += 1
                if r.get("mode") == "prove" and "prove_s" in r:
                    rounds.setdefault((r["zkvm"], r["input"], block, r["rep"]), []).append(r)
    numbered = collections.Counter()
    for (z, inp, block, rep), runs in sorted(
        rounds.items(),
        key=lambda kv: (
            list(ZKVMS).index(kv[0][0]),
            int(kv[0][1].rsplit("-n", 1)[1]),
            list(MODELS).index(kv[0][1].rsplit("-n", 1)[0]),
            kv[0][2],
            kv[0][3],
        ),
    ):
        numbered[(z, inp)] += 1
        base = next((r["prove_s"] for r in runs if r["guest"].endswith("-nostd")), None)
        for r in runs:
            size = (
                f"{r['total_cycles']:,} / {r['segments']}"
                if "total_cycles" in r
                else (f"{r['user_cycles']:,} / {r.get('proof_segments', r.get('shards'))}")
            )
            ratio = f"{r['prove_s'] / base:.2f}" if base else "–"
            print(
                "| "
                + " | ".join(
                    [
                        ZKVMS[z],
                        inp,
                        str(numbered[(z, inp)]),
                        KIND[r["guest"].split("-", 1)[1]],
                        size,
                        f"{r['prove_s']:.1f}",
                        ratio,
                        f"{r['verify_ms']:.1f}",
                        str(r["load1"]),
                    ]
                )
                + " |"
            )


if __name__ == "__main__":
    sys.exit(main())
