"""Reading design files safely (JSON or YAML, never executing anything) and writing them atomically."""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from genontology.ontology.errors import DesignFileError, OutputFolderError

MAX_FILE_BYTES = 10_000_000  # the largest exemplar is 12 kB; a design file a thousand times that is not one
MAX_NODES = 1_000_000  # values in a design once YAML aliases are expanded: 10,000 components is about 100,000
MAX_DEPTH = 100  # nested collections; a design nests about 6 deep, so 100 is no design
# libyaml's C parser where PyYAML has it: nine times the pure-Python loader's speed (the 80 exemplars load
# in 0.6 s, not 5.4 s, in every process that reads them), the same safe subset of YAML
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """YAML text as plain values (no tags that build objects), with the fastest safe loader installed."""
    return yaml.load(text, Loader=_YAML_LOADER)


def load_design_file(path: str | Path) -> dict[str, Any]:
    """Parse a JSON or YAML file into a mapping; any failure is a DesignFileError with a one-line reason.
    Refused: more than MAX_FILE_BYTES (no more is read, so a device or a pipe ends too); nesting past
    MAX_DEPTH (YAML) or the interpreter's recursion limit (JSON); YAML whose aliases expand past MAX_NODES
    values ("billion laughs") or make it contain itself."""
    path = Path(path)
    try:
        with path.open("rb") as handle:  # bounded: a device or a pipe (/dev/zero) ends too
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise DesignFileError(f"{path}: over {MAX_FILE_BYTES:,} bytes; a design file is not that large")
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise DesignFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DesignFileError(f"{path}: is a directory, expected a JSON or YAML file") from None
    except UnicodeDecodeError as exc:
        raise DesignFileError(f"{path}: not UTF-8 text (byte {exc.start} cannot be decoded)") from None
    except OSError as exc:
        raise DesignFileError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            _check_yaml_depth(text, path)
            data = parse_yaml(text)
    except json.JSONDecodeError as exc:
        raise DesignFileError(
            f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise DesignFileError(f"{path}: invalid YAML{where}: {problem}") from None
    except RecursionError:
        raise DesignFileError(f"{path}: nested too deeply to be a design") from None
    if not isinstance(data, dict):
        raise DesignFileError(f"{path}: expected a mapping (a JSON object), got {type(data).__name__}")
    _check_expanded_size(data, path)
    return data


def _check_yaml_depth(text: str, path: Path) -> None:
    """Refuse YAML nested past MAX_DEPTH from its event stream, which the parser yields without recursing:
    building 10,000 nested lists first would take seconds and end in a RecursionError anyway."""
    depth = 0
    for event in yaml.parse(text, Loader=_YAML_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise DesignFileError(f"{path}: nested too deeply to be a design (over {MAX_DEPTH} levels)")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_expanded_size(data: Any, path: Path) -> None:
    """Count values as a reader would see them, counting each shared (aliased) value at every use, without
    expanding anything: a post-order walk with the size of each container remembered by identity."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(data, False)]
    open_ids: set[int] = set()
    while stack:
        node, children_done = stack.pop()
        if not isinstance(node, dict | list) or (id(node) in sizes and not children_done):
            continue
        children = list(node.values()) if isinstance(node, dict) else node
        if children_done:
            open_ids.discard(id(node))
            total = 1 + sum(sizes.get(id(c), 1) for c in children)
            if total > MAX_NODES:
                raise DesignFileError(f"{path}: expands to over {MAX_NODES:,} values (YAML aliases?)")
            sizes[id(node)] = total
            continue
        if id(node) in open_ids:
            raise DesignFileError(f"{path}: a YAML alias makes the design contain itself")
        open_ids.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in children if isinstance(c, dict | list))


HOME_VAR = "GENONTOLOGY_HOME"


def data_home() -> Path:
    """The user's data folder (the exemplar store, trained models): $GENONTOLOGY_HOME, else
    $XDG_DATA_HOME/genontology, else ~/.local/share/genontology. Never inside the installed package."""
    if os.environ.get(HOME_VAR):
        return Path(os.environ[HOME_VAR]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "genontology"


def slug(text: str, limit: int = 48, sep: str = "-", empty: str = "design") -> str:
    """Lowercase ASCII words of `text` joined by `sep`, at most `limit` characters; `empty` if none are left.
    Safe as a folder name (never `..`, a slash or empty) and, with `sep="_"`, as the stem of an identifier."""
    return re.sub(r"[^a-z0-9]+", sep, text.lower()).strip(sep)[:limit].strip(sep) or empty


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


def write_figure(fig: Any, path: str | Path, **savefig: Any) -> Path:
    """Render a matplotlib figure in memory (format from the suffix) and write it atomically."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format=Path(path).suffix.lstrip(".").lower() or "png", **savefig)
    write_atomic(path, buffer.getvalue())
    return Path(path)


def remove_partial_writes(folder: str | Path) -> list[str]:
    """Delete the temp files `write_atomic` leaves when its process is killed mid-write; returns their
    names. The files they were meant to replace are intact: the rename never happened."""
    removed = []
    for tmp in Path(folder).glob(".*.tmp"):
        if tmp.is_file():
            tmp.unlink(missing_ok=True)
            removed.append(tmp.name)
    return removed


def claim_output_folder(folder: str | Path, marker: str) -> Path:
    """The folder a run will write into: new, empty, or an earlier run's (it holds `marker`, or only folders
    of earlier runs, as a run of several parts leaves when it stops before its end). A file, or a folder
    holding other files, is refused: a run must never overwrite files it did not write."""
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise OutputFolderError(f"{path}: exists and is not a folder")
    if path.is_dir() and not (path / marker).is_file():
        others = sorted(p.name for p in path.iterdir() if not (p / marker).is_file())
        if others:
            shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
            raise OutputFolderError(
                f"{path}: holds files no earlier run wrote ({shown}); choose a new or empty folder"
            )
    return path
