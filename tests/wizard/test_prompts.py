"""The real prompter (questionary) driven with keystrokes through a pipe, in-process."""

from __future__ import annotations

import pytest

from jobdraft.model import Capabilities, MissingField
from jobdraft.prompts import QuestionaryPrompter
from jobdraft.questions import Choice, Question, RawAnswer, build_question

pytestmark = pytest.mark.timeout(20)

DOWN, UP, ENTER, SPACE, BACKSPACE, CTRL_C, ESC = (
    "\x1b[B",
    "\x1b[A",
    "\r",
    " ",
    "\x7f",
    "\x03",
    "\x1b",
)


def ask(keys: object, question: Question, typed: str) -> RawAnswer:
    keys.send_text(typed)  # type: ignore[attr-defined]
    return QuestionaryPrompter().ask(question)


LEVEL = MissingField(
    field="experienceLevel",
    type="enum",
    enum_values=("EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"),
    example="INTERMEDIATE",
)


def test_a_list_starts_on_its_first_choice_not_on_the_servers_example(keys: object) -> None:
    # LEVEL's example is INTERMEDIATE: Enter must not send it unseen.
    question = build_question("experienceLevel", missing=LEVEL)
    assert ask(keys, question, ENTER) == "EXPERT"


def test_arrow_keys_move_from_the_value_the_draft_holds(keys: object) -> None:
    question = build_question("experienceLevel", missing=LEVEL, current="INTERMEDIATE")
    assert ask(keys, question, DOWN + ENTER) == "ANY_EXPERIENCE_LEVEL"


def test_skip_for_now_is_the_last_entry_of_a_list(keys: object) -> None:
    question = build_question("experienceLevel", missing=LEVEL, current="INTERMEDIATE")
    assert ask(keys, question, DOWN + DOWN + ENTER) is None


def test_a_long_list_filters_as_one_types(keys: object) -> None:
    kinds = ("BOUNDING_BOX", "POLYGON", "SEGMENTATION", "KEYPOINT", "CLASSIFICATION",
             "TRANSCRIPTION", "TRANSLATION", "SENTIMENT")  # fmt: skip
    gap = MissingField(field="dataKind", type="enum", enum_values=kinds)
    question = build_question("dataKind", missing=gap)
    assert question.searchable
    assert ask(keys, question, "transl" + ENTER) == "TRANSLATION"


def test_a_checkbox_needs_one_pick_when_required(keys: object) -> None:
    caps = Capabilities(enums={"labelTypes": ("BOUNDING_BOX", "POLYGON", "KEYPOINT")})
    question = build_question("labelTypes", capabilities=caps)
    # Enter with nothing picked is refused; then two are picked.
    typed = ENTER + SPACE + DOWN + DOWN + SPACE + ENTER
    assert ask(keys, question, typed) == ["BOUNDING_BOX", "KEYPOINT"]


def test_an_invalid_number_blocks_enter_until_corrected(keys: object) -> None:
    question = build_question("headcount")
    typed = "2.5" + ENTER + BACKSPACE * 3 + "12" + ENTER
    assert ask(keys, question, typed) == "12"


def test_multiline_text_ends_with_escape_enter(keys: object) -> None:
    question = build_question("jobDescription")
    assert ask(keys, question, "Line one" + ENTER + "line two" + ESC + ENTER) == (
        "Line one\nline two"
    )


def test_the_default_is_prefilled_and_enter_keeps_it(keys: object) -> None:
    question = build_question("headcount", current=7)
    assert ask(keys, question, ENTER) == "7"


def test_a_confirm_can_be_skipped_with_s(keys: object) -> None:
    nda = MissingField(field="requiresNda", type="boolean")
    assert ask(keys, build_question("requiresNda", missing=nda), "s") is None
    assert ask(keys, build_question("requiresNda", missing=nda), "y") is True


def test_ctrl_c_raises_instead_of_answering_none(keys: object) -> None:
    with pytest.raises(KeyboardInterrupt):
        ask(keys, build_question("headcount"), "12" + CTRL_C)


def test_the_review_menu(keys: object) -> None:
    keys.send_text(DOWN + ENTER)  # type: ignore[attr-defined]
    choices = [Choice("send", "Send"), Choice("change", "Change"), Choice("stop", "Stop")]
    assert QuestionaryPrompter().menu("What next?", choices, default="send") == "change"
