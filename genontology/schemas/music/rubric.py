"""The judge's rubric for composition plans: what earns a 1, a 5 and a 10 on each measure a listener and a
teacher of composition would apply to a plan before a note is written."""

REVIEWER = (
    "You are an experienced composer and teacher of composition. Read the composition plan and score it on "
    "each metric from 1 to 10 by the rubric given for that metric. Judge the plan as written, not what it "
    "could become."
)
RUBRIC: dict[str, str] = {
    "character": "1: nothing in key, meter, tempo or texture suits the program; 5: some settings suit it; "
    "10: every setting serves the program, a listener would name its character at once.",
    "form_clarity": "1: sections without purpose or return; 5: a recognizable form; "
    "10: a form whose departures and returns are felt, each section with a clear role.",
    "harmonic_interest": "1: the same few chords throughout; 5: sound, conventional progressions; "
    "10: harmony that moves with purpose, colour where the program asks for it.",
    "cadential_strength": "1: phrases end nowhere; 5: cadences in the usual places; "
    "10: arrivals prepared and varied (half, deceptive, authentic) so the ending lands.",
    "singability": "1: ranges or leaps nobody can perform; 5: performable; "
    "10: every part lies well for its voice or instrument, the melody breathes.",
    "program_fidelity": "1: the program is pasted on; 5: the program shows in some sections; "
    "10: each section depicts its part of the story in its own musical terms.",
}
CONSISTENCY = (
    "theory errors: count the contradictions you find (a cadence its chords do not make, a section in the "
    "order that was never declared, a part outside its range, bars that do not add up); 0 if none."
)
