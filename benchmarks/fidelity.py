"""Fidelity: our engine beside OpenSpiel on the games both implement, under uniform random play.

For each game in `genontology.playtest.fidelity.BENCHMARKS`: mean turns per game (changes of the player to
move, plus one), mean decisions (moves among more than one legal option), seat 0's win rate and the draw rate
(one-player games: the mean score), both engines side by side with the ratio ours / OpenSpiel's, and whether
the pair meets the target (turns within 15%, seat 0 within 0.05). Needs the fidelity extra (open_spiel).

    python benchmarks/fidelity.py [--games 300] [--only pig,hearts] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from validate_speed import machine

from genontology import get_domain
from genontology.playtest import Tabletop
from genontology.playtest.fidelity import BENCHMARKS, profile_openspiel, profile_ours, ratio, within


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--games", type=int, default=300)
    parser.add_argument("--only", default="", help="Comma-separated exemplar ids (default: every game).")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    wanted = {w for w in args.only.split(",") if w}
    unknown = wanted - {b.exemplar for b in BENCHMARKS}
    if unknown:
        parser.error(f"no fidelity benchmark for {', '.join(sorted(unknown))}")
    exemplars = {d.id: d for d in get_domain("tabletop").load_exemplars()}
    rows = []
    for bench in BENCHMARKS:
        if wanted and bench.exemplar not in wanted:
            continue
        ours = profile_ours(Tabletop(exemplars[bench.exemplar], bench.players), args.games)
        theirs = profile_openspiel(bench.openspiel, args.games)
        simplified = exemplars[bench.exemplar].provenance
        rows.append(
            {
                "game": bench.exemplar,
                "players": bench.players,
                "ours": asdict(ours),
                "openspiel": asdict(theirs),
                "turns_ratio": ratio(ours.turns, theirs.turns),
                "decisions_ratio": ratio(ours.decisions, theirs.decisions),
                "within_target": within(ours, theirs),
                "mapping": bench.mapping,
                "simplifications": simplified.simplifications if simplified else "",
            }
        )
    if args.json:
        print(json.dumps({"machine": machine(), "games": args.games, "rows": rows}, indent=2))
        return
    print(f"{args.games} uniform random games per engine; machine: {machine()}\n")
    print(
        "| game | players | turns ours / OpenSpiel (ratio) | decisions ours / OpenSpiel (ratio) "
        "| seat 0 wins ours / OpenSpiel | draws ours / OpenSpiel | score ours / OpenSpiel | on target |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        o, t = r["ours"], r["openspiel"]
        wins = "-" if o["seat0_wins"] is None else f"{o['seat0_wins']:.2f} / {t['seat0_wins']:.2f}"
        score = "-" if o["score"] is None else f"{o['score']} / {t['score']}"
        print(
            f"| {r['game']} | {r['players']} | {o['turns']} / {t['turns']} ({r['turns_ratio']}) "
            f"| {o['decisions']} / {t['decisions']} ({r['decisions_ratio']}) | {wins} "
            f"| {o['draws']:.2f} / {t['draws']:.2f} | {score} | {'yes' if r['within_target'] else 'no'} |"
        )


if __name__ == "__main__":
    main()
