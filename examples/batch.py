"""Several themes in one call: results come back in input order, and one failed run does not sink the batch.

.venv/bin/python examples/batch.py
"""

from genontology.agents import Designer


def main() -> None:
    themes = [
        "deep sea salvage divers racing for sunken treasure",
        "bees building a hive before winter",
        "street food vendors at a night market",
    ]
    results = Designer().run_many(themes, concurrency=2, players="2-4", minutes=45)
    for theme, result in zip(themes, results, strict=True):
        print(f"{result.status:<20} {result.usage.get('wall_s', 0):6.1f} s  {theme}  {result.error or ''}")


if __name__ == "__main__":
    main()
