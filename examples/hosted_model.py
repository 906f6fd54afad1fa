"""The same pipeline on a hosted model through litellm: any `<provider>/<model>` litellm knows.

    OPENAI_API_KEY=... .venv/bin/python examples/hosted_model.py openai/gpt-4o-mini
    ANTHROPIC_API_KEY=... .venv/bin/python examples/hosted_model.py anthropic/claude-sonnet-4-5

Keys are read by litellm from the environment and never written to the trace (it is redacted).
"""

import sys

from genontology.agents import Designer
from genontology.generators import LMError


def main() -> None:
    model = sys.argv[1] if len(sys.argv) > 1 else "openai/gpt-4o-mini"
    designer = Designer(lm=model, max_rounds=3, on_event=print)
    try:
        result = designer.run(
            "rival tea merchants on the silk road", players="2-5", minutes=75, out="out/hosted"
        )
    except LMError as exc:  # no key, no network, unknown model: one clear line
        sys.exit(f"{model}: {exc}")
    print(result)
    print(result.to_markdown())


if __name__ == "__main__":
    main()
