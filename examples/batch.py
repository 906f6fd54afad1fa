"""Several themes in one call: results come back in input order, and one failed run does not sink the batch.
Each run is checkpointed in designs/batch/<i>-<theme>, so running this again continues an interrupted batch.
With --ray, each theme is a Ray task (a local Ray, or the cluster $RAY_ADDRESS names; pip install
'genontology[ray]'); every worker loads the embedded model itself.

.venv/bin/python examples/batch.py [--ray]
"""

import sys

from genontology.agents import Designer
from genontology.agents.batch import BatchProgress


def main() -> None:
    themes = [
        "deep sea salvage divers racing for sunken treasure",
        "bees building a hive before winter",
        "street food vendors at a night market",
    ]

    def progress(p: BatchProgress) -> None:
        print(p.line(), file=sys.stderr)

    results = Designer().run_many(
        themes,
        concurrency=2,
        out="designs/batch",
        executor="ray" if "--ray" in sys.argv else None,
        on_progress=progress,
        players="2-4",
        minutes=45,
    )
    for theme, result in zip(themes, results, strict=True):
        print(f"{result.status:<20} {result.usage.get('wall_s', 0):6.1f} s  {theme}  {result.error or ''}")


if __name__ == "__main__":
    main()
