"""How well the interaction is read from a theme's words (`agents/tabletop/reading.py`): themes labelled with
the interaction their words state, or `not_stated`; the reading's accuracy, per label and in all, and its
confusions. Three sets: held-out themes written after the reading was last tuned (the fair measure), the
development themes it was tuned on, and the 20 themes of the design benchmark.

    python benchmarks/interaction_reading.py

The 20 themes of the design benchmark are measured too, labelled the same way (`prose_check.py`'s STATED).
"""

from __future__ import annotations

import json
import time
from collections import Counter

from genontology.agents.tabletop.reading import read_interaction
from genontology.evaluation.prompts import THEMES

# Written after the reading's descriptions and thresholds were last changed, and not looked at before: the
# fair measure.
HELD_OUT = {
    "competitive": [
        "two bakeries in a cutthroat pie contest",
        "knights jousting for the queen's favour",
        "sled dog teams racing to the pole",
        "tycoons fighting over railway rights",
        "poets challenging each other to verse battles",
        "thieves trying to steal the same jewel first",
        "sumo wrestlers pushing each other out of the ring",
        "bidders outdoing one another for rare stamps",
    ],
    "cooperative": [
        "a village working together to survive the winter",
        "sailors uniting to keep a sinking ship afloat",
        "a band of heroes cooperating to seal a portal",
        "neighbours coming together to rebuild a bridge",
        "astronomers collaborating on a star map",
        "a team of beavers building a dam as one",
    ],
    "not_stated": [
        "a carnival at midnight",
        "owls in an ancient forest",
        "a tea ceremony in Kyoto",
        "trains crossing the prairie",
        "painters at a seaside village",
        "a volcano island's last summer",
        "kites over a windy hill",
        "a bakery at dawn",
    ],
}
# The themes the descriptions, the function words and the thresholds were tuned on (development data).
DEVELOPMENT = {
    "competitive": [
        "feuding noble houses scheming for a crown",
        "jockeys in a muddy horse race",
        "gladiators battling in a sunlit arena",
        "warlords vying for the empty throne",
        "spies double-crossing each other in Vienna",
        "chess masters trying to outwit one another",
        "collectors in a bidding war at an art auction",
        "street gangs fighting over turf",
    ],
    "cooperative": [
        "a crew pulling together to land a failing spaceship",
        "villagers joining forces against a dragon",
        "doctors teaming up to stop an outbreak",
        "explorers helping one another across a glacier",
        "a family pitching in to save the farm",
        "rescuers collaborating after an avalanche",
    ],
    "not_stated": [
        "a lighthouse keeper's long night",
        "cats napping in sunbeams",
        "merchants haggling in a bazaar",
        "a museum after dark",
        "gardeners tending an allotment",
        "clockwork birds in a toy shop",
        "monsoon season in a river delta",
        "a library of forbidden books",
    ],
}
STATED = {
    "bioluminescent fungi competing in a cave ecosystem": "competitive",
    "rival tea merchants on the silk road": "competitive",
    "firefighters saving a burning city block together": "cooperative",
    "deep sea salvage divers racing for sunken treasure": "competitive",
    "rival wizards dueling with unstable spells": "competitive",
    "robot teams competing in a junkyard derby": "competitive",
}


def measure(items: list[tuple[str, str]]) -> dict:
    right, confusions = Counter(), Counter()
    per_label = Counter(label for _, label in items)
    rows = []
    for theme, label in items:
        found, phrase, similarity = read_interaction(theme)
        got = found.value if found else "not_stated"
        right[label] += got == label
        if got != label:
            confusions[f"{label} -> {got}"] += 1
        rows.append({"theme": theme, "label": label, "read": got, "phrase": phrase, "similarity": similarity})
    return {
        "accuracy": f"{sum(right.values())}/{len(items)}",
        "per_label": {label: f"{right[label]}/{n}" for label, n in per_label.items()},
        "confusions": dict(confusions),
        "rows": rows,
    }


def labelled(sets: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(theme, label) for label, themes in sets.items() for theme in themes]


def main() -> None:
    benchmark = [(t.prompt, STATED.get(t.prompt, "not_stated")) for t in THEMES]
    began = time.perf_counter()
    report = {
        "held_out": measure(labelled(HELD_OUT)),
        "development": measure(labelled(DEVELOPMENT)),
        "design_benchmark_themes": measure(benchmark),
    }
    themes = len(labelled(HELD_OUT)) + len(labelled(DEVELOPMENT)) + len(benchmark)
    report["seconds_per_theme"] = round((time.perf_counter() - began) / themes, 3)
    for name in ("held_out", "development", "design_benchmark_themes"):
        part = report[name]
        print(name, part["accuracy"], part["per_label"], part["confusions"])
        for row in part["rows"]:
            mark = "  " if row["read"] == row["label"] else "X "
            print(f"  {mark}{row['read']:<12} {row['similarity']:.2f} {row['phrase']!r:<28} {row['theme']}")
    print(json.dumps({k: v for k, v in report.items() if k == "seconds_per_theme"}))


if __name__ == "__main__":
    main()
