"""Reading design files safely (JSON or YAML, never executing anything) and writing them atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from genontology.ontology.errors import DesignFileError


def load_design_file(path: str | Path) -> dict[str, Any]:
    """Parse a JSON or YAML file into a mapping; any failure is a DesignFileError with a one-line reason."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DesignFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DesignFileError(f"{path}: is a directory, expected a JSON or YAML file") from None
    except UnicodeDecodeError:
        raise DesignFileError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise DesignFileError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise DesignFileError(
            f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise DesignFileError(f"{path}: invalid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise DesignFileError(f"{path}: expected a mapping (a JSON object), got {type(data).__name__}")
    return data


def write_atomic(path: str | Path, text: str | bytes) -> None:
    """Write via a temp file in the same folder and an atomic rename: readers see old or new, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        binary = isinstance(text, bytes)
        with os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else "utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
