"""The web page of a job post: what a served sandbox's draftUrl and jobUrl show.

The real service answers those addresses with its web app; the sandbox
answers a small, readable page of the post (title, state, description, the
fields with their labels, what is still missing), so "Review it online"
leads somewhere.  Everything shown is the poster's text: it is escaped
with ``html.escape`` and the page carries no script at all, with a
Content-Security-Policy (``web.PAGE_HEADERS``) that forbids any, and loads
nothing from anywhere else.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from html import escape
from typing import Any

from jobdraft.sandbox import rules
from jobdraft.sandbox.store import Job

JSON = Any

# The one inline style; the CSP allows exactly it, by its hash.
STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; color: #1b1b1b; background: #f6f6f4;
       margin: 0; padding: 2rem 1rem; }
main { max-width: 46rem; margin: 0 auto; background: #fff; padding: 1.5rem 2rem;
       border: 1px solid #ddd; border-radius: 8px; }
h1 { font-size: 1.6rem; margin: 0.3rem 0 1rem; overflow-wrap: break-word; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 0.5rem; }
.state { display: inline-block; font-size: 0.85rem; font-weight: 600; padding: 0.1rem 0.6rem;
         border-radius: 1rem; border: 1px solid currentColor; }
.state-draft { color: #7a5200; } .state-open { color: #1d6b2f; } .state-other { color: #555; }
.description { white-space: pre-wrap; overflow-wrap: break-word; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.2rem; margin: 0; }
dt { font-weight: 600; } dd { margin: 0; overflow-wrap: break-word; min-width: 0; }
.missing { color: #8a1c1c; }
.note { color: #555; font-size: 0.9rem; margin-top: 2rem; }
@media (max-width: 36rem) {
  body { padding: 0.5rem; } main { padding: 1rem; }
  dl { grid-template-columns: 1fr; gap: 0; } dd { margin-bottom: 0.5rem; }
}
"""
STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
CSP = (
    f"default-src 'none'; style-src 'sha256-{STYLE_HASH}'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)

# Statuses in words; a published post is "open" to applicants.
STATES = {
    "DRAFT": "Draft",
    "OPEN": "Open",
    "ONGOING": "Ongoing",
    "COMPLETED": "Completed",
    "ARCHIVED": "Closed",
    "PENDING_APPROVAL": "Pending approval",
}
MONEY_KEYS = ("pricePerHour", "pricePerLabel", "fixedPrice")
# Shown in the heading and the description block, not again in the list.
OWN_PLACE = ("jobTitle", "jobDescription")


def words(token: str) -> str:
    """An enum token in words: PAY_PER_HOUR -> Pay per hour."""
    text = token.replace("_", " ").strip().lower()
    return text[:1].upper() + text[1:]


def value_text(key: str, value: JSON) -> str:
    spec = rules.FIELD_BY_KEY.get(key)
    enum = spec.enum if spec is not None else None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(value_text(key, item) for item in value)
    if key in MONEY_KEYS and isinstance(value, (int, float)):
        return f"${value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, str) and enum and value in enum:
        return words(value)
    return str(value)


def label(key: str) -> str:
    spec = rules.FIELD_BY_KEY.get(key)
    return spec.label if spec is not None else key


def job_page(job: Job) -> str:
    """The page of one job post, every value escaped."""
    fields: Mapping[str, JSON] = job.fields
    state = STATES.get(job.status, words(job.status))
    state_class = {"DRAFT": "state-draft", "OPEN": "state-open"}.get(job.status, "state-other")
    title = fields.get("jobTitle")
    heading = escape(str(title)) if title else "<em>(no title yet)</em>"
    description = fields.get("jobDescription")
    rows = [
        f"<dt>{escape(label(key))}</dt><dd>{escape(value_text(key, fields[key]))}</dd>"
        for key in rules.UPDATE_KEYS
        if key in fields and key not in OWN_PLACE and not rules.is_blank(fields[key])
    ]
    parts = [
        f'<p><span class="state {state_class}" id="state">{escape(state)}</span></p>',
        f'<h1 id="title">{heading}</h1>',
        "<h2>Description</h2>",
        f'<div class="description" id="description">{escape(str(description))}</div>'
        if description
        else '<p class="missing" id="description">(no description yet)</p>',
        "<h2>Details</h2>",
        f'<dl id="fields">{"".join(rows)}</dl>' if rows else "<p>(none yet)</p>",
    ]
    if job.status == "DRAFT":
        parts.extend(_what_is_missing(fields))
    parts.append(
        f'<p class="note">Job {escape(job.id)} in the jobdraft sandbox, '
        "a local copy of the OpenTrain API: nothing here is public.</p>"
    )
    name = str(title) if title else job.id
    return _document(f"{name} ({state})", "\n".join(parts))


def _what_is_missing(fields: Mapping[str, JSON]) -> list[str]:
    result = rules.validate(fields)
    if result.publish_ready:
        return ['<h2>Ready</h2><p id="missing">Every required field is set: ready to publish.</p>']
    items = [f"<li>{escape(label(key))}</li>" for key in result.missing]
    items += [
        f"<li>{escape(label(issue.get('field', '')))}: {escape(issue.get('message', ''))}</li>"
        for issue in result.issues
    ]
    return [
        "<h2>Before it can be published</h2>",
        f'<ul class="missing" id="missing">{"".join(items)}</ul>',
    ]


def not_found_page(job_id: str) -> str:
    return _document(
        "No such job post",
        f"<h1>No such job post</h1><p>This sandbox has no job {escape(job_id)}.</p>"
        '<p class="note">A served sandbox shows the drafts of its own store: '
        "<code>jobdraft sandbox serve</code> uses the embedded sandbox's store "
        "unless given <code>--db</code> or <code>--memory</code>.</p>",
    )


def _document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
