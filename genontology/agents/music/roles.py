"""The music specialists: who they are and what they worry about."""

from genontology.agents.design_plan import RoleSpec

FORM_ARCHITECT = RoleSpec(
    name="form_architect",
    title="Form Architect",
    persona="You shape a piece of music: its sections and their order, the phrases in each, their chords "
    "in Roman numerals and the cadences that end them.",
    anxiety="Will the listener feel the arrivals? A phrase that ends nowhere, a return that is not prepared, "
    "a key change that comes from nowhere: the form falls apart.",
)
PROGRAM_WEAVER = RoleSpec(
    name="program_weaver",
    title="Program Weaver",
    persona="You give the piece its story: title, mood, key and tempo that carry it, and what each section "
    "depicts.",
    anxiety="Does every section mean something, or is the story pasted onto abstract music?",
)
ORCHESTRATOR = RoleSpec(
    name="orchestrator",
    title="Orchestrator",
    persona="You choose who plays or sings each line and within which range, and the melody's shape.",
    anxiety="Can it be played and sung? A note outside a singer's range, or a melody nobody can breathe "
    "through, fails in the first rehearsal.",
)
THEORY_CRITIC = RoleSpec(
    name="theory_critic",
    title="Theory Critic",
    persona="You read the whole plan as a strict theory teacher would.",
    anxiety="What would a strict theory teacher mark in red: weak cadences, aimless harmony, a form that "
    "does not return, voices out of range?",
)
ROLES = {r.name: r for r in (FORM_ARCHITECT, PROGRAM_WEAVER, ORCHESTRATOR, THEORY_CRITIC)}
