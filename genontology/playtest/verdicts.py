"""Which shipped exemplars pass the playable gate: computed once, shipped as data, checked for staleness.

The recombination route grafts games that already play; judging the whole corpus costs minutes (some
exemplars take 15 s each), so the verdicts are computed by `python -m genontology.playtest.verdicts
--write` and shipped beside this module, each with a fingerprint of the exemplar it judged and of the gate's
settings. An exemplar edited since, or any exemplar after the gate's thresholds or ladder change, has no
verdict (`playable` leaves it out) until the file is written again; a test fails when the file is stale, and
rechecks a few verdicts against the gate itself.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

from genontology.ontology import get_domain
from genontology.ontology.io import write_atomic
from genontology.playtest.evaluate import playtest_design
from genontology.schemas.tabletop.model import GameDesign

VERDICTS = Path(__file__).with_name("exemplar_verdicts.json")


def _gate_settings() -> str:
    """What the gate decides by, its thresholds and ladder: a verdict another gate reached is stale."""
    from genontology.playtest import gate, ladder

    named = ("MIN_COMPLETION", "TURN_SECONDS", "MIN_ROUNDS", "MAX_SEAT_EDGE", "SKILL_FLOOR", "BATCH")
    return repr([getattr(gate, n) for n in named] + [ladder.RUNGS, ladder.SEARCH_WORK])


def fingerprint(design: GameDesign) -> str:
    """What a verdict was reached on: the exemplar's content and the gate's settings, so an edit to either
    makes the verdict stale (a field the schema gains with a default changes no game, and no fingerprint)."""
    content = design.model_dump_json(exclude_defaults=True) + _gate_settings()
    return hashlib.sha256(content.encode()).hexdigest()[:16]


def verdict(design: GameDesign, processes: int = 1) -> dict[str, Any]:
    """The gate's verdict on one design, as the file keeps it."""
    playtest = playtest_design(design, early=True, processes=processes)
    failed = [c.name for c in playtest.gate.failed] if playtest.gate else ["unplayable"]
    return {"fingerprint": fingerprint(design), "passed": playtest.passed, "failed": failed}


def _load() -> dict[str, dict[str, Any]]:
    return json.loads(VERDICTS.read_text()) if VERDICTS.is_file() else {}


@cache
def playable() -> frozenset[str]:
    """Ids of the shipped exemplars that pass the playable gate, by verdicts still current."""
    current = {d.id: fingerprint(d) for d in get_domain("tabletop").load_exemplars()}
    return frozenset(i for i, v in _load().items() if v["passed"] and current.get(i) == v["fingerprint"])


def stale() -> list[str]:
    """Exemplars whose verdict is missing or was reached on another version of them, and verdicts of
    exemplars no longer shipped."""
    current = {d.id: fingerprint(d) for d in get_domain("tabletop").load_exemplars()}
    kept = _load()
    changed = [i for i, f in current.items() if kept.get(i, {}).get("fingerprint") != f]
    return sorted(changed + [i for i in kept if i not in current])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="judge every exemplar and write the file")
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args(argv)
    if not args.write:
        print("\n".join(stale()) or "every verdict is current")
        return 0
    found: dict[str, dict[str, Any]] = {}
    for design in sorted(get_domain("tabletop").load_exemplars(), key=lambda d: d.id):
        began = time.perf_counter()
        found[design.id] = verdict(design, args.processes)
        print(
            f"{design.id:28} {found[design.id]['passed']!s:5} {time.perf_counter() - began:5.1f}s",
            file=sys.stderr,
        )
    write_atomic(VERDICTS, json.dumps(found, indent=1, sort_keys=True) + "\n")
    print(f"{sum(v['passed'] for v in found.values())} of {len(found)} exemplars pass the gate")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
