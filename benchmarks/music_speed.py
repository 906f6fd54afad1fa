"""How fast the music realizer trains and generates, on the CPU and on CUDA when a GPU is present.

Training: the default model on the training data of `genontology train music-realizer` (all of it, or the
chorales among the first N corpus files), a few epochs; the first epoch is a warm-up and the median of the
others is reported.
Generation: the shipped weights realizing the held-out chorale plans, median milliseconds per plan (the beat
grid is built beforehand; the voice-leading mend included). Every device is measured in the same run, so the
ratios compare like with like.

    .venv/bin/python benchmarks/music_speed.py [--chorales N] [--epochs 4] [--plans 20]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import torch

from genontology.generators.music import neural
from genontology.generators.music.grid import build_grid
from genontology.schemas.music.corpus import chorale_exemplars


def _name(dev: torch.device) -> str:
    if dev.type == "cuda":
        return torch.cuda.get_device_name(dev)
    return f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"


def _sync(dev: torch.device) -> None:
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)


def train_seconds_per_epoch(rows: list[dict], epochs: int, dev: torch.device) -> float:
    stamps: list[float] = []

    def stamp(_: str) -> None:
        _sync(dev)
        stamps.append(time.perf_counter())

    began = time.perf_counter()
    neural.train(rows, epochs=epochs, seed=0, log=stamp, on=dev)
    durations = [b - a for a, b in zip([began, *stamps[:-1]], stamps, strict=True)]
    return statistics.median(durations[1:] or durations)


def generate_ms_per_plan(plans: list, dev: torch.device) -> float:
    model = neural.load().to(dev)
    grids = [build_grid(plan) for plan in plans]
    neural.realize_model(model, grids[0], seed=0)  # warm-up: kernels, allocator
    times = []
    for i, grid in enumerate(grids):
        _sync(dev)
        began = time.perf_counter()
        neural.realize_model(model, grid, seed=i)
        _sync(dev)
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chorales", type=int, default=None)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--plans", type=int, default=20)
    args = parser.parse_args()
    rows = neural.training_rows(args.chorales)
    if not rows or args.epochs < 1 or args.plans < 1:
        parser.error("needs at least one readable chorale (--chorales), one epoch and one plan")
    plans = list(chorale_exemplars()[::5][: args.plans])
    devices = [torch.device("cpu")] + ([torch.device("cuda")] if torch.cuda.is_available() else [])
    count = int(neural.windows(rows)["notes"].shape[0])
    print(
        f"{os.cpu_count()} CPUs, torch {torch.__version__}; {len(rows)} chorales ({count} windows), ", end=""
    )
    print(f"{len(plans)} plans")
    print("| device | train s/epoch (median) | windows/s | generate ms/plan (median) | CPU time / this |")
    print("|---|---|---|---|---|")
    base: tuple[float, float] | None = None
    for dev in devices:
        epoch_s = train_seconds_per_epoch(rows, args.epochs, dev)
        gen_ms = generate_ms_per_plan(plans, dev)
        base = base or (epoch_s, gen_ms)
        cells = [f"{dev.type}: {_name(dev)}", f"{epoch_s:.2f}", f"{count / epoch_s:.0f}", f"{gen_ms:.1f}"]
        cells.append(f"train {base[0] / epoch_s:.1f}x, generate {base[1] / gen_ms:.1f}x")
        print("| " + " | ".join(cells) + " |")
    if len(devices) == 1:
        print("no CUDA device here: run this on a GPU machine for the CUDA row")


if __name__ == "__main__":
    main()
