"""The judge's rubric for tabletop designs: the reference paper's nine metrics, each with what earns a 1, a 5
and a 10, so that two scorings of one design can agree for the right reason."""

REVIEWER = (
    "You are an experienced game reviewer. Read the design and score it on each metric from 1 to 10 by the "
    "rubric given for that metric. Judge the design as written, not what it could become."
)
RUBRIC: dict[str, str] = {
    "fun": "1: a chore nobody would replay; 5: pleasant, with some exciting moments; "
    "10: every turn is a pleasure and players ask for another game.",
    "strategic_depth": "1: the best move is always obvious; 5: a few viable plans; "
    "10: many plans that interact, rewarding planning ahead and reading opponents.",
    "tension_drama": "1: the winner is clear early; 5: some swings; "
    "10: the outcome stays uncertain until the end, with comebacks and close finishes.",
    "social_interaction": "1: solitaire side by side; 5: players affect each other now and then; "
    "10: every decision depends on and changes what the others do.",
    "elegance": "1: many rules and exceptions for little effect; 5: workable; "
    "10: few rules that combine into rich play, nothing superfluous.",
    "replayability": "1: the same game every time; 5: some variety from setup or draws; "
    "10: different every time through variable setup, paths and opponents.",
    "theme_cohesion": "1: the theme is pasted on; 5: the theme shows in some mechanisms; "
    "10: every mechanism and component expresses the theme.",
    "player_agency": "1: the game plays itself (dice, forced moves); 5: some real choices; "
    "10: every turn offers meaningful choices whose consequences players can foresee.",
}
CONSISTENCY = (
    "structural consistency errors: count the contradictions and dangling references you find (a rule naming "
    "something never defined, a resource nothing produces, an end condition that cannot happen); 0 if none."
)
