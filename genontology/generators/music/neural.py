"""The trained realizer: one transformer encoder over beats that fills masked voices (SATB), conditioned on
the chord, its bass and the position in the bar. Trained on music21's Bach chorales, transposed to C, with
a full-to-full masking curriculum (from every voice hidden to any mix of hidden and given), so one model
writes all four voices from a chord plan or harmonizes a given melody.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib.resources import files
from itertools import combinations
from pathlib import Path
from typing import Any

import torch
from torch import nn

from genontology.generators.music.grid import Grid, Lines
from genontology.generators.music.metrics import parallel
from genontology.ontology.errors import GenontologyError

LOW, HIGH = 28, 88  # MIDI span the model writes (E1..E6); in C-normalized space
PITCHES = HIGH - LOW + 1
MASK = PITCHES  # token id of a hidden note
WINDOW = 32
WEIGHTS = "realizer.pt"


class TrainingError(GenontologyError):
    """The realizer cannot be trained as asked (no usable training data)."""


@dataclass(frozen=True)
class RealizerConfig:
    dim: int = 128
    layers: int = 3
    heads: int = 4
    ff: int = 256
    dropout: float = 0.1


class Realizer(nn.Module):
    def __init__(self, config: RealizerConfig = RealizerConfig()) -> None:
        super().__init__()
        self.config = config
        d = config.dim
        self.notes = nn.ModuleList(nn.Embedding(PITCHES + 1, d) for _ in range(4))
        self.chord = nn.Linear(12, d)
        self.bass = nn.Embedding(12, d)
        self.beat = nn.Embedding(4, d)  # position in the bar, capped at 3
        self.cadence = nn.Embedding(2, d)  # a phrase ends on this beat
        self.mode = nn.Embedding(2, d)
        self.position = nn.Embedding(WINDOW, d)
        layer = nn.TransformerEncoderLayer(d, config.heads, config.ff, config.dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.layers)
        self.heads = nn.ModuleList(nn.Linear(d, PITCHES) for _ in range(4))

    def forward(self, notes: torch.Tensor, cond: dict[str, torch.Tensor]) -> torch.Tensor:
        """notes: (B, T, 4) token ids; returns (B, T, 4, PITCHES) logits."""
        steps = notes.shape[1]
        x = sum(self.notes[v](notes[..., v]) for v in range(4))
        x = x + self.chord(cond["chord"]) + self.bass(cond["bass"]) + self.beat(cond["beat"])
        x = x + self.cadence(cond["cadence"]) + self.mode(cond["mode"]).unsqueeze(1)
        x = x + self.position(torch.arange(steps, device=notes.device))
        h = self.encoder(x)
        return torch.stack([head(h) for head in self.heads], dim=2)


def device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


# Data ----------------------------------------------------------------------------------------------------
def shift_to_c(tonic: int) -> int:
    """Semitones that move a piece whose tonic is pitch class `tonic` to C, by at most a tritone (F sharp goes
    up to C). Training moves every chorale by it; generation moves the C-normalized model back by its
    negation, so that the two cannot disagree."""
    return -((tonic + 6) % 12 - 6)


def shift_from_c(tonic: int) -> int:
    """Semitones that move the C-normalized model to a key whose tonic is pitch class `tonic`."""
    return -shift_to_c(tonic)


def chorale_rows(path: Path) -> dict[str, Any] | None:
    """One chorale on the beat grid, transposed so its tonic is C: four voices, chord, bass, beat, ends."""
    from music21 import chord, corpus, expressions

    score = corpus.parse(str(path))
    parts = list(score.parts)
    if len(parts) != 4:
        return None
    k = score.analyze("key")
    shift = shift_to_c(k.tonic.pitchClass)
    signatures = score.recurse().getElementsByClass("TimeSignature")
    if not signatures:
        return None
    ts = signatures[0]
    beat_q, per_bar = float(ts.beatDuration.quarterLength), int(ts.beatCount)
    flats = [p.flatten().notesAndRests.stream() for p in parts]
    end = float(score.highestTime)
    chords = score.chordify().flatten()
    ends = {
        float(n.offset + n.quarterLength - beat_q)
        for n in parts[0].flatten().notes
        if any(isinstance(e, expressions.Fermata) for e in n.expressions)
    }
    rows: dict[str, list[Any]] = {"notes": [], "chord": [], "bass": [], "beat": [], "cadence": []}
    t = float(flats[0].notes[0].offset) if flats[0].notes else 0.0
    while t < end - 1e-6:
        voices = []
        for f in flats:
            e = f.getElementAtOrBefore(t)
            voices.append(int(e.pitch.midi) + shift if e is not None and e.isNote else None)
        sounding = chords.getElementAtOrBefore(t, [chord.Chord])
        if None in voices or sounding is None or any(not LOW <= v <= HIGH for v in voices if v):
            t += beat_q
            continue
        pcs = [0.0] * 12
        for p in sounding.pitches:
            pcs[(p.pitchClass + shift) % 12] = 1.0
        rows["notes"].append([v - LOW for v in voices if v is not None])
        rows["chord"].append(pcs)
        rows["bass"].append((voices[3] or 0) % 12)
        rows["beat"].append(min(3, round(t / beat_q) % per_bar))
        rows["cadence"].append(int(any(abs(t - e) < 1e-6 for e in ends)))
        t += beat_q
    return {**rows, "mode": int(k.mode == "minor")} if len(rows["notes"]) >= 8 else None


def windows(rows: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
    """Fixed-length training windows (stride half a window), padded by repeating the last beat."""
    out: dict[str, list[Any]] = {k: [] for k in ("notes", "chord", "bass", "beat", "cadence", "mode")}
    for r in rows:
        n = len(r["notes"])
        for start in range(0, max(1, n - WINDOW // 2), WINDOW // 2):
            idx = [min(n - 1, start + i) for i in range(WINDOW)]
            for k in ("notes", "chord", "bass", "beat", "cadence"):
                out[k].append([r[k][i] for i in idx])
            out["mode"].append(r["mode"])
    return {
        "notes": torch.tensor(out["notes"], dtype=torch.long),
        "chord": torch.tensor(out["chord"], dtype=torch.float32),
        "bass": torch.tensor(out["bass"], dtype=torch.long),
        "beat": torch.tensor(out["beat"], dtype=torch.long),
        "cadence": torch.tensor(out["cadence"], dtype=torch.long),
        "mode": torch.tensor(out["mode"], dtype=torch.long),
    }


# Training ------------------------------------------------------------------------------------------------
def _mask(notes: torch.Tensor, progress: float, generator: torch.Generator) -> torch.Tensor:
    """Which notes are hidden. Early in training most are (full masking); later any ratio, and a quarter of
    the windows hide exactly the three lower voices (harmonizing a given melody)."""
    b, steps, _ = notes.shape
    floor = max(0.0, 1.0 - 2 * progress)  # full -> full: the minimum ratio falls from 1 to 0
    ratio = floor + (1 - floor) * torch.rand(b, 1, 1, generator=generator)
    hidden = torch.rand(b, steps, 4, generator=generator) < ratio
    melody_given = torch.rand(b, generator=generator) < 0.25 * progress
    hidden[melody_given] = torch.tensor([False, True, True, True])
    return hidden


def train(
    rows: list[dict[str, Any]],
    epochs: int = 30,
    seed: int = 0,
    batch: int = 64,
    lr: float = 2e-3,
    config: RealizerConfig = RealizerConfig(),
    log: Callable[[str], None] = print,
    on: torch.device | None = None,
) -> tuple[Realizer, dict[str, Any]]:
    """Train a realizer on `rows` (on CUDA when present, unless `on` names a device)."""
    torch.manual_seed(seed)
    random.seed(seed)
    generator = torch.Generator().manual_seed(seed)
    data = windows(rows)
    dev = on or device()
    model = Realizer(config).to(dev)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    count = data["notes"].shape[0]
    steps = epochs * math.ceil(count / batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps)
    began, losses = time.perf_counter(), []
    for epoch in range(epochs):
        order = torch.randperm(count, generator=generator)
        total = 0.0
        for start in range(0, count, batch):
            idx = order[start : start + batch]
            notes = data["notes"][idx]
            hidden = _mask(notes, epoch / max(1, epochs - 1), generator)
            given = notes.masked_fill(hidden, MASK)
            cond = {k: data[k][idx].to(dev) for k in ("chord", "bass", "beat", "cadence", "mode")}
            logits = model(given.to(dev), cond)
            loss = nn.functional.cross_entropy(logits[hidden.to(dev)], notes.to(dev)[hidden.to(dev)])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss.detach()) * len(idx)
        losses.append(total / count)
        log(f"epoch {epoch + 1}/{epochs}: loss {losses[-1]:.3f}")
    report = {
        "windows": count,
        "epochs": epochs,
        "seed": seed,
        "final_loss": round(losses[-1], 4),
        "train_s": round(time.perf_counter() - began, 1),
        "device": str(dev),
        "parameters": sum(p.numel() for p in model.parameters()),
    }
    return model, report


def save(model: Realizer, path: Path, report: dict[str, Any]) -> None:
    import io

    from genontology.ontology.io import write_atomic

    # On the CPU whatever trained it: a file of CUDA tensors would not open on a machine without one.
    state = {k: (v.half() if v.is_floating_point() else v).cpu() for k, v in model.state_dict().items()}
    buffer = io.BytesIO()
    torch.save({"config": asdict(model.config), "state": state, "report": report}, buffer)
    write_atomic(path, buffer.getvalue())


def packaged_weights() -> Path:
    return Path(str(files("genontology.generators.music") / WEIGHTS))


def loaded(path: Path | None = None) -> Realizer:
    """The model at `path` (default: the shipped weights), read from disk once per process: again only when
    the file changes (retrained in place). Shared, in eval mode; callers must not train or move it."""
    target = Path(path or packaged_weights()).resolve()
    return _loaded(target, target.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _loaded(path: Path, mtime_ns: int) -> Realizer:
    return load(path)


def load(path: Path | None = None) -> Realizer:
    """A fresh model from `path` (default: the shipped weights), on the best device."""
    blob = torch.load(path or packaged_weights(), map_location="cpu", weights_only=True)
    model = Realizer(RealizerConfig(**blob["config"]))
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in blob["state"].items()})
    return model.to(device()).eval()


# Generation ----------------------------------------------------------------------------------------------
def _conditions(grid: Grid) -> dict[str, torch.Tensor]:
    chord = [[1.0 if (pc + grid.tonic) % 12 in b.chord else 0.0 for pc in range(12)] for b in grid.beats]
    return {
        "chord": torch.tensor([chord]),
        "bass": torch.tensor([[(b.bass - grid.tonic) % 12 for b in grid.beats]]),
        "beat": torch.tensor([[min(3, i % grid.beats_per_bar) for i in range(len(grid.beats))]]),
        "cadence": torch.tensor([[int(b.phrase_end is not None) for b in grid.beats]]),
        "mode": torch.tensor([int(grid.minor)]),
    }


@torch.no_grad()
def realize_model(
    model: Realizer,
    grid: Grid,
    seed: int = 0,
    melody: list[int] | None = None,
    passes: int = 6,
    mend: bool = True,
) -> Lines:
    """Fill the grid window by window: every hidden note is predicted, the surest share is kept, and the
    rest is predicted again (iterative unmasking); notes outside a voice's range are never chosen.
    With `melody`, the soprano is given and the three lower voices harmonize it. `mend` rewrites the notes
    that make parallels afterwards (off only to measure what it does)."""
    dev = next(model.parameters()).device
    torch.manual_seed(seed)
    shift = shift_from_c(grid.tonic)  # the C-normalized model, moved to the key
    n = len(grid.beats)
    cond_all = _conditions(grid)
    allowed = torch.full((4, PITCHES), float("-inf"))
    for v, (lo, hi) in enumerate(grid.ranges):
        for p in range(max(LOW, lo - shift), min(HIGH, hi - shift) + 1):
            allowed[v, p - LOW] = 0.0
        if torch.isinf(allowed[v]).all():
            allowed[v] = 0.0
    notes = torch.full((1, n, 4), MASK, dtype=torch.long)
    if melody is not None:
        notes[0, :, 0] = torch.tensor([min(HIGH, max(LOW, p - shift)) - LOW for p in melody])
    for start in range(0, n, WINDOW // 2):
        sl = slice(start, min(n, start + WINDOW))
        cond = {k: (v[:, sl] if v.dim() > 1 else v).to(dev) for k, v in cond_all.items()}
        for step in range(passes):
            window = notes[:, sl].to(dev)
            hidden = window == MASK
            if not hidden.any():
                break
            logits = model(window, cond) + allowed.to(dev)
            probs = torch.softmax(logits / 0.8, dim=-1)
            choice = torch.distributions.Categorical(probs=probs).sample()
            confidence = probs.gather(-1, choice.unsqueeze(-1)).squeeze(-1).masked_fill(~hidden, -1.0)
            keep = int(hidden.sum()) if step == passes - 1 else max(1, int(hidden.sum()) // (passes - step))
            top = confidence.flatten().topk(keep).indices
            flat = window.flatten().clone()
            flat[top] = choice.flatten()[top]
            notes[:, sl] = flat.view_as(window).cpu()
        if sl.stop == n:
            break
    fixed = {(t, 0) for t in range(n)} if melody is not None else set()
    for t, beat in enumerate(grid.beats):  # the cadence's soprano and bass (and the bass before) stay
        if beat.phrase_end is not None:
            fixed |= {(t, 0), (t, 3), (t - 1, 3)}
    if mend:
        _mend_voice_leading(model, notes, cond_all, allowed, fixed)
    return [[int(notes[0, t, v]) + LOW + shift for t in range(n)] for v in range(4)]


MEND_ORDER = (1, 2, 3, 0)  # which of two faulty voices to rewrite: inner voices first, the melody last


def _faults_at(line: list[list[int]], v: int, t: int) -> bool:
    """Voice v's note at beat t makes a parallel with a voice next to it in time, or crosses a neighbour."""
    n = len(line[0])
    for w in range(4):
        if w == v:
            continue
        for t0 in (t - 1, t):
            if (
                t0 >= 0
                and t0 + 1 < n
                and parallel(line[v][t0], line[v][t0 + 1], line[w][t0], line[w][t0 + 1])
            ):
                return True
    return (v > 0 and line[v][t] > line[v - 1][t]) or (v < 3 and line[v][t] < line[v + 1][t])


@torch.no_grad()
def _mend_voice_leading(
    model: Realizer,
    notes: torch.Tensor,
    cond_all: dict[str, torch.Tensor],
    allowed: torch.Tensor,
    fixed: set[tuple[int, int]],
    sweeps: int = 3,
) -> None:
    """Rewrite the notes that make parallel fifths or octaves: the model predicts the note again with its
    neighbours known, and the likeliest candidate that leads cleanly (no parallel, no crossing) replaces
    it. Sampling all voices at once cannot see such faults; one note at a time, in context, can.
    `fixed` holds the (beat, voice) notes never rewritten: a given melody, the cadences."""
    dev = next(model.parameters()).device
    n = notes.shape[1]
    for _ in range(sweeps):
        line = notes[0].T.tolist()
        spots = set()
        for a, b in combinations(range(4), 2):
            for t in range(1, n):
                if parallel(line[a][t - 1], line[a][t], line[b][t - 1], line[b][t]):
                    free = [v for v in MEND_ORDER if v in (a, b) and (t, v) not in fixed]
                    if free:
                        spots.add((t, free[0]))
        if not spots:
            return
        for t, v in sorted(spots):
            start = min(max(0, t - WINDOW // 2), max(0, n - WINDOW))
            sl = slice(start, min(n, start + WINDOW))
            window = notes[:, sl].clone()
            window[0, t - start, v] = MASK
            cond = {k: (c[:, sl] if c.dim() > 1 else c).to(dev) for k, c in cond_all.items()}
            logits = (model(window.to(dev), cond)[0, t - start, v].cpu() + allowed[v]).tolist()
            line = notes[0].T.tolist()
            for p in sorted(range(PITCHES), key=lambda q: -logits[q]):
                if logits[p] == float("-inf"):
                    break  # only notes outside the voice's range are left
                line[v][t] = p
                if not _faults_at(line, v, t):
                    notes[0, t, v] = p
                    break


def held_out_sources() -> set[str]:
    """Corpus files whose plans measure the realizer (every fifth chorale exemplar): never trained on."""
    from genontology.schemas.music.corpus import chorale_exemplars

    return {plan.source.rsplit("/", 1)[-1] for plan in chorale_exemplars()[::5]}


def training_rows(limit: int | None = None) -> list[dict[str, Any]]:
    """The training data: the four-part chorales among the first `limit` corpus files, minus the held-out."""
    from genontology.schemas.music.derive import chorale_paths

    held = held_out_sources()
    rows = (chorale_rows(path) for path in chorale_paths()[:limit] if path.name not in held)
    return [row for row in rows if row is not None]


def train_from_corpus(
    out: Path, epochs: int = 30, seed: int = 0, limit: int | None = None, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Read the four-part chorales (minus the held-out ones), train, and save the weights to `out`."""
    began = time.perf_counter()
    held = held_out_sources()
    rows = training_rows(limit)
    if not rows:
        raise TrainingError(
            f"no four-part chorale with a readable beat grid in the first {limit} corpus files"
        )
    log(f"{len(rows)} chorales read in {time.perf_counter() - began:.0f} s ({len(held)} held out)")
    model, report = train(rows, epochs=epochs, seed=seed, log=log)
    report.update(chorales=len(rows), held_out=len(held))
    save(model, out, report)
    return report
