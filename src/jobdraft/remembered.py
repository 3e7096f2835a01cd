"""Answers remembered from one job to the next, offered as the wizard's defaults.

A poster pays the same way, asks for the same languages and the same
experience job after job; copier keeps an answers file for the same reason.
Only answers that describe the poster rather than one job are kept:

- ``paymentType`` and its rates (``pricePerHour``, ``pricePerLabel``,
  ``fixedPrice``): a poster's pay is policy, and each rate is only offered
  with the payment type it belongs to;
- ``experienceLevel``, ``languages``, ``countries``: who the poster hires;
- ``labelTypes`` and ``dataVolumeUnit``: the kind of work a team does.

Not kept: the title, the description, the headcount and the data volume,
which are this job's own, and anything else the server may ask, which we
cannot know to be general.  A remembered value is only ever a default: the
wizard shows it in the review (marked as remembered) before anything is sent.

The file is ``${XDG_CONFIG_HOME:-~/.config}/jobdraft/defaults.json``, written
atomically.  It holds no secret, but it is the user's own: mode 0600, like
every file of ours.  It is read with a size limit, and a file that cannot be
read (not JSON, not this shape, too large) counts as empty, with a notice.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from jobdraft.config import write_private_json
from jobdraft.inert import has_control
from jobdraft.json_types import Json

REMEMBERED_KEYS = (
    "paymentType",
    "pricePerHour",
    "pricePerLabel",
    "fixedPrice",
    "experienceLevel",
    "languages",
    "countries",
    "labelTypes",
    "dataVolumeUnit",
)
FILE_NAME = "defaults.json"
VERSION = 1
MAX_FILE_BYTES = 64 * 1024  # a few keys: anything larger is not a file we wrote
MAX_TEXT = 200  # one value's characters
MAX_ITEMS = 100  # one list's items
MAX_AMOUNT = 1e12  # the server refuses amounts above this


@dataclass(frozen=True)
class Remembered:
    """The remembered answers (key -> JSON value) and a notice to show once, if any."""

    answers: dict[str, Json] = field(default_factory=dict)
    notice: str | None = None


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    value = env.get("XDG_CONFIG_HOME")
    # As config.py does: the XDG spec says a relative path is invalid and ignored.
    base = Path(value) if value and Path(value).is_absolute() else Path.home() / ".config"
    return base / "jobdraft"


def defaults_path(env: Mapping[str, str] | None = None) -> Path:
    return config_dir(env) / FILE_NAME


def _plain_text(value: Json) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_TEXT and not has_control(value)


def is_rememberable(key: str, value: Json) -> bool:
    """A key worth keeping across jobs, with a value small and plain enough to offer back."""
    if key not in REMEMBERED_KEYS or isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return math.isfinite(value) and abs(value) <= MAX_AMOUNT
    if isinstance(value, list):
        return 0 < len(value) <= MAX_ITEMS and all(_plain_text(item) for item in value)
    return _plain_text(value)


def rememberable(answers: Mapping[str, Json]) -> dict[str, Json]:
    """The part of ``answers`` that may be remembered, in ``REMEMBERED_KEYS`` order."""
    return {
        key: answers[key]
        for key in REMEMBERED_KEYS
        if key in answers and is_rememberable(key, answers[key])
    }


def load_remembered(path: Path | None = None) -> Remembered:
    """The remembered answers; an unreadable file counts as none, with a notice saying so."""
    path = defaults_path() if path is None else path
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return Remembered()
    except OSError as exc:
        return Remembered(notice=f"cannot read remembered answers in {path}: {exc.strerror}")
    ignored = f"remembered answers in {path} are ignored"
    if len(data) > MAX_FILE_BYTES:
        return Remembered(notice=f"{ignored}: the file is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        content = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Remembered(notice=f"{ignored}: the file is not JSON")
    answers = content.get("answers") if isinstance(content, dict) else None
    if not isinstance(answers, dict) or content.get("version") != VERSION:
        return Remembered(notice=f"{ignored}: the file is not a jobdraft defaults file")
    # A hand-edited file may hold anything: only what we would have written is used.
    return Remembered(rememberable(answers))


def remember(answers: Mapping[str, Json], path: Path | None = None) -> dict[str, Json]:
    """Keep ``answers``' rememberable part, over what was remembered before; what is kept now.

    A corrupt file is replaced: its notice was shown when it was read.
    """
    path = defaults_path() if path is None else path
    kept = {**load_remembered(path).answers, **rememberable(answers)}
    kept = rememberable(kept)  # back in a stable order
    write_private_json(path, {"version": VERSION, "answers": kept})
    return kept
