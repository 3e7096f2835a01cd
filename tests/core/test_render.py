"""render and the wizard's view print server text inert, never as markup, and never raise.

Each function is given hostile strings and a real rich Console writing to a
string at a colour terminal, so rich's own escapes are there too; what is
checked is that none of the server's sequences, markup or token got through.
"""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console
from tests.hostile import hostile_text as h

from jobdraft import inert as inert_module
from jobdraft.errors import BadRequest, RateLimited
from jobdraft.inert import register_secret
from jobdraft.model import Capabilities, Draft, JobSummary, MissingField, PublishResult
from jobdraft.prompts import fit
from jobdraft.questions import build_question
from jobdraft.render import (
    json_text,
    print_auth_status,
    print_capabilities,
    print_draft,
    print_error,
    print_jobs,
    print_publish_result,
    print_validation,
)
from jobdraft.wizard import Row
from jobdraft.wizard_view import RichDisplay

SERVER_SEQUENCES = ["\x1b]52", "\x1b[2J", "\x1b]0;", "\x1b]8;", "\x9b", "\x07", "\u202e"]


@pytest.fixture(autouse=True)
def token_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inert_module, "_secrets", set())
    register_secret(h.TOKEN)


def colour_console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    console = Console(file=out, width=300, force_terminal=True, color_system="truecolor")
    return console, out


def assert_inert(text: str) -> None:
    found = [seq for seq in [*SERVER_SEQUENCES, h.TOKEN, h.SECRET] if seq in text]
    assert not found, repr(text)
    assert "\x1b[" in text  # rich coloured it: the check above is not vacuous


def test_json_text_parses_back_equal_with_no_raw_control() -> None:
    data = {
        "title": "caf\u00e9 \u65e5\u672c " + h.EVIL + "\x7f\x85\u2066\u2028",
        h.EVIL: [1, None, True, "\x9b"],
    }
    text = json_text(data)
    assert json.loads(text) == data
    assert not any(0x7F <= ord(c) <= 0x9F or c in "\u202e\u2066\u2028" for c in text)
    assert "\x1b" not in text and "\x07" not in text
    assert "caf\u00e9 \u65e5\u672c" in text  # other non-ASCII stays as it is


def test_every_error_field_is_inert_and_markup_is_literal() -> None:
    details = {
        "limit": "[/]",
        "windowHours": "[link=https://evil.example/login]3[/link]",
        "reasons": [h.evil("REASON")],
        "featureKey": h.evil("FEATURE"),
        "mode": "[bold",
    }
    error = RateLimited(h.evil("MESSAGE"), status=429, request_id=h.evil("REQ"), details=details)
    error.hint = h.evil("HINT")
    console, out = colour_console()
    print_error(console, error)
    shown = out.getvalue()
    assert_inert(shown)
    assert "limit: [/] publishes per [link=https://evil.example/login]3[/link]" in shown
    for tag in ("MESSAGE", "REQ", "REASON", "FEATURE", "HINT", "<redacted>"):
        assert tag in shown


def test_field_keys_of_a_rejection_are_inert() -> None:
    error = BadRequest("refused", field_errors={h.evil("KEY"): [h.evil("WHY")]})
    console, out = colour_console()
    print_error(console, error)
    assert_inert(out.getvalue())
    assert "KEY\\x1b]52" in out.getvalue()


class BrokenFile(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError("the terminal went away")


def test_print_error_never_raises_and_falls_back_to_one_plain_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    console = Console(file=BrokenFile(), force_terminal=True)
    print_error(console, RateLimited(h.evil("MESSAGE"), details={"limit": "[/]"}))
    line = capsys.readouterr().err
    assert line.startswith("Error: MESSAGE\\x1b]52")
    assert "\x1b" not in line and h.TOKEN not in line


def test_draft_jobs_and_capabilities_are_inert() -> None:
    console, out = colour_console()
    print_draft(console, Draft.from_json(h.draft()), heading="Draft created.")
    print_jobs(console, [job for job in map(JobSummary.from_json, h.jobs()["jobs"]) if job])
    print_capabilities(console, Capabilities.from_json(h.capabilities()))
    shown = out.getvalue()
    assert_inert(shown)
    for tag in ("TITLE", "WARNING", "URL", "LABEL", "JOBTITLE", "FEATURE", "UPDATEKEY", "ENUM"):
        assert f"{tag}\\x1b]52" in shown, tag


def test_a_long_value_is_redacted_before_it_is_cut() -> None:
    console, out = colour_console()
    draft = Draft.from_json({**h.draft(), "normalizedFields": {"jobTitle": "x" * 150 + h.TOKEN}})
    print_draft(console, draft)
    assert "ot_pat_hostile1" not in out.getvalue()


def test_publish_result_and_auth_status_are_inert() -> None:
    console, out = colour_console()
    result = PublishResult.from_json(h.published(), "jd_hostile")
    print_publish_result(console, console, "jd_hostile", result)
    print_auth_status(
        console,
        account=h.evil("ACTOR"),
        masked_token="ot_pat_...",
        token_source="env",
        scopes=[h.evil("SCOPE")],
        api=h.evil("API"),
    )
    shown = out.getvalue()
    found = [seq for seq in [*SERVER_SEQUENCES, h.TOKEN, h.SECRET] if seq in shown]
    assert not found, repr(shown)
    for tag in ("Published jd_hostile.", "JOBURL", "PUBWARNING", "ACTOR", "SCOPE"):
        assert tag in shown


def test_the_wizard_view_prints_every_string_inert() -> None:
    console, out = colour_console()
    display = RichDisplay(console)
    display.note(h.evil("NOTE"))
    display.warn(h.evil("WARN"))
    display.success(h.evil("SUCCESS"))
    display.link(h.evil("LINKLABEL"), "https://app.example/" + h.EVIL)
    display.heading(h.evil("HEADING"))
    missing = MissingField.from_json(h.missing_field("experienceLevel"))
    question = build_question("experienceLevel", missing=missing, problem=h.evil("PROBLEM"))
    display.question_intro(question, 1, 2)
    display.table(h.evil("TABLE"), [Row(h.evil("ROW"), h.evil("DETAIL"), "set")])
    display.progress(h.evil("PROGRESS"), ready=False)
    display.retrying(h.evil("RETRY"))
    shown = out.getvalue()
    assert_inert(shown)
    assert "[link=https://evil.example/login]3[/link]" in shown
    tags = ("NOTE", "WARN", "SUCCESS", "LINKLABEL", "HEADING", "LABEL", "PROBLEM", "HINT")
    for tag in (*tags, "TABLE", "ROW", "DETAIL", "PROGRESS", "RETRY"):
        assert f"{tag}\\x1b]52" in shown, tag


def test_a_prompt_message_is_inert() -> None:
    message = fit(h.evil("QUESTION"), "(arrows, Enter)", width=300)
    assert message.startswith("QUESTION\\x1b]52")
    assert not any(seq in message for seq in [*SERVER_SEQUENCES, h.TOKEN])


# -- one vocabulary: labels and values in words ----------------------------------------


def plain_console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=120, no_color=True, highlight=False), out


def names_only(*missing: str, fields: dict[str, object] | None = None) -> Draft:
    """A draft as publish's refusal gives it: missing fields by name, nothing else."""
    return Draft.from_json(
        {
            "jobId": "d1",
            "normalizedFields": fields or {},
            "validation": {"publishReady": False, "missingFields": list(missing)},
        }
    )


def test_a_patch_table_names_fields_by_label_and_shows_the_value_set() -> None:
    console, out = plain_console()
    draft = names_only("fixedPrice", fields={"paymentType": "FIXED_PRICE"})
    print_validation(console, draft, just_set={"paymentType": "FIXED_PRICE"})
    text = out.getvalue()
    assert "Payment type" in text and "Fixed price" in text
    assert "paymentType" not in text and "FIXED_PRICE" not in text
    # The missing row says what is needed even when the server gave only a name.
    assert "What fixed price will you pay for the whole job" in text


def test_a_missing_choice_lists_its_values_in_words() -> None:
    console, out = plain_console()
    print_validation(console, names_only("dataVolumeUnit"))
    text = out.getvalue()
    assert "Hours of recording (audio/video)" in text
    assert "HOURS_OF_RECORDING_AUDIO_VIDEO" not in text


def test_show_prints_values_in_words() -> None:
    console, out = plain_console()
    fields = {"dataVolumeUnit": "HOURS_OF_RECORDING_AUDIO_VIDEO", "dataVolume": 50000}
    print_draft(console, names_only(fields=fields))
    text = out.getvalue()
    assert "Hours of recording (audio/video)" in text and "50,000" in text
    assert "Data volume unit" in text and "dataVolumeUnit" not in text


def test_a_servers_number_limit_is_shown_in_words() -> None:
    console, out = plain_console()
    message = "Number must be less than or equal to 1e+12"
    print_error(console, BadRequest("refused", field_errors={"dataVolume": [message]}))
    assert "Data volume: Must be at most 1,000,000,000,000" in out.getvalue()
