"""The pure planning of a fill round: which questions, in what order, with which defaults.

From what the draft still misses, the issues that block it, the server's
guesses and what this run already skipped and sent, ``RoundPlanner.plan``
gives the next round.  Nothing here prompts, prints or talks to a server,
so it is tested with plain values.

Where an answer comes from is named once, in ``ANSWER_PRECEDENCE``:
what the user gave on the command line (``--set``/``--answers``) wins, then
the journal of an interrupted run, then what the draft holds, then the
answers remembered from earlier jobs (``remembered``); the question's example
shows only when none of them has a value.  The draft comes before remembered
answers because it is this job's: a value the server read in the description
(a guess offered for a check) is about this job, a remembered one about others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from jobdraft.fields import RATE_KEY_FOR_PAYMENT
from jobdraft.json_types import Json
from jobdraft.model import Capabilities, Draft, MissingField, Validation
from jobdraft.questions import Question, build_question

# A key -> the keys whose answer it depends on: the amount is counted in the
# unit, the rate is the one of the payment type (docs/api.md §3.3).
ASKED_AFTER: dict[str, tuple[str, ...]] = {
    "dataVolume": ("dataVolumeUnit",),
    **dict.fromkeys(RATE_KEY_FOR_PAYMENT.values(), ("paymentType",)),
}


def in_asking_order(questions: list[Question]) -> list[Question]:
    """``questions`` with each one after those it depends on; otherwise as given.

    A stable depth-first order: a question pulls what it depends on (when that
    is asked in the same round) in just before itself, so the pair stays
    together and every other question keeps its place.
    """
    by_key = {q.key: q for q in questions}
    ordered: list[Question] = []
    placed: set[str] = set()

    def place(question: Question, pulling: frozenset[str]) -> None:
        if question.key in placed or question.key in pulling:
            return  # already asked, or a loop in the table: keep the given order
        for before in ASKED_AFTER.get(question.key, ()):
            if before in by_key:
                place(by_key[before], pulling | {question.key})
        placed.add(question.key)
        ordered.append(question)

    for question in questions:
        place(question, frozenset())
    return ordered


# Highest first.
ANSWER_PRECEDENCE = ("given", "journal", "draft", "remembered")


@dataclass
class AnswerSources:
    """Every place an answer can come from; ``first`` applies ``ANSWER_PRECEDENCE``."""

    given: dict[str, Json] = field(default_factory=dict)  # --set / --answers, sent unasked
    journal: Mapping[str, Json] = field(default_factory=dict)  # typed in an earlier run
    draft: Mapping[str, Json] = field(default_factory=dict)  # what the draft holds
    remembered: Mapping[str, Json] = field(default_factory=dict)  # from earlier jobs

    def first(self, key: str) -> tuple[str, Json] | None:
        """The source that decides ``key`` and its value; None when no source has one.

        A blank value (a draft's null) decides nothing: the next source may have one.
        """
        for name in ANSWER_PRECEDENCE:
            layer: Mapping[str, Json] = getattr(self, name)
            if key in layer and not is_blank(layer[key]):
                return name, layer[key]
        return None

    def value(self, key: str) -> Json:
        found = self.first(key)
        return None if found is None else found[1]


@dataclass
class Round:
    """The questions of one round and the answers given so far (key -> JSON value)."""

    questions: list[Question]
    answers: dict[str, Json] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    follow_ups: set[str] = field(default_factory=set)  # keys added because of an answer
    prefilled: set[str] = field(default_factory=set)

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)


def is_blank(value: Json) -> bool:
    return value is None or value in ("", [])


def issue_problems(validation: Validation) -> dict[str, str]:
    """Each field's blocking issues, as one sentence per field."""
    problems: dict[str, str] = {}
    for issue in validation.issues:
        if issue.field:
            problems[issue.field] = (
                f"{problems[issue.field]} {issue.message}"
                if issue.field in problems
                else issue.message
            )
    return problems


STILL_MISSING = "The server still lists this as missing."


@dataclass
class RoundPlanner:
    """What one run knows that decides its questions; ``plan`` is called once a round."""

    capabilities: Capabilities | None
    sources: AnswerSources
    known: Mapping[str, MissingField] = field(default_factory=dict)  # richest gap descriptions
    can_ask: bool = True  # False off a terminal: no guess is offered for a check
    check_guesses: bool = True  # the first round offers the server's guesses for a check
    skipped: set[str] = field(default_factory=set)  # skipped this run: not asked again
    sent: set[str] = field(default_factory=set)  # keys the server accepted this run

    def plan(self, draft: Draft, unnamed: Iterable[str] = ()) -> Round | None:
        """The next round, or None when nothing is left that can be asked.

        Takes the given answers (they go in this round only); ``unnamed`` are
        the keys the user picked when the server did not name what is missing.
        """
        problems = issue_problems(draft.validation)
        round_ = Round(questions=[])
        for key, value in self.sources.given.items():
            round_.answers[key] = value
            round_.prefilled.add(key)
        self.sources.given = {}
        planned: list[tuple[str, MissingField | None]] = []
        for gap in draft.missing:
            planned.extend((key, gap) for key in gap.keys)
        for key in problems:
            if key not in {k for k, _ in planned}:
                planned.append((key, self.known.get(key)))
        planned.extend((key, self.known.get(key)) for key in unnamed)
        for key, item in planned:
            if key in self.skipped or key in round_.answers or round_.question(key):
                continue
            problem = problems.get(key)
            if problem is None and key in self.sent:
                problem = STILL_MISSING
            round_.questions.append(self.question_for(key, item, problem))
        if self.check_guesses and (round_.questions or draft.ready):
            # A draft ready at once still gets its guesses checked before the
            # publish question: a guessed title is what a user most wants to see.
            round_.questions[:0] = self.guess_questions(draft, round_)
        self.check_guesses = False
        round_.questions = in_asking_order(round_.questions)
        if not round_.questions and not round_.answers:
            return None
        return round_

    def wants_unnamed(self, draft: Draft) -> bool:
        """The server says fields are missing without naming them: the user may pick."""
        return draft.validation.names_unknown and not draft.missing and self.can_ask

    def guesses_to_check(self, draft: Draft) -> bool:
        """The first round is still to come, and the server guessed values worth a look."""
        return self.check_guesses and bool(self.guess_questions(draft, Round(questions=[])))

    def guess_questions(self, draft: Draft, round_: Round) -> list[Question]:
        """Values the server guessed from the description, offered for a check first."""
        if not self.can_ask:
            return []
        questions = []
        for key in draft.low_confidence:
            if round_.question(key) or key in round_.answers:
                continue
            if is_blank(self.sources.draft.get(key)):
                continue
            found = self.sources.first(key)
            # A correction typed in an earlier run is no longer the server's guess.
            origin = (
                "Saved from an earlier run"
                if found is not None and found[0] == "journal"
                else "Guessed from your description"
            )
            questions.append(
                replace(
                    self.question_for(key, None),
                    required=False,
                    hint=f"{origin}: Enter keeps it, or correct it.",
                    example=None,
                )
            )
        return questions

    def question_for(
        self, key: str, missing: MissingField | None, problem: str | None = None
    ) -> Question:
        """The question for ``key``, its default the value of the strongest source."""
        if missing is None:
            missing = self.known.get(key)
        return build_question(
            key,
            missing=missing,
            capabilities=self.capabilities,
            current=self.sources.value(key),
            problem=problem,
        )
