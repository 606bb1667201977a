#!/usr/bin/python3
"""Generate known-answer vectors for core/mt19937.go.

Run once with real CPython and numpy (Debian: apt-get install python3-numpy,
then /usr/bin/python3 core/testdata/gen_mt19937.py > core/testdata/mt19937.json).
Kept for provenance only; neurotutor itself never runs Python.

Floats are written with json (repr), which round-trips float64 exactly, so the
Go tests compare bit for bit.
"""

import json
import platform
import random
import sys

import numpy as np

N = 20

# (a, b) for random.randint(a, b): small, negative, a single value (which still
# consumes a draw), the 32-bit edge and ranges that need several 32-bit words.
PY_RANDINT = [
    (0, 9), (1, 6), (-5, 5), (7, 7), (0, 2**32 - 1), (0, 2**32),
    (0, 2**40), (-(2**62), 2**62), (-(2**63), 2**63 - 1), (0, 1000000),
]

# (low, high) for np.random.randint(low, high), high exclusive: masked
# rejection on 32-bit draws while high-1-low < 2**32, 64-bit draws above.
NP_RANDINT = [
    (0, 10), (1, 7), (-5, 5), (0, 1), (0, 2), (0, 2**31), (0, 2**32 - 1),
    (0, 2**32), (0, 2**32 + 1), (0, 2**40), (-(2**62), 2**62),
    (-(2**63), 2**63 - 1), (0, 1000000),
]

PY_SEEDS = [0, 1, 42, 2**32 - 1, 2**32, 2**40 + 5, 2**64 - 1, 12345678901234567890]
NP_SEEDS = [0, 1, 42, 2**32 - 1, 12345]


def python_case(seed):
    r = random.Random()
    r.seed(seed)
    rand = [r.random() for _ in range(N)]
    r.seed(seed)
    bits = [{"k": k, "value": r.getrandbits(k)} for k in (1, 5, 31, 32, 33, 53, 64)]
    randint = []
    for a, b in PY_RANDINT:
        r.seed(seed)
        randint.append({"a": a, "b": b, "values": [r.randint(a, b) for _ in range(N)]})
    # Interleaved: random() and randint share one stream.
    r.seed(seed)
    mixed = []
    for i in range(3 * N):
        if i % 3 == 0:
            mixed.append({"op": "random", "float": r.random()})
        else:
            a, b = PY_RANDINT[i % len(PY_RANDINT)]
            mixed.append({"op": "randint", "a": a, "b": b, "int": r.randint(a, b)})
    return {"seed": seed, "random": rand, "getrandbits": bits, "randint": randint, "mixed": mixed}


def numpy_case(seed):
    np.random.seed(seed)
    rand = [float(np.random.rand()) for _ in range(N)]
    np.random.seed(seed)
    randn = [float(np.random.randn()) for _ in range(N)]
    randint = []
    for lo, hi in NP_RANDINT:
        np.random.seed(seed)
        randint.append({"low": lo, "high": hi, "values": [int(np.random.randint(lo, hi)) for _ in range(N)]})
    # Interleaved: the gauss cache survives rand() and randint() calls.
    np.random.seed(seed)
    mixed = []
    for i in range(3 * N):
        m = i % 5
        if m in (0, 2, 3):
            mixed.append({"op": "randn", "float": float(np.random.randn())})
        elif m == 1:
            mixed.append({"op": "rand", "float": float(np.random.rand())})
        else:
            lo, hi = NP_RANDINT[i % len(NP_RANDINT)]
            mixed.append({"op": "randint", "low": lo, "high": hi, "int": int(np.random.randint(lo, hi))})
    return {"seed": seed, "rand": rand, "randn": randn, "randint": randint, "mixed": mixed}


def main():
    out = {
        "generator": "core/testdata/gen_mt19937.py",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "python_random": [python_case(s) for s in PY_SEEDS],
        "numpy_legacy": [numpy_case(s) for s in NP_SEEDS],
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
