"""The music design plan: concept (Program Weaver) -> form -> phrases (Form Architect) -> orchestration
(Orchestrator) -> scenes (Program Weaver), with a Theory Critic; assembled into a CompositionPlan by rule."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from music21 import key as m21key
from pydantic import BaseModel, ConfigDict, Field, field_validator

from genontology.agents.design_plan import DesignPlan, Parts, Stage, meaningful_prompt, plain_text
from genontology.agents.music import parts as P
from genontology.agents.music.roles import ROLES
from genontology.agents.reading import phrases, read_label
from genontology.ontology.echo import descriptions, echoed
from genontology.ontology.io import slug
from genontology.schemas.music import theory as T
from genontology.schemas.music.character import CONVENTIONS, Character
from genontology.schemas.music.model import CompositionPlan, KeySpec
from genontology.schemas.music.vocabulary import INSTRUMENT_RANGE, Instrument


class MusicBrief(BaseModel):
    """A composition request: the theme and, in words, any further wishes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prompt: str = Field(min_length=3, max_length=1000, description="What the piece is about.")
    constraints: str = Field("", max_length=500, description="Further wishes, in words.")
    character: Character | None = Field(
        None, description="What kind of piece (march, lullaby, ...): imposed, read from the theme, or chosen."
    )

    @field_validator("prompt")
    @classmethod
    def _meaningful(cls, prompt: str) -> str:
        return meaningful_prompt(prompt, "a lullaby for a stormy night")

    @field_validator("prompt", "constraints", mode="before")
    @classmethod
    def _plain(cls, text: Any) -> Any:
        return plain_text(text)

    def describe(self) -> str:
        said = f"Theme: {self.prompt}" + (f"\nConstraints: {self.constraints}" if self.constraints else "")
        if self.character is None:
            return said
        name = self.character.value.replace("_", " ")
        return f"{said}\nCharacter: a {name} ({CONVENTIONS[self.character].describe()})"


CLOSE_ENOUGH = 0.65  # cosine similarity at which a phrase of the theme says a character
MARGIN = 0.05  # and by how much more than it says any other


def read(brief: BaseModel) -> tuple[BaseModel, str]:
    """The brief with the character its theme states, when the user imposed none (`agents/reading.py`, by
    meaning with the shipped sentence model), and a note for the trace; none read, the model chooses."""
    assert isinstance(brief, MusicBrief)
    if brief.character is not None:
        return brief, ""
    said = {c: CONVENTIONS[c].said for c in Character}
    found, phrase, similarity = read_label(brief.prompt, said, CLOSE_ENOUGH, MARGIN)
    if found is None:
        return (
            brief,
            f"the theme names no character (closest: {phrase!r}, {similarity:.2f}): the model chooses",
        )
    note = f"character {found.value}, read from the theme's words {phrase!r} ({similarity:.2f})"
    return brief.model_copy(update={"character": found}), note


def form_of(parts: Parts) -> dict[str, Any]:
    """The form as written, as the plan has it: the order as labels, the sections in one list, the home
    section (the order's first) first, in the home key."""
    shape = dict((parts.get("form") or {}).get("form") or {})
    if not shape:
        return {}
    order = str(shape.pop("order")).split()
    sections = [
        {"id": label, "key": "home", **look} if label == order[0] else {"id": label, **look}
        for label, look in shape.items()
    ]
    return {"order": order, "sections": sections}


def _character(parts: Parts) -> Character | None:
    """The character the concept took (the brief's, or the model's choice within the vocabulary)."""
    found = concept_of(parts).get("character")
    return Character(found) if found else None


def _beats(parts: Parts) -> int:
    meter = concept_of(parts).get("meter")
    return T.beats_per_bar(meter) if meter else 4


def concept_of(parts: Parts) -> dict[str, Any]:
    """The concept as written, its style's settings (character, mode, meter, tempo, bpm) at the top."""
    c = dict(parts.get("concept") or {})
    return c | c.pop("style", {})


def home_key(parts: Parts) -> KeySpec:
    """The key the concept chose. Stages after the concept are narrowed against it; before the concept is
    written there is no key to narrow against, and asking for one is an error."""
    c = concept_of(parts)
    if not c:
        raise ValueError("no concept written yet: the home key is unknown")
    return KeySpec(tonic=c["tonic"], mode=c["mode"])


def related(home: KeySpec, relation: str) -> KeySpec | None:
    """The key a relation names, spelled by music21; None for the home key."""
    k = T.to_key(home)
    if relation == "home":
        return None
    if relation == "relative":
        other = k.relative
    elif relation == "parallel":
        other = k.parallel
    else:
        other = m21key.Key(k.tonic.transpose("P5" if relation == "dominant" else "P4").name, k.mode)
    return KeySpec(tonic=other.tonic.name, mode=other.mode)


def section_keys(parts: Parts) -> dict[str, KeySpec]:
    """The key in force in each declared section (the first definition of a repeated id)."""
    home, keys = home_key(parts), {}
    for s in form_of(parts).get("sections", []):
        keys.setdefault(s["id"], related(home, s["key"]) or home)
    return keys


def _section_lines(parts: Parts) -> list[str]:
    """Each declared section, with its key once the concept has named the home key."""
    if not parts.get("concept"):
        ids = dict.fromkeys(s["id"] for s in form_of(parts).get("sections", []))
        return [f"- section {sid}" for sid in ids]
    return [f"- section {sid} in {spec}" for sid, spec in section_keys(parts).items()]


def _inputs(*views: str) -> Any:
    def build(brief: BaseModel, parts: Parts) -> dict[str, str]:
        c = concept_of(parts)
        every = {
            "brief": lambda: brief.describe(),  # type: ignore[attr-defined]
            "concept": lambda: (
                f"{c['title']}: {c['program']}\nKey: {home_key(parts)}; meter {c['meter']}; "
                f"{c['tempo']} at {c['bpm']} BPM"
                if c
                else ""
            ),
            "form": lambda: (
                "\n".join(_section_lines(parts)) + f"\nOrder: {' '.join(form_of(parts).get('order', []))}"
            ),
            "harmony": lambda: "\n".join(
                f"- {sid}: " + " | ".join(f"{' '.join(p['harmony'])} ({p['cadence']})" for p in phrases)
                for sid, phrases in parts.get("phrases", {}).items()
            ),
        }
        return {view: every[view]() for view in views}

    return build


def _by_theme(store: Any, brief: BaseModel, parts: Parts) -> list[Any]:
    return list(store.search(brief.prompt, 2, diversity=0.3))  # type: ignore[attr-defined]


def _by_key(store: Any, brief: BaseModel, parts: Parts) -> list[Any]:
    spec = home_key(parts)
    return list(store.search(f"a piece in {spec}, {spec.mode.value} key, authentic cadence", 2))


def _declared_sections(parts: Parts) -> list[str]:
    ids = list(dict.fromkeys(s["id"] for s in form_of(parts).get("sections", [])))
    if not ids:
        raise ValueError("no sections declared")
    return ids


STAGES = (
    Stage(
        "concept",
        "program_weaver",
        "Invent the piece: a title, its program (mood or story), the key, meter and tempo that carry it.",
        lambda brief, parts: P.concept(brief.character),  # type: ignore[attr-defined]
        _inputs("brief"),
        owns=("$.id", "$.title", "$.program", "$.key", "$.meter", "$.tempo", "$.character"),
        retrieve=_by_theme,
        max_tokens=350,
    ),
    Stage(
        "form",
        "form_architect",
        "Choose the form, the order its sections are played in, from those the piece's character takes; "
        "then the texture and dynamic of each section, and the key of each but the first relative to home.",
        lambda brief, parts: P.form(_character(parts)),
        _inputs("brief", "concept"),
        owns=("$.order", "$.sections", "$.final_cadence"),
        needs=("concept",),
        max_tokens=400,
    ),
    Stage(
        "phrases",
        "form_architect",
        "For each section write its phrases: bars, chords in Roman numerals, and the cadence its last two "
        "chords make (authentic V-I, half ending on V, plagal IV-I, deceptive V-vi).",
        lambda brief, parts: P.phrases(section_keys(parts), _character(parts), _beats(parts)),
        _inputs("concept", "form"),
        owns=("$.sections[*].phrases", "$.sections[*].bars"),
        needs=("form",),
        retrieve=_by_key,
        max_tokens=900,
    ),
    Stage(
        "orchestration",
        "orchestrator",
        "Choose who takes each of the four parts and its range, and the melody's range and shape.",
        lambda brief, parts: P.orchestration(),
        _inputs("concept", "form"),
        owns=("$.voices", "$.melody"),
        max_tokens=450,
    ),
    Stage(
        "scenes",
        "program_weaver",
        "For each section, one line on what it depicts in the program.",
        lambda brief, parts: P.scenes(_declared_sections(parts)),
        _inputs("concept", "form"),
        owns=("$.scenes",),
        needs=("form",),
        max_tokens=400,
    ),
)

CRITIC_TARGETS = ["sections", "order", "voices", "melody", "scenes", "tempo"]
CRITIC = Stage(
    "critique",
    "theory_critic",
    "Mark what a strict theory teacher would mark in red: weak or missing cadences, aimless harmony, a form "
    "without return, voices out of range. Report only real problems; an empty list is a fine answer.",
    lambda brief, parts: P.critique(CRITIC_TARGETS),
    _inputs("concept", "form", "harmony"),
    max_tokens=450,
)

ROUTES = {
    "form.unknown-section": "form",
    "form.duplicate-section": "form",
    "modulation.implausible": "form",
    "cadence.final": "phrases",
    "harmony.too-dense": "phrases",
    "key.unreal": "concept",
}

ROLE_OF = {"soprano": "melody", "alto": "inner", "tenor": "inner", "bass": "bass"}


def _own_words(text: str, instead: str) -> str:
    """`text`, unless it is missing or copies an instruction of the plan: then `instead`, the theme's words.

    A small model answers "title" with the title's description; the validator reports that
    (text.echoes-instructions), but the model repeats itself when asked again, so the plan takes the words
    the user gave rather than the words of the form."""
    return instead if not text.strip() or echoed(text, descriptions(CompositionPlan)) else text


def assemble(brief: BaseModel, parts: Parts) -> dict[str, Any]:
    """The plan from the stage outputs, by rule: keys spelled by music21, lengths summed, roles by part.

    Only what the stages wrote goes in. A stage output that is missing (a failed or skipped stage) leaves its
    fields out, so the schema reports them missing at the paths that stage owns and the loop routes the
    fault back to it; nothing is filled in with a default that the status would count as the model's work."""
    prompt = getattr(brief, "prompt", "music")
    theme = prompt[:60].strip().title()
    plan: dict[str, Any] = {"final_cadence": "authentic"}  # the plan's declaration, checked by cadence.final
    concept = concept_of(parts)
    if concept:
        title = _own_words(concept.get("title", ""), theme)
        plan |= {
            "id": slug(title, 32),
            "title": title,
            "program": _own_words(concept.get("program", ""), prompt[:400]),
            "key": home_key(parts).model_dump(mode="json"),
            "meter": concept["meter"],
            "tempo": {"marking": concept["tempo"], "bpm": concept["bpm"]},
        }
        if "character" in concept:
            plan["character"] = concept["character"]
    form = form_of(parts)
    if form:
        plan |= {"sections": _sections(form, parts), "order": form["order"]}
    orchestration = parts.get("orchestration")
    if orchestration:
        melody = _melody(orchestration)
        plan["voices"] = [
            {"id": slot, "role": ROLE_OF[slot], **_sings(orchestration[slot], melody, slot)}
            for slot in P.SLOTS
            if slot in orchestration
        ]
        if melody:
            plan["melody"] = melody
    plan["scenes"] = {  # a line that says nothing the plan does not say is left out, not replaced
        sid: text for sid, text in parts.get("scenes", {}).items() if not _says_nothing(text, sid, plan)
    }
    return plan


def _melody(orchestration: dict[str, Any]) -> dict[str, Any] | None:
    """The plan's melody from the part: its highest note follows from its lowest and its span, within the
    range of the instrument that carries it."""
    if "melody" not in orchestration:
        return None
    melody = dict(orchestration["melody"])
    if "span" not in melody:  # a part written before spans (an earlier checkpoint) keeps the range it gave
        return melody
    top = P.SLOTS["soprano"][2]
    singer = orchestration.get("soprano")
    if singer:
        top = min(top, INSTRUMENT_RANGE[Instrument(singer["instrument"])][1], key=_ps)
    melody["low"], melody["high"] = P.melody_range(melody["low"], melody.pop("span"), top)
    return melody


def _sings(voice: dict[str, Any], melody: dict[str, Any] | None, slot: str) -> dict[str, Any]:
    """The voice, its range widened where needed to take the melody when it carries it."""
    if melody is None or ROLE_OF[slot] != "melody":
        return voice
    low, high = min(voice["low"], melody["low"], key=_ps), max(voice["high"], melody["high"], key=_ps)
    return voice | {"low": low, "high": high}


def _ps(name: str) -> float:
    return T.to_pitch(name).ps


def _says_nothing(scene: str, sid: str, plan: dict[str, Any]) -> bool:
    """A scene that copies the program or an instruction, or whose words are only the title's and the
    section's ("A Lullaby For A Stormy Night, section A.")."""
    title, program = plan.get("title", ""), plan.get("program", "")
    if not scene.strip() or echoed(scene, [t for t in (program, *descriptions(CompositionPlan)) if t]):
        return True
    words = set(phrases(scene)) & set(re.findall(r"[a-z']+", scene.lower()))
    return words <= set(re.findall(r"[a-z']+", title.lower())) | {"section", sid.lower()}


def _sections(form: dict[str, Any], parts: Parts) -> list[dict[str, Any]]:
    """The declared sections with their written phrases; a section nobody wrote phrases for has none."""
    home = home_key(parts) if parts.get("concept") else None
    written = parts.get("phrases", {})
    sections = []
    for s in form["sections"]:
        section: dict[str, Any] = {"id": s["id"], **{k: s[k] for k in ("texture", "dynamic") if k in s}}
        if s["id"] in written:
            section |= {"phrases": written[s["id"]], "bars": sum(p["bars"] for p in written[s["id"]])}
        spec = related(home, s["key"]) if home is not None else None
        if spec is not None:
            section.update(key=spec.model_dump(mode="json"), approach="direct")
        sections.append(section)
    return sections


def write_score(plan: BaseModel, folder: Path) -> list[str]:
    """The plan realized as notes: score.musicxml, score.mid and score.png (the trained realizer)."""
    from genontology.generators.music import realize_to_folder

    return realize_to_folder(plan, folder)  # type: ignore[arg-type]


def music_plan() -> DesignPlan:
    return DesignPlan(
        domain="music",
        brief=MusicBrief,
        roles=ROLES,
        stages=STAGES,
        assemble=assemble,
        critic=CRITIC,
        routes=ROUTES,
        artifacts=write_score,
        read=read,
    )
