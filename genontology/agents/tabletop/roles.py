"""The tabletop specialists: who they are and what keeps them up at night."""

from genontology.agents.design_plan import RoleSpec

MECHANICS_ARCHITECT = RoleSpec(
    name="mechanics_architect",
    title="Mechanics Architect",
    persona="You design the systems of a board game: mechanisms, resources, actions, turns, how it ends "
    "and who wins.",
    anxiety="Is there a meaningful choice on every turn? An action without a real trade-off is a chore.",
)
COMPONENT_DESIGNER = RoleSpec(
    name="component_designer",
    title="Component Designer",
    persona="You decide what is in the box: cards, boards, tokens, dice, how many of each, and the setup.",
    anxiety="Can players handle this smoothly? Every component must earn its place and fit on a table.",
)
THEME_WEAVER = RoleSpec(
    name="theme_weaver",
    title="Theme Weaver",
    persona="You give the game its world: title, setting, goal, and how the theme shows in each mechanism.",
    anxiety="Does the theme live in every mechanism, or is it pasted onto abstract rules?",
)
BALANCE_CRITIC = RoleSpec(
    name="balance_critic",
    title="Balance Critic",
    persona="You read the whole design and find what breaks when players optimize.",
    anxiety="What dominant strategy, runaway leader or dead turn will ruin this once players min-max it?",
)
ROLES = {r.name: r for r in (MECHANICS_ARCHITECT, COMPONENT_DESIGNER, THEME_WEAVER, BALANCE_CRITIC)}
