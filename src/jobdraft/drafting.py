"""Reading a job description and building the create body: shared by ``create`` and ``fill``.

Pure apart from reading the description file (or stdin for ``-``); nothing is
printed.  ``read_limited`` is the one bounded way a local input file is read
(the answers file of ``patch --file`` and ``fill --answers`` too).  ``cli``
and ``fill`` both build their create request here so that a draft made either
way carries an idempotency key.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from jobdraft.errors import UsageError
from jobdraft.json_types import Json

MAX_DESCRIPTION_CHARS = 60_000  # docs/api.md §3.2
# What is read of a description or answers file at most.  A description the
# API takes is at most 60,000 characters (240 kB in UTF-8), an answers file a
# few kB; reading stops here, so that /dev/zero or an endless pipe is refused
# instead of filling memory.
MAX_INPUT_BYTES = 1024 * 1024
DESCRIPTION_LIMIT_HINT = (
    f"the API takes a description of at most {MAX_DESCRIPTION_CHARS:,} characters"
)
CONVERT_HINT = "convert it to UTF-8 first, e.g. with 'iconv -f latin1 -t utf-8'"


def check_description(text: str) -> str:
    """The description trimmed, or a refusal saying what is wrong with it."""
    text = text.strip()
    if not text:
        raise UsageError("the description is empty")
    if len(text) > MAX_DESCRIPTION_CHARS:
        raise UsageError(
            f"the description has {len(text):,} characters; the API takes at most "
            f"{MAX_DESCRIPTION_CHARS:,}"
        )
    return text


def description_problem(text: str) -> str | None:
    """Why ``text`` cannot be sent as a description, or None (for a prompt's ``validate=``)."""
    try:
        check_description(text)
    except UsageError as exc:
        return exc.message
    return None


def read_description(text: str | None, path: str | None) -> str | None:
    """The description from --description or --description-file ('-' is stdin)."""
    if text is not None and path is not None:
        raise UsageError("give --description or --description-file, not both")
    if path is not None:
        if path == "-":
            text = read_stdin()
        else:
            try:
                text = read_limited(Path(path), hint=DESCRIPTION_LIMIT_HINT).decode("utf-8")
            except UnicodeDecodeError:
                raise UsageError(f"{path} is not UTF-8 text", hint=CONVERT_HINT) from None
    if text is None:
        return None
    return check_description(text)


def read_limited(path: Path, limit: int = MAX_INPUT_BYTES, *, hint: str | None = None) -> bytes:
    """The bytes of a local file, refused when it holds more than ``limit``.

    Only ``limit + 1`` bytes are ever read, so a device, a FIFO or a file that
    keeps growing costs no more than that.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise UsageError(f"{path} is larger than {_size(limit)}; nothing was sent", hint=hint)
    return data


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit:,} bytes"


def read_stdin() -> str:
    """Standard input as UTF-8 text, refused like a file when it is not.

    The bytes are decoded here, strictly: the text layer of ``sys.stdin``
    follows the locale and may let bad bytes through as lone surrogates
    (which the server then refuses) or fail with a traceback.  Line endings
    are read as a file's are: CR LF and a lone CR become LF.
    """
    raw = getattr(sys.stdin, "buffer", None)
    text: str
    try:
        if raw is not None:
            data = bytes(raw.read(MAX_INPUT_BYTES + 1))
            _check_stdin_size(len(data))
            text = data.decode("utf-8")
            return text.replace("\r\n", "\n").replace("\r", "\n")
        text = sys.stdin.read(MAX_INPUT_BYTES + 1)  # a text-only stream (stdin replaced in-process)
        _check_stdin_size(len(text))
        text.encode("utf-8")  # a lone surrogate stands for a byte that was not UTF-8
        return text
    except UnicodeError:
        raise UsageError("standard input is not UTF-8 text", hint=CONVERT_HINT) from None


def _check_stdin_size(size: int) -> None:
    if size > MAX_INPUT_BYTES:
        raise UsageError(
            f"standard input holds more than {_size(MAX_INPUT_BYTES)}; nothing was sent",
            hint=DESCRIPTION_LIMIT_HINT,
        )


def new_idempotency_key() -> str:
    return f"jobdraft-{uuid.uuid4()}"


def create_body(
    description: str, external_id: str | None = None, idempotency_key: str | None = None
) -> dict[str, Json]:
    # Always an idempotency key, so a retried create never makes a duplicate.
    body: dict[str, Json] = {
        "rawJobDescription": description,
        "idempotencyKey": idempotency_key or new_idempotency_key(),
    }
    if external_id:
        body["externalId"] = external_id
    return body
