"""Does the playable gate separate good games from degenerate ones? Positives: the shipped exemplars
(published and traditional games). Negatives: their degenerate variants (`playtest/degenerate.py`: eight
kinds of damage, each structurally valid). Every design gets the Designer's playtest (random playouts, skill
and dominance probes, the gate); reported: positives passed, negatives rejected per kind and by the check
meant to catch the kind, and each check's measured values on both sides, to choose thresholds from (issue 24).

    python benchmarks/gate_calibration.py [--positives N] [--per-kind K] [--games G] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from validate_speed import machine

from genontology import get_domain
from genontology.playtest.degenerate import DAMAGES, damaged
from genontology.playtest.evaluate import playtest_design
from genontology.playtest.gate import DOMINANCE_MARGIN, MAX_SEAT_EDGE, SKILL_FLOOR
from genontology.playtest.playout import Report


def judge(design_data: dict, games: int, processes: int) -> dict:
    design = get_domain("tabletop").parse(design_data)
    began = time.perf_counter()
    result = playtest_design(design, games=games, processes=processes)
    gate = result.gate
    assert gate is not None
    return {
        "passed": result.passed,
        "failed": [c.name for c in gate.failed],
        "warned": [c.name for c in gate.warnings],
        "reasons": {c.name: reason(c.name, result.report) for c in gate.failed},
        "measured": {c.name: c.measured for c in gate.checks},
        "values": {c.name: c.value for c in gate.checks},
        "games": {c.name: c.games for c in gate.checks},
        "ladder": [
            {
                "weak": r.weak,
                "strong": r.strong,
                "value": r.estimate.value,
                "low": r.estimate.low,
                "games": r.estimate.games,
            }
            for r in gate.ladder
        ],
        "seconds": round(time.perf_counter() - began, 2),
    }


LOWER_PASSES = {"balance", "no dominant action"}  # checks whose measured value passes when low


def reason(check: str, report: Report) -> str:
    """Why a check failed, in the issue's terms, from what was measured: our encoding's simplification, our
    agents' weakness, or a property of the game under random play."""
    if check == "skill":
        if report.decision_moves == 0:
            return "encoding: no move is a choice in our encoding"
        return "agents: no agent we have beats a weaker one here beyond the noise"
    if check == "balance":
        if max(report.seat_wins) >= 0.95:
            return "encoding: one seat wins every random game (a tie or an end our encoding settles by seat)"
        return "game under random play: a seat advantage among random players"
    if check in ("length", "completes"):
        return "encoding: our turns are not the table's (a few long turns, or one turn a round)"
    return "unclassified"


def passes(value: float, threshold: float, higher_passes: bool) -> bool:
    """Whether a check's measured value passes its threshold."""
    return value >= threshold if higher_passes else value <= threshold


def rates(pos: list[float], neg: list[float], threshold: float, higher_passes: bool) -> tuple[float, float]:
    """At `threshold`: the share of positives passed and the share of negatives rejected."""
    passed = sum(passes(v, threshold, higher_passes) for v in pos) / max(len(pos), 1)
    return passed, sum(not passes(v, threshold, higher_passes) for v in neg) / max(len(neg), 1)


def roc(check: str, positives: list[dict], negatives: list[dict], higher_passes: bool) -> list[dict]:
    """For each threshold a check could use (each value seen), the share of positives it passes and of the
    negatives meant for it that it rejects."""
    pos = [p["values"][check] for p in positives if p["values"].get(check) is not None]
    neg = [n["values"][check] for n in negatives if n["values"].get(check) is not None]
    points = []
    for t in sorted(set(pos + neg)):
        passed, rejected = rates(pos, neg, t, higher_passes)
        points.append(
            {"threshold": t, "positives_passed": round(passed, 3), "negatives_rejected": round(rejected, 3)}
        )
    return points


def youden(values: list[tuple[float, bool]], higher_passes: bool) -> float:
    """The threshold (a value seen) that maximizes Youden's J, the share of positives passed plus the share of
    negatives rejected, over (value, is_positive) pairs; ties to the threshold that passes more positives."""
    pos = [v for v, p in values if p]
    neg = [v for v, p in values if not p]

    def j(t: float) -> tuple[float, float]:
        passed, rejected = rates(pos, neg, t, higher_passes)
        return passed + rejected, passed

    return max(sorted({v for v, _ in values}), key=j)


def cross_validated(
    check: str,
    positives: dict[str, dict],
    negatives: list[tuple[str, dict]],
    higher_passes: bool,
    folds: int = 5,
) -> dict:
    """Out of sample: the games split into `folds` groups (a published game with its own degenerate variants,
    so no variant is judged by a threshold its own original helped choose); for each group, the threshold
    that maximizes Youden's J on the others, applied to it. Returns the held-out rates and the thresholds the
    folds chose (their spread says how stable the in-sample choice is). `negatives`: (the game each came
    from, its row)."""
    rows = [(src, row, True) for src, row in positives.items()] + [
        (src, row, False) for src, row in negatives
    ]
    rows = [r for r in rows if r[1]["values"].get(check) is not None]
    games = sorted({src for src, _, _ in rows})
    passed = rejected = npos = nneg = 0
    chosen = []
    for k in range(folds):
        held = set(games[k::folds])
        t = youden([(row["values"][check], pos) for src, row, pos in rows if src not in held], higher_passes)
        chosen.append(round(t, 3))
        for src, row, pos in rows:
            if src in held:
                ok = passes(row["values"][check], t, higher_passes)
                npos, nneg = npos + pos, nneg + (not pos)
                passed += pos and ok
                rejected += (not pos) and not ok
    return {
        "positives_passed": f"{passed}/{npos}",
        "negatives_rejected": f"{rejected}/{nneg}",
        "thresholds_chosen": chosen,
    }


def _rejected(check: str | None, rows: dict[str, dict]) -> dict[str, str]:
    """How many of one kind's negatives the gate rejected, and how many by the check meant for the kind."""
    found = {"rejected": f"{sum(not r['passed'] for r in rows.values())}/{len(rows)}"}
    if check:
        flagged = sum(check in r["failed"] + r["warned"] for r in rows.values())  # an advisory check warns
        found[f"by {check}"] = f"{flagged}/{len(rows)}"
    return found


def plot_roc(roc_points: dict[str, list[dict]], chosen: dict[str, float], path: str) -> None:
    """One ROC curve per check: positives passed against negatives (of the kinds it aims at) passed, each
    point a threshold; the threshold gate.py uses is marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from genontology.ontology.io import write_figure

    fig, axes = plt.subplots(1, len(roc_points), figsize=(4.2 * len(roc_points), 4), layout="constrained")
    for ax, (check, points) in zip(axes, roc_points.items(), strict=True):
        xs = [1 - p["negatives_rejected"] for p in points]
        ys = [p["positives_passed"] for p in points]
        ax.plot(xs, ys, marker=".", color="tab:blue")
        ax.plot([0, 1], [0, 1], color="grey", linestyle=":")
        if check in chosen:
            at = min(points, key=lambda p: abs(p["threshold"] - chosen[check]))
            ax.plot(
                1 - at["negatives_rejected"], at["positives_passed"], "o", color="tab:red", label="chosen"
            )
            ax.legend()
        ax.set(title=check, xlabel="negatives passed", ylabel="positives passed", xlim=(0, 1), ylim=(0, 1.02))
    write_figure(fig, path, dpi=100)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--positives", type=int, default=80, help="how many exemplars, in id order")
    parser.add_argument("--per-kind", type=int, default=10, help="negatives per kind of damage")
    parser.add_argument("--games", type=int, default=200, help="most random playouts per design")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument(
        "--generated",
        default=None,
        help="also judge generated designs: a folder of design runs (each with design.json and playtest.json,"
        " as design_ab.py writes), reporting the gate before (their playtest.json) and now",
    )
    parser.add_argument("--out", default="benchmarks/out/gate_calibration.json")
    parser.add_argument("--plot", default=None, help="write the per-check ROC curves to this figure")
    args = parser.parse_args()
    began = time.perf_counter()
    exemplars = sorted(
        (e.model_dump(mode="json", exclude_none=True) for e in get_domain("tabletop").load_exemplars()),
        key=lambda d: d["id"],
    )
    positives = {d["id"]: judge(d, args.games, args.processes) for d in exemplars[: args.positives]}
    negatives: dict[str, dict[str, dict]] = defaultdict(dict)
    for damage in DAMAGES:
        for design in exemplars:
            if len(negatives[damage.name]) >= args.per_kind:
                break
            variant = damaged(design, damage)
            if variant is not None:
                negatives[damage.name][design["id"]] = judge(variant, args.games, args.processes)
    passed = sum(p["passed"] for p in positives.values())
    # A published game may leave the target only with its reason beside it: those whose every failure is
    # a simplification of our encoding (the reasons are in the detail).
    encoded = [
        i
        for i, p in positives.items()
        if p["failed"] and all(r.startswith("encoding") for r in p["reasons"].values())
    ]
    kept = [p for i, p in positives.items() if i not in encoded]
    generated = {}
    for run in sorted(Path(args.generated).glob("*/design.json")) if args.generated else []:
        earlier = json.loads((run.parent / "playtest.json").read_text())["gate"]["passed"]
        generated[run.parent.name] = {
            "before": earlier,
            **judge(json.loads(run.read_text()), args.games, args.processes),
        }
    report = {
        "machine": machine(),
        "seconds": round(time.perf_counter() - began, 1),
        "positives_passed": f"{passed}/{len(positives)}",
        "positives_passed_but_encoding_faults": f"{sum(p['passed'] for p in kept)}/{len(kept)}",
        "excluded_for_encoding": {i: positives[i]["reasons"] for i in encoded},
        "positives_failing_by_reason": {
            why: sum(why in p["reasons"].values() for p in positives.values())
            for why in sorted({r for p in positives.values() for r in p["reasons"].values()})
        },
        "positives_failing_by_check": {
            check: sum(check in p["failed"] for p in positives.values())
            for check in sorted({c for p in positives.values() for c in p["failed"]})
        },
        "negatives": {damage.name: _rejected(damage.caught_by, negatives[damage.name]) for damage in DAMAGES},
        "seconds_per_design": round(
            (time.perf_counter() - began) / max(1, len(positives) + sum(map(len, negatives.values()))), 1
        ),
        "gate_seconds_median": statistics.median(
            r["seconds"]
            for r in [*positives.values(), *(r for rows in negatives.values() for r in rows.values())]
        ),
        "roc": {
            damage.caught_by: roc(
                damage.caught_by,
                list(positives.values()),
                [r for d in DAMAGES if d.caught_by == damage.caught_by for r in negatives[d.name].values()],
                damage.caught_by not in LOWER_PASSES,
            )
            for damage in DAMAGES
            if damage.caught_by not in (None, "length")  # length is two-sided: its values are in the detail
        },
        "cross_validated": {
            check: cross_validated(  # over the published games the target counts
                check,
                {i: p for i, p in positives.items() if i not in encoded},
                [(src, r) for d in DAMAGES if d.caught_by == check for src, r in negatives[d.name].items()],
                check not in LOWER_PASSES,
            )
            for check in ("balance", "skill")
        },
        "generated_passed": {
            "before": sum(g["before"] for g in generated.values()),
            "now": sum(g["passed"] for g in generated.values()),
            "of": len(generated),
            "failing_by_check": {
                check: sum(check in g["failed"] for g in generated.values())
                for check in sorted({c for g in generated.values() for c in g["failed"]})
            },
        },
        "positives": positives,
        "negatives_detail": negatives,
        "generated": generated,
    }
    print(
        json.dumps(
            {
                k: v
                for k, v in report.items()
                if k not in ("positives", "negatives_detail", "roc", "generated")
            },
            indent=1,
        )
    )
    rejected = [r for rows in negatives.values() for r in rows.values() if not r["passed"]]
    print(f"negatives rejected overall: {len(rejected)}/{sum(map(len, negatives.values()))}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1))
    if args.plot:
        chosen = {"balance": MAX_SEAT_EDGE, "skill": SKILL_FLOOR, "no dominant action": -DOMINANCE_MARGIN}
        plot_roc(report["roc"], chosen, args.plot)


if __name__ == "__main__":
    main()
