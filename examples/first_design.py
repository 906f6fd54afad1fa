"""A first design with the embedded default model: no API key, no GPU, about a minute on 2 cores.

.venv/bin/python examples/first_design.py "bioluminescent fungi competing in a cave ecosystem"
"""

import sys

from genontology.agents import Designer


def main() -> None:
    theme = sys.argv[1] if len(sys.argv) > 1 else "bioluminescent fungi competing in a cave ecosystem"
    designer = Designer(on_event=print)  # lm=None: $GENONTOLOGY_LM, else the embedded model
    result = designer.run(theme, players="2-4", minutes=60, out="out/first_design")
    print(result)
    for violation in result.violations:
        print(" ", violation)
    print(result.to_markdown()[:1500])
    print("usage:", result.usage)


if __name__ == "__main__":
    main()
