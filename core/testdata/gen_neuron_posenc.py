#!/usr/bin/env python3
"""Known-answer vectors for core.Neuron and core.PositionalEncoding.

Generated once with CPython's math module (the published formulas), committed
as neuron_posenc.json; the Go tests never run Python.
    python3 core/testdata/gen_neuron_posenc.py > core/testdata/neuron_posenc.json
"""
import json
import math

def act(f, z):
    return {
        "sigmoid": lambda z: 1 / (1 + math.exp(-z)),
        "step": lambda z: 1.0 if z >= 0 else 0.0,
        "tanh": math.tanh,
        "relu": lambda z: max(0.0, z),
        "linear": lambda z: z,
    }[f](z)

neurons = []
cases = [
    ([0.5, 1], [2, 3], -1, "sigmoid"),
    ([0.5, 1], [2, 3], -1, "step"),
    ([0.5, 1], [2, 3], -5, "step"),
    ([0.2, -0.4, 0.9], [1.5, 2, -0.3], 0.1, "tanh"),
    ([1, 1, 1, 1], [-1, -2, 0.5, 0.25], 0, "relu"),
    ([-3], [7], 2.5, "linear"),
    ([0.1] * 10, [float(i) for i in range(10)], -4.5, "sigmoid"),
    ([30], [1], 0, "sigmoid"),
    ([-40], [1], 0, "sigmoid"),
]
for w, x, b, f in cases:
    s = math.fsum(wi * xi for wi, xi in zip(w, x))
    neurons.append({"w": w, "x": x, "b": b, "f": f, "sum": s, "z": s + b,
                    "y": act(f, s + b), "y_no_bias": act(f, s)})

posenc = []
for n, d in [(10, 16), (4, 2), (32, 64)]:
    rows = []
    for pos in range(n):
        row = []
        for i in range(d // 2):
            a = pos / 10000 ** (2 * i / d)
            row += [math.sin(a), math.cos(a)]
        rows.append(row)
    posenc.append({"n": n, "d": d, "pe": rows})

print(json.dumps({"neuron": neurons, "posenc": posenc}))
