"""How many realistic faults of quantity does the validator catch? The broken-design set (tests/
broken_designs.py: sixteen kinds of fault, each applied to the first exemplars it fits) validated by one or
more source trees in the same run, so that a tree from before the reachable-ranges analysis is the baseline.

A case counts as caught when validation reports an error (any code; the tests require the kind's own codes).
Also reported per tree: shipped exemplars with an error (should be none).

    python benchmarks/broken_designs.py --tree before=/tmp/oldtree --tree after=. [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
from broken_designs import broken  # the set the tests check

VALIDATE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from genontology import get_domain
domain = get_domain("tabletop")
cases = json.loads(open(sys.argv[2]).read())
errors = {name: sorted({v.code for v in domain.validate(data) if v.severity.value == "error"})
          for name, data in cases.items()}
flagged = [d.id for d in domain.load_exemplars()
           if any(v.severity.value == "error" for v in domain.validate(d.model_dump(mode="json")))]
print(json.dumps({"errors": errors, "exemplars_flagged": flagged}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", action="append", required=True, help="NAME=PATH of a checkout")
    parser.add_argument("--out", default="benchmarks/out/broken_designs.json")
    args = parser.parse_args()
    cases = broken()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({c.name: c.data for c in cases}, handle)
    report = {"cases": len(cases), "kinds": len({c.kind for c in cases}), "trees": {}}
    for name, path in (t.split("=", 1) for t in args.tree):
        run = subprocess.run(
            [sys.executable, "-c", VALIDATE, str(Path(path).resolve()), handle.name],
            capture_output=True,
            text=True,
            check=True,
        )
        found = json.loads(run.stdout.strip().splitlines()[-1])
        by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for c in cases:
            by_kind[c.kind][0] += bool(found["errors"][c.name])
            by_kind[c.kind][1] += 1
        caught = sum(bool(found["errors"][c.name]) for c in cases)
        report["trees"][name] = {
            "caught": caught,
            "rate": round(caught / len(cases), 3),
            "by_kind": {k: f"{a}/{b}" for k, (a, b) in by_kind.items()},
            "exemplars_flagged": found["exemplars_flagged"],
            "missed": [c.name for c in cases if not found["errors"][c.name]],
        }
        print(f"{name}: {caught}/{len(cases)} caught; exemplars flagged: {found['exemplars_flagged']}")
        for kind, (a, b) in by_kind.items():
            print(f"  {kind:<28} {a}/{b}")
    Path(handle.name).unlink()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
