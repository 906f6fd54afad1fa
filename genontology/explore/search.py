"""Quality-diversity search over tabletop designs (MAP-Elites): `explore(designer, themes, out=...)`.

Candidates come three ways:
- `designer`: a fresh run for each theme and seed (the Designer's whole loop: validation, playtest, tuning of
  the numbers, repair);
- `numbers`: an elite with one or two groups of its numbers scaled, as the tuner moves them (tune.py);
- `stage:<name>`: an elite's stage asked again by its agent (`Designer.vary`), the stages narrowed against it
  asked again after it, then the Designer's loop; only elites that came from a run whose structure the agents
  wrote (the route from scratch) have such stages.
Every candidate is judged by the playable gate on the same seeds, as a call on the executor (local processes,
or Ray tasks); one that passes lands in the cell its behaviour descriptors fall in and stays there while it is
the fittest design of that cell. The archive and every run's checkpoint are written as the search goes, so a
search killed at any point and started again with the same arguments continues where it was.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genontology.execution import Executor, LocalExecutor, executor_for
from genontology.explore.archive import Archive, ArchiveError, Axis, Elite
from genontology.ontology import errors_among, get_domain

if TYPE_CHECKING:
    from genontology.agents import Designer

# Edges chosen so that the shipped exemplars which pass the gate fall in every bin of each axis (BENCHMARKS,
# "The explorer's axes"): the cells span what published games do.
AXES: dict[str, Axis] = {
    a.name: a
    for a in (
        Axis(
            "decisions",
            "decision moves (share of states with a choice)",
            (0.3, 0.5, 0.6, 0.95),
            lambda t: t["decision_moves"],
        ),
        Axis(
            "length",
            "rounds a game (turns / players)",
            (4.0, 8.0, 15.0, 30.0),
            lambda t: t["duration_turns"] / t["players"],
        ),
        Axis(
            "interaction",
            "interaction (share of moves touching another seat)",
            (0.05, 0.15, 0.3, 0.5),
            lambda t: t.get("interaction") or 0.0,
        ),
        Axis(
            "branching",
            "branching factor (legal moves a decision)",
            (1.5, 2.1, 2.6, 3.5),
            lambda t: t["branching"],
        ),
    )
}
DEFAULT_AXES = ("decisions", "length")
# Stages that write a game's structure: asked again, they change how it plays (the names and the theming
# would not move a design across the grid).
STRUCTURE = ("mechanics", "economy", "components", "actions", "turn", "setup")
VARY_NOTE = (
    "Make this part different from your previous answer: other choices for the players, other numbers, "
    "within the brief. Keep the names the other parts use."
)
SKILL_FULL = 0.3  # a skill trace (the ladder's mean advantage) at which the skill term is full


def fitness(test: dict[str, Any]) -> float:
    """How good a playable design is, in [0, 1], from the gate's own metrics: half its balance (1 less the
    largest seat gap), three tenths the skill it rewards (skill trace / SKILL_FULL, capped), a fifth how
    rarely it ends in a draw."""
    skill = (test.get("gate") or {}).get("skill_trace") or 0.0
    skilled = min(1.0, max(0.0, skill / SKILL_FULL))
    return round(0.5 * test["balance"] + 0.3 * skilled + 0.2 * (1.0 - test["drawishness"]), 4)


def judge_design(data: dict[str, Any], seed: int, games: int, players: int | None) -> dict[str, Any]:
    """One candidate judged by the playable gate (an executor's call): the playtest as a dict, or
    {"refused": why} when the validator or the engine refuses the design."""
    from genontology.playtest.evaluate import playtest_design
    from genontology.playtest.game import UnplayableDesign

    domain = get_domain("tabletop")
    try:
        design = domain.parse(data)
    except ValueError as exc:  # pydantic's ValidationError
        return {"refused": str(exc).splitlines()[0]}
    errors = errors_among(domain.validate(design, prose=False))
    if errors:
        return {"refused": f"{errors[0].code} at {errors[0].path}"}
    try:
        return playtest_design(design, games=games, seed=seed, players=players).as_dict()
    except UnplayableDesign as exc:
        return {"refused": str(exc)[:200]}


@dataclass(frozen=True)
class Candidate:
    design: dict[str, Any]
    theme: str
    origin: str
    parent: str | None = None
    folder: str | None = None  # its run's checkpoint folder, relative to the search's folder


@dataclass(frozen=True)
class Settings:
    axes: tuple[Axis, ...]
    seed: int
    games: int
    players: int | None


def vary_numbers(elite: Elite, key: str, rng: random.Random) -> Candidate | None:
    """The elite with one or two groups of its numbers scaled by one of the tuner's steps (never 1)."""
    from genontology.playtest.knobs import STEPS, put
    from genontology.playtest.tune import groups

    design = get_domain("tabletop").parse(elite.design)
    movable = groups(design, by_action=rng.random() < 0.5)
    if not movable:
        return None
    setting: dict[Any, int] = {}
    for group in rng.sample(movable, min(len(movable), rng.choice((1, 2)))):
        setting |= group.setting(rng.choice([s for s in STEPS if s != 1.0]))
    return Candidate(put(elite.design, setting), elite.theme, "numbers", key)


def judge_into(
    archive: Archive, candidates: Sequence[Candidate], pool: Executor, settings: Settings
) -> list[bool]:
    """Judge each candidate on `pool` and keep those that pass and beat their cell; which were kept."""
    calls = [(c.design, settings.seed, settings.games, settings.players) for c in candidates]
    kept = []
    # In input order, whatever order the calls end in: the archive does not depend on the executor.
    for candidate, test in zip(candidates, pool.map(judge_design, calls), strict=True):
        archive.evaluations += 1
        if "refused" in test or not (test.get("gate") or {}).get("passed"):
            archive.rejected += 1
            kept.append(False)
            continue
        measures = {a.name: round(float(a.measure(test)), 4) for a in settings.axes}
        elite = Elite(
            cell=tuple(a.bin(measures[a.name]) for a in settings.axes),
            fitness=fitness(test),
            measures=measures,
            title=str(candidate.design.get("title", "")),
            theme=candidate.theme,
            origin=candidate.origin,
            parent=candidate.parent,
            generation=archive.generation,
            folder=candidate.folder,
            design=candidate.design,
        )
        kept.append(archive.insert(elite))
    return kept


def _designed(results: Sequence[Any], themes: Sequence[str], folders: Sequence[str]) -> list[Candidate]:
    return [
        Candidate(r.data, theme, "designer", None, folder)
        for r, theme, folder in zip(results, themes, folders, strict=True)
        if r.design is not None and not r.errors
    ]


def explore(
    designer: Designer,
    themes: Sequence[str],
    *,
    out: str | Path,
    start: Sequence[Any] = (),
    axes: Sequence[str] = DEFAULT_AXES,
    designs: int = 1,
    generations: int = 3,
    batch: int = 6,
    variations: int = 1,
    games: int = 120,
    seed: int = 0,
    concurrency: int = 2,
    processes: int = 1,
    executor: str | Executor | None = None,
    on_event: Callable[[str], None] | None = None,
    **constraints: Any,
) -> Archive:
    """Fill an archive over `axes` for `themes` (see the module docstring): `designs` fresh runs a theme
    (seeds seed, seed+1, ...) and the designs of `start` (exemplars, earlier designs) judged, then
    `generations` rounds of `batch` number variations and `variations` stage variations of elites chosen
    at random. `executor`: None (local: `concurrency` design runs on threads, judgements on `processes`
    processes), "ray", "ray:ADDRESS" or an Executor (every run and judgement a task). The archive is
    `out/archive.json`; the runs are in `out/designs/` and `out/variations/`, which on a cluster must be a
    path every node sees."""
    from genontology.agents.batch import run_folder

    tell = on_event or (lambda message: None)
    unknown = [a for a in axes if a not in AXES]
    if unknown or not 1 <= len(axes) <= 3:
        raise ArchiveError(f"axes must be one to three of {', '.join(AXES)}; got {', '.join(axes)}")
    settings = Settings(tuple(AXES[a] for a in axes), seed, games, None)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    started = [get_domain("tabletop").parse(d) for d in start]
    archive = _opened(
        folder, Archive(axes=list(axes), themes=list(themes), start=[d.id for d in started], seed=seed)
    )
    owned = not isinstance(executor, Executor)
    remote = executor_for(executor) if executor is not None else None
    judges = remote or LocalExecutor(processes)
    try:
        if not archive.seeded:
            candidates = [Candidate(d.model_dump(mode="json"), d.title, "start") for d in started]
            for k in range(designs if themes else 0):
                where = Path("designs") / f"seed-{seed + k}"
                runs = designer.with_seed(seed + k).run_many(
                    themes, concurrency, out=folder / where, executor=remote, **constraints
                )
                names = [str(run_folder(where, i, t)) for i, t in enumerate(themes)]
                candidates += _designed(runs, themes, names)
                tell(f"seed {seed + k}: {len(runs)} run(s), {len(candidates)} valid design(s) so far")
            judge_into(archive, candidates, judges, settings)
            archive.seeded = True
            archive.record(candidates=len(candidates))
            archive.save(folder)
            tell(f"fresh designs: {len(archive.elites)} elite(s), QD score {archive.qd_score}")
        while archive.generation < generations and archive.elites:
            _generation(archive, designer, folder, settings, judges, remote, batch, variations, concurrency)
            archive.save(folder)
            tell(
                f"generation {archive.generation}: {len(archive.elites)} elite(s), "
                f"QD score {archive.qd_score}, {archive.evaluations} judged"
            )
    finally:
        if remote is not None and owned:
            remote.close()
        if remote is None:
            judges.close()
    return archive


def _generation(
    archive: Archive,
    designer: Designer,
    folder: Path,
    settings: Settings,
    judges: Executor,
    remote: Executor | None,
    batch: int,
    variations: int,
    concurrency: int,
) -> None:
    # Seeded by the generation: a search resumed mid-generation makes the same candidates again.
    rng = random.Random(f"{settings.seed}:{archive.generation}")
    keys = sorted(archive.elites)
    candidates = []
    for _ in range(batch):
        key = rng.choice(keys)
        varied = vary_numbers(archive.elites[key], key, rng)
        if varied is not None:
            candidates.append(varied)
    candidates += _stage_variations(
        archive, designer, folder, settings, rng, keys, remote, variations, concurrency
    )
    archive.generation += 1  # what this generation makes is judged as its own (the fresh designs are 0)
    judge_into(archive, candidates, judges, settings)
    archive.record(candidates=len(candidates))


def _stage_variations(
    archive: Archive,
    designer: Designer,
    folder: Path,
    settings: Settings,
    rng: random.Random,
    keys: list[str],
    remote: Executor | None,
    variations: int,
    concurrency: int,
) -> list[Candidate]:
    from genontology.agents.batch import shipped

    eligible: dict[
        str, list[str]
    ] = {}  # elites from runs whose structure the agents wrote, and the stages that wrote it
    for key in keys:
        run = archive.elites[key].folder
        stages = [s for s in designer.stages_to_vary(folder / run) if s in STRUCTURE] if run else []
        if stages:
            eligible[key] = stages
    calls, made = [], []
    for i in range(variations if eligible else 0):
        key = rng.choice(sorted(eligible))
        stage = rng.choice(eligible[key])
        elite = archive.elites[key]
        where = Path("variations") / f"g{archive.generation + 1}-{i}-{stage}"  # made by the next generation
        # Each variation samples with its own seed, so varying one stage twice is not one answer twice.
        varier = designer.with_seed(settings.seed + 1000 * (archive.generation + 1) + i)
        calls.append((varier, folder / str(elite.folder), stage, VARY_NOTE, folder / where))
        made.append((elite, key, stage, str(where)))
    if not calls:
        return []
    pool = remote or LocalExecutor(threads=concurrency)
    candidates = []
    results = pool.map(_varied, [(shipped(call[0], pool), *call[1:]) for call in calls])
    for (elite, key, stage, where), result in zip(made, results, strict=True):
        if result is not None and result.design is not None and not result.errors:
            candidates.append(Candidate(result.data, elite.theme, f"stage:{stage}", key, where))
    if remote is None:
        pool.close()
    return candidates


def _varied(designer: Any, source: Path, stage: str, note: str, out: Path) -> Any:
    """A stage variation whose run raised is no candidate; the search goes on."""
    from genontology.agents.batch import vary_one

    try:
        return vary_one(designer, source, stage, note, out)
    except Exception:  # a failed LM call after its retries, a refused checkpoint: one candidate fewer
        return None


def _opened(folder: Path, asked: Archive) -> Archive:
    """The archive the folder holds (the same search, resumed), or the new one asked for."""
    if not (folder / "archive.json").is_file():
        return asked
    archive = Archive.load(folder)
    same = ("axes", "themes", "start", "seed")
    if any(getattr(archive, name) != getattr(asked, name) for name in same):
        raise ArchiveError(
            f"{folder} holds another search (axes {archive.axes}, {len(archive.themes)} theme(s), "
            f"{len(archive.start)} start design(s), seed {archive.seed}); give a new --out, or the same "
            "arguments to continue it"
        )
    return archive
