"""Rich output for the commands: tables, panels and error display.

Only this module and the wizard's own view (``wizard_view``) import rich.

Every function takes data and a Console; nothing here talks to the network.
Tables stay readable at 60 columns: long text wraps inside its cell instead
of pushing columns off screen, and nothing relies on colour alone (a mark
such as "missing" or "set" is always written out, so NO_COLOR loses nothing).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from jobdraft.errors import ApiError, BadRequest, InterruptedByUser, JobdraftError
from jobdraft.model import Capabilities, Draft, JobSummary, MissingField, Validation

Json = Any


def make_console(*, stderr: bool = False) -> Console:
    # Rich honours NO_COLOR and a dumb/non-tty terminal by itself.
    console = Console(stderr=stderr, highlight=False)
    # At a terminal, lines wrap at words; into a pipe or a log they are not
    # wrapped at all, so a command in a hint stays on one line for grep.
    console.soft_wrap = not console.is_terminal
    return console


def print_json(data: Json) -> None:
    """Raw JSON on stdout and nothing else there (for --json)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _value_text(value: Json) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value if len(value) <= 160 else value[:157] + "..."
    return json.dumps(value)


def _allowed_text(item: MissingField) -> str:
    if item.enum_values:
        return ", ".join(item.enum_values)
    return ""


def validation_table(
    draft: Draft,
    *,
    just_set: Iterable[str] = (),
    title: str | None = None,
) -> Table:
    """Missing fields, blocking issues and, after a round, what was just set."""
    table = Table(title=title, show_lines=False, expand=False, title_justify="left")
    table.add_column("Field", overflow="fold", min_width=10)
    table.add_column("State", no_wrap=True)
    table.add_column("What is needed", overflow="fold", ratio=1)
    missing_names = set(draft.validation.missing_names)
    for key in just_set:
        if key not in missing_names:
            table.add_row(escape(key), Text("set", style="green"), "")
    for item in draft.missing:
        need = item.question or item.message or ""
        allowed = _allowed_text(item)
        if allowed:
            need = f"{need}\none of: {allowed}" if need else f"one of: {allowed}"
        kind = f" [{item.type}]" if item.type and not item.enum_values else ""
        table.add_row(
            escape(item.label or item.field), Text("missing", style="yellow"), escape(need + kind)
        )
    for issue in draft.validation.issues:
        table.add_row(
            escape(issue.field or "(draft)"), Text("blocked", style="red"), escape(issue.message)
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


def print_validation(console: Console, draft: Draft, *, just_set: Iterable[str] = ()) -> None:
    just_set = list(just_set)
    if draft.missing or draft.validation.issues or just_set:
        console.print(validation_table(draft, just_set=just_set))
    if draft.validation.names_unknown and not draft.missing:
        console.print(
            f"The server says {draft.validation.missing_count} field(s) are missing but not which."
        )
    style = "bold green" if draft.ready else "bold yellow"
    console.print(Text(progress_line(draft.validation), style=style))


def print_fields(
    console: Console, fields: Mapping[str, Json], low_confidence: Iterable[str] = ()
) -> None:
    unsure = set(low_confidence)
    table = Table(title="Fields known so far", title_justify="left")
    table.add_column("Key", overflow="fold")
    table.add_column("Value", overflow="fold", ratio=1)
    for key, value in fields.items():
        mark = " (guess: check it)" if key in unsure else ""
        table.add_row(escape(key), escape(_value_text(value) + mark))
    console.print(table)


def print_draft(console: Console, draft: Draft, *, heading: str | None = None) -> None:
    if heading:
        console.print(Text(heading, style="bold"))
    console.print(f"Draft [bold]{escape(draft.job_id)}[/bold] ({escape(draft.status)})")
    if draft.draft_url:
        console.print(f"Review it at {escape(draft.draft_url)}", soft_wrap=True)
    if draft.fields:
        print_fields(console, draft.fields, draft.low_confidence)
    for warning in draft.warnings:
        console.print(f"warning: {escape(warning)}")
    for unmapped in draft.unmapped:
        if isinstance(unmapped, Mapping):
            path, reason = unmapped.get("path"), unmapped.get("reason")
            console.print(f"not imported: {escape(str(path))} ({escape(str(reason))})")
    print_validation(console, draft)


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
        row = [escape(job.id), escape(job.title or ""), escape(job.status or "")]
        if with_date:
            row.append(escape((job.updated_at or "")[:16].replace("T", " ")))
        table.add_row(*row)
    console.print(table)


def print_capabilities(console: Console, caps: Capabilities) -> None:
    features = Table(title="Features", title_justify="left")
    features.add_column("Capability")
    features.add_column("Allowed")
    for name, allowed in caps.features.items():
        features.add_row(escape(name), "yes" if allowed else "no")
    console.print(features)
    keys = Table(title="Patchable keys", title_justify="left")
    keys.add_column("Key", overflow="fold")
    keys.add_column("Allowed values", overflow="fold", ratio=1)
    for key in caps.update_keys:
        keys.add_row(escape(key), escape(", ".join(caps.enums.get(key, ()))))
    console.print(keys)


def print_error(console: Console, exc: JobdraftError) -> None:
    """One error, in words: what happened, what the server said, what to do."""
    # Ctrl-C is the user's own choice, not an error: "Stopped: interrupted; ...".
    label = "Stopped: " if isinstance(exc, InterruptedByUser) else "Error: "
    style = "bold yellow" if isinstance(exc, InterruptedByUser) else "bold red"
    console.print(Text(label, style=style).append(exc.message, style="default"))
    if isinstance(exc, BadRequest) and exc.field_errors:
        for key, messages in exc.field_errors.items():
            for message in messages:
                console.print(f"  {escape(key or '(body)')}: {escape(message)}")
    if isinstance(exc, ApiError):
        details = exc.details if isinstance(exc.details, Mapping) else {}
        reasons = details.get("reasons")
        if isinstance(reasons, list) and reasons:
            # One reason a line: a wrapped list of sentences is hard to read.
            console.print("  reasons:")
            for reason in reasons:
                console.print(f"    - {escape(str(reason))}")
        if "limit" in details and "windowHours" in details:
            console.print(
                f"  limit: {details['limit']} publishes per {details['windowHours']} hours",
                soft_wrap=True,
            )
        if "featureKey" in details:
            feature, mode = details["featureKey"], details.get("mode")
            console.print(f"  feature: {escape(str(feature))} ({escape(str(mode))})")
        if exc.request_id:
            console.print(f"  request id: {escape(exc.request_id)}", style="dim")
    if exc.hint:
        console.print(f"Hint: {escape(exc.hint)}")
