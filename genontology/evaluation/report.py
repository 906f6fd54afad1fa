"""The benchmark's tables and plots, computed from the records on disk (so a report can be rebuilt any time).

Per condition (and the exemplars): parse rate, schema-valid rate, structural errors per design (mean, sd and
distribution), playable-gate pass rate with the main playtest metrics, the judge's mean score per metric with
its test-retest ICC(2,1), and the cost: LM calls, tokens, wall time and the share of time outside LM calls.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from genontology.evaluation.judge import ERRORS_FIELD
from genontology.evaluation.stats import icc2_1_interval, mean_sd
from genontology.ontology.io import write_atomic, write_figure

BUCKETS = (("0", 0, 0), ("1", 1, 1), ("2-5", 2, 5), ("6+", 6, 10**9))


def load_scores(out: Path, records: Sequence[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, int]]]:
    scores = {}
    for r in records:
        path = out / "judge" / r["group"] / f"{r['index']}.json"
        if path.is_file():
            scores[(r["group"], str(r["index"]))] = json.loads(path.read_text())
    return scores


def reliability(
    scores: dict[tuple[str, str], list[dict[str, int]]], metrics: Sequence[str]
) -> dict[str, Any]:
    """ICC(2,1) per metric, with its 95% interval, over every design scored the full number of times (repeats
    as raters): {metric: {"icc", "low", "high", "designs", "scorings"}}, or None where it is undefined."""
    repeats = max((len(s) for s in scores.values()), default=0)
    full = [s for s in scores.values() if len(s) == repeats]
    found = {m: icc2_1_interval([[run[m] for run in s] for s in full]) for m in (*metrics, ERRORS_FIELD)}
    return {
        m: None
        if r is None
        else {"icc": r.icc, "low": r.low, "high": r.high, "designs": r.subjects, "scorings": r.ratings}
        for m, r in found.items()
    }


def _interval(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "n/a"
    if entry["low"] is None:
        return f"{entry['icc']:.2f}"
    return f"{entry['icc']:.2f} [{entry['low']:.2f}, {entry['high']:.2f}]"


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


def summarize(
    records: Sequence[dict[str, Any]],
    scores: dict[tuple[str, str], list[dict[str, int]]],
    metrics: Sequence[str],
) -> dict[str, dict[str, Any]]:
    """One row of measures per group (condition or the exemplars), in the order the groups first appear."""
    rows: dict[str, dict[str, Any]] = {}
    for group in dict.fromkeys(r["group"] for r in records):
        rs = [r for r in records if r["group"] == group]
        parsed = [r for r in rs if r["parsed"]]
        errors = [r["errors"] for r in parsed if r["errors"] is not None]
        played = [r["playtest"] for r in rs if r.get("playtest")]
        judged = [scores[(group, str(r["index"]))] for r in rs if (group, str(r["index"])) in scores]
        usage = [r.get("usage") or {} for r in rs]
        walls = [u["wall_s"] for u in usage if u.get("wall_s")]
        lm_s = sum(u.get("lm_s") or 0 for u in usage)
        rows[group] = {
            "n": len(rs),
            "parsed": len(parsed),
            "repaired": sum(bool(r.get("repaired")) for r in rs),
            "schema_valid": sum(r["schema_valid"] for r in rs),
            "errors": mean_sd(errors),
            "buckets": {b: sum(lo <= e <= hi for e in errors) for b, lo, hi in BUCKETS},
            "playable": sum(p["passed"] for p in played),
            "playtested": len(played),
            "turns": mean_sd([p["turns"] for p in played if p.get("turns") is not None]),
            "skill_gap": mean_sd([p["skill_gap"] for p in played if p.get("skill_gap") is not None]),
            "judge": {
                m: mean_sd([statistics.fmean(run[m] for run in s) for s in judged if s])
                for m in (*metrics, ERRORS_FIELD)
            },
            "judged": len(judged),
            "calls": mean_sd([u["calls"] for u in usage if u.get("calls") is not None]),
            "tokens": mean_sd(
                [u["input_tokens"] + u["output_tokens"] for u in usage if u.get("input_tokens") is not None]
            ),
            "wall_s": statistics.median(walls) if walls else None,
            "outside_lm_share": (1 - lm_s / sum(walls)) if walls and lm_s else None,
        }
    return rows


def markdown(rows: dict[str, dict[str, Any]], icc: dict[str, Any], metrics: Sequence[str], meta: str) -> str:
    def ms(pair: tuple[float, float] | None, digits: int = 2) -> str:
        return "n/a" if pair is None else f"{pair[0]:.{digits}f} ({pair[1]:.{digits}f})"

    lines = ["# Benchmark report", "", meta, "", "## Structure and playability", ""]
    lines += [
        "| group | n | parsed | schema-valid | errors/design mean (sd) | errors 0 / 1 / 2-5 / 6+ "
        "| playable | turns mean (sd) | skill gap mean (sd) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for g, r in rows.items():
        buckets = " / ".join(str(r["buckets"][b]) for b, _, _ in BUCKETS)
        parsed = f"{_pct(r['parsed'], r['n'])}" + (f" ({r['repaired']} repaired)" if r["repaired"] else "")
        valid, playable = _pct(r["schema_valid"], r["n"]), _pct(r["playable"], r["n"])
        lines.append(
            f"| {g} | {r['n']} | {parsed} | {valid} | {ms(r['errors'])} | {buckets} "
            f"| {playable} | {ms(r['turns'], 1)} | {ms(r['skill_gap'])} |"
        )
    names = [*metrics, ERRORS_FIELD]
    lines += ["", "## Judge (1-10; consistency errors are a count)", ""]
    lines.append(
        "Each design's score is the mean of its repeated scorings; the ICC(2,1) row says how far repeated"
    )
    lines.append("scorings of the same design agree (1 perfect, 0 no better than chance; below 0.5 is poor),")
    lines.append("with its 95% confidence interval (McGraw and Wong 1996): few designs make it wide.")
    lines += ["", "| group | judged | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    lines.append("| **ICC(2,1)** | | " + " | ".join(_interval(icc.get(m)) for m in names) + " |")
    for g, r in rows.items():
        cells = " | ".join(ms(r["judge"][m], 1) for m in names)
        lines.append(f"| {g} | {r['judged']} | {cells} |")
    lines += ["", "## Cost", "", "| group | LM calls mean (sd) | tokens mean (sd) | wall s median | "]
    lines[-1] += "share of time outside LM calls |"
    lines.append("|---|---|---|---|---|")
    for g, r in rows.items():
        share = "n/a" if r["outside_lm_share"] is None else f"{r['outside_lm_share']:.1%}"
        lines.append(
            f"| {g} | {ms(r['calls'], 1)} | {ms(r['tokens'], 0)} | {_fmt(r['wall_s'], 1)} | {share} |"
        )
    return "\n".join(lines) + "\n"


def plot(
    records: Sequence[dict[str, Any]], scores: dict[tuple[str, str], list[dict[str, int]]], out: Path
) -> list[Path]:
    """Structural errors per condition, and the judge's mean score against the simulated skill gap."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = list(dict.fromkeys(r["group"] for r in records))
    paths = []
    fig, ax = plt.subplots(figsize=(6, 3.5))
    data = [[r["errors"] for r in records if r["group"] == g and r["errors"] is not None] for g in groups]
    ax.boxplot([d or [float("nan")] for d in data], tick_labels=groups)
    ax.set(ylabel="structural errors per design", title="Validator errors by condition")
    paths.append(out / "errors_by_condition.png")
    fig.tight_layout()
    write_figure(fig, paths[-1], dpi=110)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for g in groups:
        xs, ys = [], []
        for r in records:
            s = scores.get((g, str(r["index"]))) if r["group"] == g else None
            gap = (r.get("playtest") or {}).get("skill_gap")
            if s and gap is not None:
                xs.append(gap)
                ys.append(
                    statistics.fmean(
                        statistics.fmean(v for k, v in run.items() if k != ERRORS_FIELD) for run in s
                    )
                )
        ax.scatter(xs, ys, label=g, alpha=0.8)
    ax.set(xlabel="simulated skill gap (the skill ladder's best rung)", ylabel="judge mean score (1-10)")
    ax.set_title("Judge versus playtest")
    ax.legend(fontsize=8)
    paths.append(out / "judge_vs_playtest.png")
    fig.tight_layout()
    write_figure(fig, paths[-1], dpi=110)
    plt.close(fig)
    return paths


def write_report(out: Path, records: Sequence[dict[str, Any]], metrics: Sequence[str], meta: str) -> Path:
    scores = load_scores(out, records)
    rows = summarize(records, scores, metrics)
    icc = reliability(scores, metrics)
    path = out / "report.md"
    write_atomic(path, markdown(rows, icc, metrics, meta))
    write_atomic(out / "summary.json", json.dumps({"groups": rows, "icc": icc}, indent=1, default=str))
    plot(records, scores, out)
    return path
