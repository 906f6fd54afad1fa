"""Benchmark prompts: the 20 built-in themes, or a user's file of them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genontology.ontology import GenontologyError


class BenchInputError(GenontologyError):
    """A prompts file that cannot be read, or a benchmark option out of range."""


@dataclass(frozen=True)
class BenchPrompt:
    prompt: str
    constraints: dict[str, Any]


def _themes(rows: tuple[tuple[str, str, int], ...]) -> list[BenchPrompt]:
    return [BenchPrompt(p, {"players": n, "minutes": m}) for p, n, m in rows]


THEMES = _themes(
    (
        ("bioluminescent fungi competing in a cave ecosystem", "2-4", 60),
        ("rival tea merchants on the silk road", "2-5", 75),
        ("firefighters saving a burning city block together", "1-4", 45),
        ("deep sea salvage divers racing for sunken treasure", "2-4", 40),
        ("medieval monks illuminating manuscripts", "2-4", 90),
        ("a heist on a floating sky casino", "3-6", 60),
        ("bees building a hive before winter", "1-4", 30),
        ("rival wizards dueling with unstable spells", "2", 20),
        ("terraforming a frozen moon", "2-4", 120),
        ("street food vendors at a night market", "2-5", 45),
        ("ghosts haunting a Victorian mansion", "3-5", 60),
        ("robot teams competing in a junkyard derby", "2-4", 30),
        ("botanists cataloguing a lost jungle valley", "1-4", 60),
        ("pirate captains trading and raiding in the Caribbean", "3-5", 90),
        ("architects rebuilding a city after an earthquake", "2-4", 75),
        ("an orchestra of animals rehearsing for a concert", "2-6", 30),
        ("smugglers running contraband through a mountain pass", "2-4", 60),
        ("scientists racing to cure a spreading plague", "1-4", 60),
        ("nomads herding yaks across the steppe", "2-4", 45),
        ("tiny dragons hoarding buttons in a sewing box", "2-4", 20),
    )
)


# Written for issue 25's targets and never used to tune anything: the route, the tuner and the gate are
# measured on them as on themes no one has seen.
HELD_OUT_THEMES = _themes(
    (
        ("lighthouse keepers guiding ships through a storm", "1-4", 45),
        ("rival bakers at a village harvest fair", "2-4", 30),
        ("archaeologists mapping a buried desert city", "2-5", 60),
        ("penguins racing to the edge of the ice shelf", "2-6", 20),
        ("spies trading secrets in a divided city", "3-5", 60),
        ("gardeners growing a shared rooftop garden", "1-4", 40),
        ("samurai clans vying for the favour of the shogun", "2-4", 90),
        ("comet miners claiming ice in the outer belt", "2-4", 75),
        ("a travelling circus touring mountain towns", "2-5", 50),
        ("beavers damming a river before the spring flood", "1-3", 30),
        ("chefs competing in a midnight cooking contest", "2-4", 25),
        ("cartographers charting an archipelago of islands", "2-4", 60),
        ("monsters scaring children in a sleepy town", "3-6", 30),
        ("knights defending a castle from a siege", "1-4", 60),
        ("perfume makers blending rare essences", "2-4", 45),
        ("river traders poling barges down the delta", "2-5", 60),
        ("owls hunting in a moonlit forest", "2-4", 20),
        ("inventors racing to patent a flying machine", "2-4", 60),
        ("a choir of frogs singing in a summer pond", "2-6", 15),
        ("volcano observers predicting an eruption together", "1-4", 45),
    )
)


def load_prompts(path: str | Path | None) -> list[BenchPrompt]:
    """The built-in themes, or a file: one theme per line, or JSON lines / a JSON list of objects with
    `prompt` and optional constraints (`players`, `minutes`, `constraints`)."""
    if path is None:
        return list(THEMES)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BenchInputError(f"cannot read prompts from {path}: {exc}") from None
    stripped = text.strip()
    try:
        items = json.loads(stripped) if stripped.startswith("[") else None
    except ValueError as exc:
        raise BenchInputError(f"{path} is not a JSON list: {exc}") from None
    if items is None:
        items = [_line(line, path, n) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    prompts = []
    for item in items:
        if isinstance(item, str):
            item = {"prompt": item}
        if not isinstance(item, dict) or not str(item.get("prompt", "")).strip():
            raise BenchInputError(f"{path}: every entry needs a non-empty prompt, got {str(item)[:80]!r}")
        prompts.append(BenchPrompt(str(item["prompt"]), {k: v for k, v in item.items() if k != "prompt"}))
    if not prompts:
        raise BenchInputError(f"{path} holds no prompts")
    return prompts


def _line(line: str, path: str | Path, number: int) -> Any:
    if line.lstrip().startswith("{"):
        try:
            return json.loads(line)
        except ValueError as exc:
            raise BenchInputError(f"{path}:{number}: not a JSON object: {exc}") from None
    return line.strip()


# Written for issue 26 after the character reading was built and never used to tune it: what a newcomer
# might ask of the music domain.
MUSIC_THEMES = (
    "a parade of tin soldiers through the square",
    "a mother singing her child to sleep",
    "mourning a drowned fisherman",
    "monks at morning prayer",
    "a wedding feast in the mountains",
    "a ball at the emperor's palace",
    "smugglers escaping the coast guard",
    "heralds announcing the new queen",
    "stars over a silent lake",
    "a ship's crew hauling the anchor",
)

# The second set issue 26 asks for, written after the plan's phrase lengths and melody spans were narrowed and
# never used to tune anything: themes that name no character word for word, and characters the first set
# leaves out (waltz, nocturne, pastorale, barcarolle, jig, dance).
MUSIC_HELD_OUT_THEMES = (
    "a blacksmith hammering at dawn",
    "children chasing fireflies in a summer meadow",
    "an old king's funeral barge on the river",
    "couples turning under chandeliers",
    "a clockwork toy shop at midnight",
    "shepherds calling across the hills",
    "a gondolier on the evening canal",
    "snow falling on a sleeping village",
    "knights riding out to battle",
    "sailors dancing on the deck after a storm",
)
