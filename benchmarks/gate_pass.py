"""Which shipped exemplars pass the playable gate: one line per exemplar, then the count.

The gate is `playtest_design(design, games, seed, skill_games)` exactly as the tests call it. Run it on two
trees (PYTHONPATH=OTHER_TREE python benchmarks/gate_pass.py) to compare the corpus before and after a change
of the engine or the encodings; `--json` writes {exemplar: passed}.

    python benchmarks/gate_pass.py [--games 100] [--skill-games 40] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import time

from genontology import get_domain
from genontology.playtest.evaluate import playtest_design


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--games", type=int, default=100)
    parser.add_argument("--skill-games", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", default=None, help="write {exemplar: passed} here")
    args = parser.parse_args()
    began = time.perf_counter()
    passed: dict[str, bool] = {}
    for design in get_domain("tabletop").load_exemplars():
        result = playtest_design(design, games=args.games, seed=args.seed, skill_games=args.skill_games)
        passed[design.id] = result.passed
        failing = " ".join(c.name for c in result.gate.failed)
        print(f"{design.id:<22} {'PASS' if result.passed else 'fail'}  {failing}", flush=True)
    print(f"{sum(passed.values())} / {len(passed)} pass ({time.perf_counter() - began:.0f} s)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(passed, f, indent=1)


if __name__ == "__main__":
    main()
