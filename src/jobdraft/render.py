"""Rich output for the commands: tables, panels and error display.

Only this module, the wizard's own view (``wizard_view``) and ``table_widths``
(which lays tables out for both) import rich.

Every function takes data and a Console; nothing here talks to the network.
Tables stay readable at 60 columns: long text wraps inside its cell instead
of pushing columns off screen, and nothing relies on colour alone (a mark
such as "missing" or "set" is always written out, so NO_COLOR loses nothing).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterable, Mapping

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from jobdraft.errors import ApiError, BadRequest, InterruptedByUser, JobdraftError
from jobdraft.inert import inert, is_control
from jobdraft.json_types import Json
from jobdraft.model import (
    Capabilities,
    Draft,
    JobSummary,
    MissingField,
    PublishResult,
    Validation,
)
from jobdraft.prose import fold
from jobdraft.table_widths import print_table
from jobdraft.wording import (
    DOCUMENTED_WORDS,
    allowed_text,
    label_for,
    need_text,
    server_message_text,
    shorten,
    value_for_key,
)

# Characters json.dumps(ensure_ascii=False) leaves raw that a terminal acts on:
# DEL, the C1 controls (0x9b is a one-byte CSI) and the bidi overrides; and
# the two Unicode line separators, which some readers of JSON choke on.
_JSON_UNSAFE = {
    code: f"\\u{code:04x}"
    for code in range(0x7F, 0x2070)
    if is_control(chr(code)) or code in (0x2028, 0x2029)
}


def make_console(*, stderr: bool = False) -> Console:
    # Rich honours NO_COLOR and a dumb/non-tty terminal by itself.  No emoji
    # codes: ":warning:" in a server's text is shown as typed.
    console = Console(stderr=stderr, highlight=False, emoji=False)
    # At a terminal, lines wrap at words; into a pipe or a log they are not
    # wrapped at all, so a command in a hint stays on one line for grep.
    console.soft_wrap = not console.is_terminal
    return console


def shown(text: object, style: str = "", *, multiline: bool = False) -> Text:
    """Outside text as a rich ``Text``: inert, and never parsed as markup."""
    return Text(inert(text, multiline=multiline), style=style)


def json_text(data: Json) -> str:
    """``data`` as indented JSON that is inert on a terminal and parses back equal.

    json.dumps escapes C0 controls already; the rest are written as ``\\uXXXX``,
    which is the same JSON string (they can only occur inside strings).
    """
    return json.dumps(data, indent=2, ensure_ascii=False).translate(_JSON_UNSAFE)


def print_json(data: Json) -> None:
    """The server's JSON on stdout and nothing else there (for --json)."""
    sys.stdout.write(json_text(data) + "\n")
    sys.stdout.flush()


def holds_command(text: object) -> bool:
    """Whether ``text`` names a command to paste (a hint, a next step)."""
    return "jobdraft " in str(text)


def soft_wrap_for(text: object) -> bool | None:
    """True (rich adds no newline) for a line holding a command, which ``prose_text`` has
    folded already; None keeps the console's rule (wrapped at a terminal, never into a
    pipe or a log)."""
    return True if holds_command(text) else None


def prose_text(
    console: Console, text: object, style: str = "", *, prefix: Text | None = None
) -> Text:
    """``prefix`` then ``text`` (inert), folded to the console's width without cutting a command.

    rich wraps at words by inserting newlines; a command cut that way pastes
    as two commands, the first without its id.  So at a terminal a line that
    holds a command is folded here (``prose.fold``: the command is one piece),
    and printed with ``soft_wrap=True`` so rich adds no newline of its own.
    Into a pipe or a log nothing is folded: a command stays on one line for grep.
    """
    head = prefix or Text()
    body = inert(text, multiline=True)
    if not holds_command(body) or not console.is_terminal:
        return Text.assemble(head, Text(body, style=style))
    folded = Text("\n".join(fold(head.plain + body, console.width, cell_len)))
    folded.stylize(head.style, 0, len(head.plain))
    for span in head.spans:
        folded.stylize(span.style, span.start, span.end)
    folded.stylize(style, len(head.plain))
    return folded


def print_prose(console: Console, text: object, style: str = "") -> None:
    """A sentence that may end in a command to paste (see ``prose_text``)."""
    console.print(prose_text(console, text, style), soft_wrap=soft_wrap_for(text))


def print_line(console: Console, text: object, style: str = "") -> None:
    """One line that may hold server text (an id, a URL), inert."""
    console.print(shown(text, style), soft_wrap=True)


def print_note(console: Console, text: object) -> None:
    """A dim note (a retry after a 503 whose status line the server chose)."""
    console.print(shown(text, "dim"))


def print_debug(console: Console, line: object) -> None:
    """A --debug trace line: a request or an answer as sent, inert."""
    console.print(shown(line), soft_wrap=True)


def _value_cell(
    key: str,
    value: Json,
    missing: MissingField | None = None,
    capabilities: Capabilities | None = None,
) -> str:
    """A value in words for a table cell, cut when long (the draft keeps all of it)."""
    if value is None:
        return "(none)"
    return shorten(value_for_key(key, value, missing, capabilities))


def validation_table(
    draft: Draft,
    *,
    just_set: Iterable[str] | Mapping[str, Json] = (),
    title: str | None = None,
    capabilities: Capabilities | None = None,
) -> Table:
    """Missing fields, blocking issues and, after a round, what was just set.

    Fields are named by label and values given in words; a row never has an
    empty cell where something is known: a set row shows the value set, a
    missing one the question (the server's, else the documented one) and its
    choices.  ``just_set`` may carry the values sent; else the draft's are shown.
    ``capabilities``, when at hand, name the server's own choices in words.
    """
    table = Table(
        title=shown(title) if title else None, show_lines=False, expand=False, title_justify="left"
    )
    table.add_column("Field", overflow="fold", min_width=10)
    table.add_column("State", no_wrap=True)
    table.add_column("What is needed", overflow="fold", ratio=1)
    missing_names = set(draft.validation.missing_names)
    sent = just_set if isinstance(just_set, Mapping) else None
    fields = draft.fields or {}
    for key in just_set:
        if key not in missing_names:
            value = sent[key] if sent is not None else fields.get(key)
            table.add_row(
                shown(label_for(key)),
                Text("set", style="green"),
                shown(_value_cell(key, value, capabilities=capabilities), multiline=True),
            )
    for item in draft.missing:
        table.add_row(
            shown(label_for(item.field, item)),
            Text("missing", style="yellow"),
            shown(need_text(item), multiline=True),
        )
    for issue in draft.validation.issues:
        table.add_row(
            shown(label_for(issue.field) if issue.field else "(draft)"),
            Text("blocked", style="red"),
            shown(server_message_text(issue.message), multiline=True),
        )
    return table


def progress_line(validation: Validation, set_keys: Iterable[str] = ()) -> str:
    missing = validation.missing_count
    issues = len(validation.issues)
    if validation.publish_ready:
        return "Ready to publish."
    parts = []
    if missing:
        parts.append(f"{missing} field{'s' if missing != 1 else ''} missing")
    if issues:
        parts.append(f"{issues} blocking issue{'s' if issues != 1 else ''}")
    return "Not ready: " + ", ".join(parts) + "." if parts else "Not ready."


def print_validation(
    console: Console,
    draft: Draft,
    *,
    just_set: Iterable[str] = (),
    capabilities: Capabilities | None = None,
) -> None:
    just_set = list(just_set)
    if draft.missing or draft.validation.issues or just_set:
        print_table(console, validation_table(draft, just_set=just_set, capabilities=capabilities))
    if draft.validation.names_unknown and not draft.missing:
        console.print(
            shown(
                f"The server says {draft.validation.missing_count} field(s) are missing "
                "but not which."
            )
        )
    style = "bold green" if draft.ready else "bold yellow"
    console.print(shown(progress_line(draft.validation), style))


def print_fields(
    console: Console,
    fields: Mapping[str, Json],
    low_confidence: Iterable[str] = (),
    missing: Mapping[str, MissingField] | None = None,
    capabilities: Capabilities | None = None,
) -> None:
    """The draft's fields by label, values in words (``--json`` keeps the keys and tokens)."""
    unsure = set(low_confidence)
    described = missing or {}
    table = Table(title="Fields known so far", title_justify="left")
    table.add_column("Field", overflow="fold")
    table.add_column("Value", overflow="fold", ratio=1)
    for key, value in fields.items():
        mark = " (guess: check it)" if key in unsure else ""
        table.add_row(
            shown(label_for(key, described.get(key))),
            shown(_value_cell(key, value, described.get(key), capabilities) + mark, multiline=True),
        )
    print_table(console, table)


def print_draft(
    console: Console,
    draft: Draft,
    *,
    heading: str | None = None,
    capabilities: Capabilities | None = None,
) -> None:
    if heading:
        console.print(shown(heading, "bold"))
    line = Text("Draft ").append(shown(draft.job_id, "bold"))
    console.print(line.append(" (").append(shown(draft.status)).append(")"))
    if draft.draft_url:
        print_line(console, f"Review it at {draft.draft_url}")
    if draft.fields:
        described = {key: item for item in draft.missing for key in item.keys}
        print_fields(console, draft.fields, draft.low_confidence, described, capabilities)
    for warning in draft.warnings:
        console.print(shown(f"warning: {warning}"))
    for unmapped in draft.unmapped:
        if isinstance(unmapped, Mapping):
            path, reason = unmapped.get("path"), unmapped.get("reason")
            console.print(shown(f"not imported: {path} ({reason})"))
    print_validation(console, draft, capabilities=capabilities)


def print_jobs(console: Console, jobs: list[JobSummary]) -> None:
    if not jobs:
        console.print("No jobs.")
        return
    table = Table(title_justify="left")
    # Ids are copied into the next command: never folded; the title gives way.
    table.add_column("ID", no_wrap=True)
    table.add_column("Title", overflow="fold", ratio=1, min_width=10)
    table.add_column("Status", no_wrap=True)
    # On a narrow terminal the date is the column to drop, not the title.
    with_date = console.width >= 72
    if with_date:
        table.add_column("Updated", no_wrap=True)
    for job in jobs:
        row = [shown(job.id), shown(job.title or ""), shown(job.status or "")]
        if with_date:
            row.append(shown((job.updated_at or "")[:16].replace("T", " ")))
        table.add_row(*row)
    print_table(console, table)


def print_capabilities(console: Console, caps: Capabilities) -> None:
    features = Table(title="Features", title_justify="left")
    features.add_column("Capability")
    features.add_column("Allowed")
    for name, allowed in caps.features.items():
        features.add_row(shown(name), "yes" if allowed else "no")
    print_table(console, features)
    # The key stays beside its label: it is what --set takes.
    keys = Table(title="Patchable keys", title_justify="left")
    keys.add_column("Field", overflow="fold")
    keys.add_column("Key", overflow="fold")
    keys.add_column("Allowed values", overflow="fold", ratio=1)
    for key in caps.update_keys:
        values = caps.enums.get(key, ())
        keys.add_row(shown(label_for(key)), shown(key), shown(allowed_text(values) or "any"))
    print_table(console, keys)


def print_publish_result(
    console: Console, warnings: Console, job_id: str, result: PublishResult
) -> None:
    """What publish did, the job's URL, and the server's warnings (on ``warnings``)."""
    if result.already_published:
        print_line(console, f"{job_id} was already published.")
    else:
        print_line(console, f"Published {job_id}.")
    if result.job_url:
        print_line(console, result.job_url)
    for warning in result.warnings:
        print_line(warnings, f"warning: {warning}")


def print_auth_status(
    console: Console,
    *,
    account: str,
    masked_token: str,
    token_source: str,
    scopes: Iterable[object],
    api: str,
) -> None:
    """``auth status``: who the server says the token belongs to, and its scopes."""
    print_line(console, f"Logged in as: {account}")
    print_line(console, f"Token: {masked_token} (from {token_source})")
    print_line(console, f"Scopes: {', '.join(str(s) for s in scopes) or '(none)'}")
    print_line(console, f"API: {api}")


def print_error(console: Console, exc: JobdraftError) -> None:
    """One error, in words: what happened, what the server said, what to do.

    Never raises, whatever the server put in the strings: the error reporter
    is the last thing to run, and a failure in it would hide the exit code.
    If rich cannot print it, one plain inert line goes to stderr instead.
    """
    try:
        _print_error(console, exc)
    except Exception:
        # If stderr itself is gone, there is nobody left to tell.
        with contextlib.suppress(Exception):
            sys.stderr.write(inert(f"Error: {exc.message}") + "\n")
            sys.stderr.flush()


def _print_error(console: Console, exc: JobdraftError) -> None:
    # Ctrl-C is the user's own choice, not an error: "Stopped: interrupted; ...".
    label = "Stopped: " if isinstance(exc, InterruptedByUser) else "Error: "
    style = "bold yellow" if isinstance(exc, InterruptedByUser) else "bold red"
    console.print(Text(label, style=style).append(shown(exc.message, "default")))
    if isinstance(exc, BadRequest) and exc.field_errors:
        for key, messages in exc.field_errors.items():
            for message in messages:
                # A documented key by its label; any other as the server wrote it
                # (often a key it did not recognise, which the user typed).
                name = label_for(key) if key in DOCUMENTED_WORDS else key or "(body)"
                console.print(shown(f"  {name}: {server_message_text(message)}"))
    if isinstance(exc, ApiError):
        details = exc.details if isinstance(exc.details, Mapping) else {}
        reasons = details.get("reasons")
        if isinstance(reasons, list) and reasons:
            # One reason a line: a wrapped list of sentences is hard to read.
            console.print("  reasons:")
            for reason in reasons:
                console.print(shown(f"    - {reason}"))
        window = details.get("windowHours")
        if "limit" in details and window is not None:
            # "per 24 hours" for the documented number; anything else as the server wrote it.
            numeric = isinstance(window, (int, float)) and not isinstance(window, bool)
            per = f"{window:g} hours" if numeric else str(window)
            limit = f"  limit: {details['limit']} publishes per {per}"
            console.print(shown(limit), soft_wrap=True)
        if "featureKey" in details:
            feature, mode = details["featureKey"], details.get("mode")
            console.print(shown(f"  feature: {feature} ({mode})"))
        if exc.request_id:
            console.print(shown(f"  request id: {exc.request_id}", "dim"))
    if exc.hint:
        print_prose(console, f"Hint: {exc.hint}")
