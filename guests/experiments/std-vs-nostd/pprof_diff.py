#!/usr/bin/env python3
"""Where two RISC Zero guests' cycles differ, from their pprof profiles
(RISC0_PPROF_OUT): ./run.sh profile-risc0. No pprof tool needed (a minimal
reader of the profile protobuf). Crate hashes are stripped from the names so
the same function in two builds compares as one.

  pprof_diff.py A.pb B.pb [FUNCTION]   self cycles per function that differ (B - A),
                                       and B's call stacks through FUNCTION if given"""

import collections
import gzip
import re
import sys


def varint(b, i):
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i


def fields(b):
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        f, t = key >> 3, key & 7
        if t == 0:
            v, i = varint(b, i)
        elif t == 2:
            n, i = varint(b, i)
            v, i = b[i : i + n], i + n
        elif t == 1:
            v, i = b[i : i + 8], i + 8
        elif t == 5:
            v, i = b[i : i + 4], i + 4
        else:
            raise ValueError(f"wire type {t}")
        yield f, t, v


def ints(v, t):
    if t == 0:
        return [v]
    out, i = [], 0
    while i < len(v):
        x, i = varint(v, i)
        out.append(x)
    return out


def load(path):
    """Samples as (stack of function names, leaf first; cycles)."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    samples, locations, functions, strings = [], {}, {}, []
    for f, t, v in fields(raw):
        if f == 2:  # Sample: location ids, values
            ids, values = [], []
            for g, tt, w in fields(v):
                if g == 1:
                    ids += ints(w, tt)
                elif g == 2:
                    values += ints(w, tt)
            samples.append((ids, values[0]))
        elif f == 4:  # Location: id, lines (innermost inlined function first)
            lid, lines = None, []
            for g, _, w in fields(v):
                if g == 1:
                    lid = w
                elif g == 4:
                    lines.append({h: x for h, _, x in fields(w)}.get(1))
            locations[lid] = lines
        elif f == 5:  # Function: id, name
            d = {h: x for h, _, x in fields(v)}
            functions[d.get(1)] = d.get(2, 0)
        elif f == 6:
            strings.append(v.decode(errors="replace"))
    name = lambda fid: re.sub(r"\[[0-9a-f]+\]", "", strings[functions[fid]])
    return [([name(fid) for lid in ids for fid in locations.get(lid, [])], cycles) for ids, cycles in samples]


def main():
    a, b = load(sys.argv[1]), load(sys.argv[2])
    flat = lambda samples: (
        collections.Counter({s[0][0]: 0 for s in samples if s[0]})
        + sum((collections.Counter({stack[0]: cycles}) for stack, cycles in samples if stack), collections.Counter())
    )
    fa, fb = flat(a), flat(b)
    total_a, total_b = sum(c for _, c in a), sum(c for _, c in b)
    print(f"cycles in the profile (user + paging): {total_a:,} vs {total_b:,} ({total_b - total_a:+,})")
    print(f"{'A':>8} {'B':>8} {'B - A':>8}  function (self cycles)")
    for n in sorted(set(fa) | set(fb), key=lambda n: (-abs(fb[n] - fa[n]), n)):
        if fa[n] != fb[n]:
            print(f"{fa[n]:8,} {fb[n]:8,} {fb[n] - fa[n]:+8,}  {n[:150]}")
    if len(sys.argv) > 3:
        print(f"\nB's stacks through {sys.argv[3]} (leaf first):")
        seen = collections.Counter()
        for stack, cycles in b:
            if any(sys.argv[3] in n for n in stack):
                seen[" <- ".join(n[:60] for n in stack)] += cycles
        for k, c in seen.most_common():
            print(f"{c:8,}  {k}")


if __name__ == "__main__":
    main()
