"""Realizers compared by the same objective measures, with time per plan: the trained model, the rule-based
baseline and random notes, on the held-out chorale plans (every fifth chorale exemplar, never trained on) or,
with `--corpus folk`, on the folk-song plans (a kind of piece the model never saw: other meters, a melody
over implied harmony).

    .venv/bin/python benchmarks/music_realizer.py [--plans N] [--corpus chorales|folk] [--weights FILE]

`--weights` measures other trained weights (from `genontology train music-realizer --out FILE`) instead of
the shipped ones.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import torch

from genontology.generators.music import evaluate, neural, realize
from genontology.generators.music.grid import build_grid
from genontology.schemas.music.corpus import chorale_exemplars, folk_exemplars

REALIZERS = ("model", "model unmended", "rules", "random")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=30)
    parser.add_argument("--corpus", choices=("chorales", "folk"), default="chorales")
    parser.add_argument(
        "--weights", type=Path, default=None, help="trained weights; default: the shipped ones"
    )
    args = parser.parse_args()
    if args.weights is not None and not args.weights.is_file():
        parser.error(f"no weights file at {args.weights}")  # else `realize` would quietly use the rules
    weights = args.weights or neural.packaged_weights()
    plans = (chorale_exemplars()[::5] if args.corpus == "chorales" else folk_exemplars())[: args.plans]
    rows: dict[str, list[dict[str, float]]] = {r: [] for r in REALIZERS}
    seconds: dict[str, list[float]] = {r: [] for r in REALIZERS}
    for i, plan in enumerate(plans):
        for name in REALIZERS:
            began = time.perf_counter()
            if name == "model unmended":  # the same sampling without the voice-leading mend
                grid = build_grid(plan)
                lines = neural.realize_model(neural.load(weights), grid, seed=i, mend=False)
            else:
                grid, lines = realize(plan, name, seed=i, weights=weights)  # type: ignore[arg-type]
            seconds[name].append(time.perf_counter() - began)
            rows[name].append(evaluate(plan, grid, lines))
    keys = list(rows["model"][0])
    report = torch.load(weights, map_location="cpu", weights_only=True)["report"]
    machine = platform.processor() or platform.machine()
    print(f"{len(plans)} {args.corpus} plans; {machine}, {os.cpu_count()} CPUs, torch {torch.__version__}")
    print(f"model: {report}")
    print("| measure (mean) | " + " | ".join(REALIZERS) + " |")
    print("|---|" + "---|" * len(REALIZERS))
    for key in keys:
        cells = [f"{statistics.mean(r[key] for r in rows[name]):.3f}" for name in REALIZERS]
        print(f"| {key} | " + " | ".join(cells) + " |")
    cells = [f"{statistics.median(seconds[name]) * 1000:.0f}" for name in REALIZERS]
    print("| median ms per plan | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
