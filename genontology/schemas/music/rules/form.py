"""Form rules: sections, their order and lengths, the program per section, the tempo."""

from __future__ import annotations

from collections.abc import Iterator

from genontology.ontology.rules import Finding, repeats
from genontology.ontology.violations import Fix, Severity, json_path
from genontology.schemas.music.model import CompositionPlan
from genontology.schemas.music.rules.base import Context, rule
from genontology.schemas.music.vocabulary import TEMPO_BPM


@rule("form.bars-mismatch")
def bars_mismatch(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """A section's length is the sum of its phrases' lengths."""
    for si, section in enumerate(plan.sections):
        total = sum(p.bars for p in section.phrases)
        if total != section.bars:
            path = json_path("sections", si, "bars")
            yield Finding(
                path,
                f"section {section.id} is {section.bars} bars, but its phrases add up to {total}",
                "make the section's bars the sum of its phrases' bars",
                fix=Fix(op="set", path=path, value=total, description=f"{path} = {total}"),
            )


@rule("form.duplicate-section")
def duplicate_section(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Section ids are unique, so the order and the program name one section each."""
    for si, _ in repeats(s.id for s in plan.sections):
        yield Finding(
            json_path("sections", si, "id"),
            f"section id {plan.sections[si].id} is defined twice",
            "give each section its own id (A, B, A', coda)",
        )


@rule("form.unknown-section")
def unknown_section(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Every section the order plays is defined in the plan."""
    for i, sid in enumerate(plan.order):
        if sid not in ctx.sections:
            path = json_path("order", i)
            yield Finding(
                path,
                f"the order plays section {sid}, which is not defined",
                f"define section {sid} or use one of: {', '.join(ctx.sections)}",
                fix=Fix(
                    op="remove", path=path, description=f"dropped the undefined section {sid} from the order"
                ),
            )


@rule("form.unused-section")
def unused_section(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Every defined section is played somewhere in the order."""
    unplayed = [sid for sid in ctx.sections if sid not in plan.order]
    # The fix plays the unplayed sections after the rest (each finding carries the same whole-order fix).
    order = [*plan.order, *unplayed][:16]
    for sid in unplayed:
        yield Finding(
            json_path("sections", ctx.sections[sid][0]),
            f"section {sid} is defined but never played",
            f"add {sid} to the order, or remove it",
            fix=Fix(op="set", path=json_path("order"), value=order, description=f"order: {' '.join(order)}"),
        )


@rule("scene.unknown-section")
def unknown_scene(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """The program describes only sections that exist in the plan."""
    for sid in plan.scenes:
        if sid not in ctx.sections:
            path = json_path("scenes", sid)
            yield Finding(
                path,
                f"the program describes section {sid}, which is not defined",
                "key the program by section ids",
                fix=Fix(op="remove", path=path, description=f"removed the scene of unknown section {sid}"),
            )


@rule("scene.missing", Severity.warning)
def missing_scene(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """Every section means something: the program says what each one depicts."""
    for sid in ctx.sections:
        if sid not in plan.scenes:
            yield Finding(
                json_path("scenes"), f"section {sid} has no program", f"say what section {sid} depicts"
            )


@rule("tempo.marking")
def tempo_marking(plan: CompositionPlan, ctx: Context) -> Iterator[Finding]:
    """The metronome mark lies within the usual span of the tempo marking."""
    low, high = TEMPO_BPM[plan.tempo.marking]
    if not low <= plan.tempo.bpm <= high:
        fixed = min(max(plan.tempo.bpm, low), high)
        yield Finding(
            json_path("tempo", "bpm"),
            f"{plan.tempo.marking.value} is {low}-{high} BPM, not {plan.tempo.bpm}",
            f"set the BPM within {low}-{high}, or choose the marking that fits {plan.tempo.bpm}",
            fix=Fix(op="set", path=json_path("tempo", "bpm"), value=fixed, description=f"bpm = {fixed}"),
        )
