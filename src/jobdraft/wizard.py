"""The fill loop: ask what is missing, review, send one PATCH, redraw, repeat, publish.

It talks to the terminal only through the two ports of ``ports``: a
``Prompter`` (the questions; ``prompts.QuestionaryPrompter`` at a real
terminal, a scripted one in tests) and a ``Display`` (everything printed;
``wizard_view.RichDisplay``).  Which questions a round asks is decided by
``planning.RoundPlanner``; sending and publishing go through ``operations``.
Every answer goes to the journal the moment it is given and leaves it only
when a PATCH carrying it succeeds, so Ctrl-C, a dropped connection or a
refusal never costs the user what they typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from jobdraft import browser, hints
from jobdraft.errors import (
    BadRequest,
    InterruptedByUser,
    JobdraftError,
    NoPromptError,
    UnconfirmedGuesses,
)
from jobdraft.fields import FieldSpec, known_keys, spec_for
from jobdraft.journal import Journal
from jobdraft.json_types import Json
from jobdraft.model import Capabilities, Draft, MissingField, PublishResult
from jobdraft.operations import listed, patch_draft, publish_draft, publish_outcome
from jobdraft.planning import AnswerSources, Round, RoundPlanner, is_blank, issue_problems
from jobdraft.ports import (
    Display,
    InterruptedWhilePicking,
    Prompter,
    Row,
    typed_before_interrupt,
)
from jobdraft.questions import (
    Choice,
    Question,
    Widget,
    follow_up_key,
    has_follow_ups,
    is_skip,
    raw_default,
    to_value,
)
from jobdraft.remembered import defaults_path, remember, rememberable
from jobdraft.wording import describe_value, label_for, server_message_text, shorten

if TYPE_CHECKING:
    from jobdraft.session import Session


SKIPPED = "(skipped for now)"  # one wording in the review table and its menu
REMEMBERED = "(remembered)"  # beside an answer in the review that came from an earlier job
REMEMBER_QUESTION = "Remember them as defaults for your next job posts?"


def join_hints(first: str | None, second: str) -> str:
    """The server's or client's advice first, then how to get the answers back."""
    return f"{first.rstrip('.')}. {second[:1].upper()}{second[1:]}" if first else second


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Wizard:
    """One ``jobdraft fill`` run over one draft."""

    def __init__(
        self,
        session: Session,
        prompter: Prompter | None,
        display: Display,
        journal: Journal,
        *,
        capabilities: Capabilities | None,
        prefill: dict[str, Json] | None = None,
        publish: bool | None = None,
        values_shown: bool = False,
        accept_guesses: bool = False,
        remembered: Mapping[str, Json] | None = None,
    ) -> None:
        self.session = session
        # The draft's values are on screen already (fill just created it and
        # showed what it understood): a first summary would only repeat them.
        self.values_shown = values_shown
        self.prompter = prompter  # None: not a terminal, nothing may be asked
        self.display = display
        self.journal = journal
        self.capabilities = capabilities
        self.publish_choice = publish
        self.accept_guesses = accept_guesses  # --accept-guesses: publish them unattended
        # Keys whose value is still only the server's guess (lowConfidenceFields),
        # in the order it listed them, until an answer of this run sets them.
        self.guesses: list[str] = []
        self.job_id = journal.job_id
        self.needed: set[str] = set()  # every key seen missing this run, for progress
        self.values: dict[str, Json] = {}  # what we know the draft holds
        self.saved = journal.answers()  # answers of an earlier run, offered as defaults
        self.last_sent: list[str] = []  # the keys the last PATCH set
        # Answers remembered from earlier jobs: defaults at a terminal, never sent
        # unasked.  None: this run neither uses them nor offers to remember (--no-defaults).
        self.remembering = remembered is not None and prompter is not None
        self.remembered = dict(remembered or {}) if self.remembering else {}
        self.planner = RoundPlanner(
            capabilities,
            AnswerSources(
                given=dict(prefill or {}),
                journal=self.saved,
                draft=self.values,
                remembered=self.remembered,
            ),
            # The richest description of each gap seen so far (the cache outlives a run).
            known=session.known_missing(self.job_id),
            can_ask=prompter is not None,
        )
        # Shared with the planner: what this run skipped and what the server accepted.
        self.skipped = self.planner.skipped
        self.sent = self.planner.sent
        self._journal_warned = False

    # -- entry -----------------------------------------------------------------------

    def run(self, draft: Draft) -> int:
        try:
            code = self._run(draft)
            self.offer_to_remember()
            return code
        except KeyboardInterrupt:
            kept = len(self.journal.answers())
            saved = f"; {plural(kept, 'answer')} saved" if kept else ""
            raise InterruptedByUser(f"interrupted{saved}", hint=self.resume_hint()) from None
        except JobdraftError as exc:
            kept = len(self.journal.answers())
            if kept:
                saved = (
                    f"{plural(kept, 'answer')} {'is' if kept == 1 else 'are'} saved; "
                    f"to send {'it' if kept == 1 else 'them'}: {self.fill_command()}"
                )
                exc.hint = join_hints(exc.hint, saved)
            raise

    def resume_hint(self) -> str:
        return f"continue with: {self.fill_command()}"

    def fill_command(self) -> str:
        return hints.command("fill", self.job_id)

    def _run(self, draft: Draft) -> int:
        self.values.update(draft.fields or {})
        self.note_guesses(draft)
        if draft.fields is None:
            # PATCH's small body says nothing of the values: the title seen last is known.
            title = (self.session.cache.draft(self.session.origin, self.job_id) or {}).get("title")
            if isinstance(title, str) and title:
                self.values["jobTitle"] = title
        self.needed.update(draft.validation.missing_names)
        self.journal_check()  # a journal file that could not be read was set aside: say so
        if self.saved and self.prompter is not None:
            saved = len(self.saved)
            self.display.note(
                f"{plural(saved, 'answer')} saved from an earlier run "
                f"{'is' if saved == 1 else 'are'} filled in below: Enter keeps "
                f"{'it' if saved == 1 else 'each'}."
            )
        if self.remembered:
            self.display.note(
                "Answers remembered from earlier jobs are pre-selected and marked "
                "(remembered) for your review; 'jobdraft fill --no-defaults' ignores them."
            )
        # Given answers (--set, --answers) are sent even to a ready draft: they
        # may correct what the server guessed before it is published.
        while not draft.ready or self.planner.guesses_to_check(draft) or self.planner.sources.given:
            plan = self.plan(draft)
            if plan is None:
                return self.stop_incomplete(draft)
            if plan.questions and self.prompter is None:
                if not plan.answers:
                    raise self.cannot_ask(plan)
                # Send what the files and --set give, then say what is left.
                plan.questions = []
            if plan.questions:
                self.ask_round(plan)
                if not self.review(plan):
                    return self.stop_for_later()
            elif not plan.answers:
                return self.stop_incomplete(draft)
            sent = self.send(plan)
            if sent is None:
                return self.stop_for_later()
            draft = sent
        return self.finish(draft)

    # -- planning --------------------------------------------------------------------

    def plan(self, draft: Draft) -> Round | None:
        """The next round's questions, or None when nothing is left that can be asked."""
        self.planner.known = self.session.known_missing(self.job_id)
        # Given answers are journaled before anything is asked: Ctrl-C keeps them.
        self.journal_all(self.planner.sources.given)
        unnamed = self.pick_unnamed(draft) if self.planner.wants_unnamed(draft) else []
        return self.planner.plan(draft, unnamed)

    def pick_unnamed(self, draft: Draft) -> list[str]:
        """The server said fields are missing but not which: let the user pick them."""
        assert self.prompter is not None
        keys = [k for k in known_keys(self.capabilities) if k not in self.values]
        if not keys:
            return []
        self.display.note(
            f"The server says {plural(draft.validation.missing_count, 'field')} "
            "still missing but does not say which."
        )
        question = Question(
            key="",
            label="Fields to set",
            message="Which fields do you want to set now?",
            widget=Widget.CHECKBOX,
            choices=tuple(Choice(k, label_for(k)) for k in keys),
            required=False,
        )
        raw = self.prompter.ask(question)
        return list(raw) if isinstance(raw, list) else []

    def question_for(
        self, key: str, missing: MissingField | None, problem: str | None = None
    ) -> Question:
        return self.planner.question_for(key, missing, problem)

    # -- asking ----------------------------------------------------------------------

    def ask_round(self, round_: Round) -> None:
        index = 0
        while index < len(round_.questions):
            self.ask_one(round_, round_.questions[index], index)
            index += 1

    def ask_one(self, round_: Round, question: Question, index: int) -> None:
        assert self.prompter is not None
        self.display.question_intro(question, index + 1, len(round_.questions))
        try:
            raw = self.prompter.ask(question)
        except KeyboardInterrupt as exc:
            self.keep_typed(question, typed_before_interrupt(exc))
            if isinstance(exc, InterruptedWhilePicking):
                self.keep_picked(question, exc.picked)
            raise
        if is_skip(raw):
            round_.answers.pop(question.key, None)
            round_.skipped.add(question.key)
            self.journal_forget([question.key])
            return
        value = to_value(question, raw)
        round_.skipped.discard(question.key)
        round_.answers[question.key] = value
        self.journal_record(question.key, value)
        self.add_follow_up(round_, question.key, value, after=index)

    def keep_typed(self, question: Question, typed: str) -> None:
        """A text answer cut short by Ctrl-C is saved like a given one, if it is one.

        Only text the field would accept as it stands (what Enter would let
        through) is kept: the journal holds values ready to send.  Text left as
        the question's default (the saved or current value) changes nothing.
        """
        if not question.key or question.widget not in (Widget.TEXT, Widget.MULTILINE):
            return
        if not typed.strip() or typed == question.default or question.check(typed) is not None:
            return
        try:
            value = to_value(question, typed)
        except JobdraftError:
            return
        self.journal_record(question.key, value)

    def keep_picked(self, question: Question, picked: list[str]) -> None:
        """Ticks cut short by Ctrl-C are saved like an answer, when they would be one."""
        if not question.key or question.widget is not Widget.CHECKBOX or not picked:
            return
        if picked == question.default or question.check_selection(picked) is not None:
            return
        self.journal_record(question.key, list(picked))

    def add_follow_up(self, round_: Round, key: str, value: Json, *, after: int) -> None:
        """Choosing a payment type makes its rate required: ask it now, not next round."""
        if not has_follow_ups(key):
            return
        wanted = follow_up_key(key, value)
        # A rate asked for the payment type chosen before no longer applies.
        for stale in [k for k in round_.follow_ups if k != wanted]:
            round_.follow_ups.discard(stale)
            round_.answers.pop(stale, None)
            round_.skipped.discard(stale)
            round_.questions = [q for q in round_.questions if q.key != stale]
            self.journal_forget([stale])
        if wanted is None or round_.question(wanted) or wanted in round_.answers:
            return
        if self.values.get(wanted) is not None:
            return
        round_.follow_ups.add(wanted)
        round_.questions.insert(after + 1, self.question_for(wanted, None))

    # -- review ----------------------------------------------------------------------

    def answer_rows(self, round_: Round) -> list[Row]:
        """In the order asked (as "Which answer?" lists them), then the pre-filled ones."""
        rows: list[Row] = []
        for question in round_.questions:
            if question.key in round_.answers:
                rows.append(self.answer_row(question.key, round_.answers[question.key]))
            elif question.key in round_.skipped:
                rows.append(Row(question.label, SKIPPED))
        asked = {question.key for question in round_.questions}
        rows.extend(
            self.answer_row(key, value) for key, value in round_.answers.items() if key not in asked
        )
        return rows

    def answer_row(self, key: str, value: Json) -> Row:
        detail = shorten(describe_value(self.spec_of(key), value))
        if self.is_remembered(key, value):
            detail += f" {REMEMBERED}"
        return Row(self.label_of(key), detail)

    def is_remembered(self, key: str, value: Json) -> bool:
        """``value`` is the remembered answer the question started on (kept as it was)."""
        return self.planner.sources.first(key) == ("remembered", value)

    def review(self, round_: Round) -> bool:
        """Send (True), change one and review again, or stop for later (False)."""
        assert self.prompter is not None
        while True:
            self.display.table("Your answers", self.answer_rows(round_))
            choices = []
            if round_.answers:
                choices.append(Choice("send", f"Send {plural(len(round_.answers), 'answer')}"))
            choices.append(Choice("change", "Change an answer"))
            choices.append(Choice("stop", "Stop here and keep the answers for later"))
            action = self.prompter.menu("What next?", choices, default=choices[0].value)
            if action == "send":
                return True
            if action == "stop":
                return False
            self.change_one(round_)

    def change_one(self, round_: Round) -> None:
        """Pick one answer of the round and ask it again, the current answer as default."""
        assert self.prompter is not None
        keys = [q.key for q in round_.questions]
        keys += [k for k in round_.answers if k not in keys]  # values from --answers/--set
        choices = [Choice(k, f"{self.label_of(k)}: {self.shown_answer(round_, k)}") for k in keys]
        choices.append(Choice("", "(back: change nothing)"))
        key = self.prompter.menu("Which answer?", choices)
        if not key:
            return
        question = round_.question(key)
        if question is None:
            question = self.question_for(key, None)
            round_.questions.append(question)
            round_.prefilled.discard(key)
        position = round_.questions.index(question)
        question = self.with_default(question, round_.answers.get(key))
        round_.questions[position] = question
        self.ask_one(round_, question, position)
        # A follow-up just added (the rate of a new payment type) is asked now too.
        if position + 1 < len(round_.questions):
            follow = round_.questions[position + 1]
            fresh = follow.key not in round_.answers and follow.key not in round_.skipped
            if follow.key in round_.follow_ups and fresh:
                self.ask_one(round_, follow, position + 1)

    def shown_answer(self, round_: Round, key: str) -> str:
        if key in round_.answers:
            return describe_value(self.spec_of(key), round_.answers[key]) or "(empty)"
        return SKIPPED

    def with_default(self, question: Question, value: Json) -> Question:
        if value is None:
            return question
        return replace(question, default=raw_default(question.spec, value))

    # -- sending ---------------------------------------------------------------------

    def send(self, round_: Round) -> Draft | None:
        """One PATCH with every answer of the round; None if the user stops after a refusal."""
        while True:
            count = plural(len(round_.answers), "answer")
            try:
                with self.display.waiting(f"Sending {count}..."):
                    draft = patch_draft(self.session, self.job_id, round_.answers)
            except BadRequest as exc:
                if not self.fixable(round_, exc):
                    raise
                if not self.reask_refused(round_, exc):
                    return None
                continue
            self.accepted(round_, draft)
            return draft

    def fixable(self, round_: Round, exc: BadRequest) -> bool:
        """A refusal the user can fix here: every message names an answer of this round."""
        errors = exc.field_errors
        return self.prompter is not None and bool(errors) and set(errors) <= set(round_.answers)

    def reask_refused(self, round_: Round, exc: BadRequest) -> bool:
        """Show the server's words beside each refused answer, ask only those, review again."""
        refused = exc.field_errors
        self.display.table(
            "The server refused",
            [
                Row(self.label_of(k), "; ".join(server_message_text(t) for t in m), "rejected")
                for k, m in refused.items()
            ],
        )
        for key, messages in refused.items():
            question = round_.question(key)
            if question is None:  # a value from --answers/--set: now it is a question
                question = self.question_for(key, None)
                round_.questions.append(question)
                round_.prefilled.discard(key)
            position = round_.questions.index(question)
            question = replace(
                self.with_default(question, round_.answers.get(key)),
                problem="; ".join(messages),
            )
            round_.questions[position] = question
            self.ask_one(round_, question, position)
        return self.review(round_)

    def accepted(self, round_: Round, draft: Draft) -> None:
        sent = list(round_.answers)
        self.journal_forget(sent)
        self.sent.update(sent)
        self.values.update(round_.answers)
        self.skipped.update(round_.skipped)
        self.needed.update(round_.follow_ups & set(sent))
        self.needed.update(draft.validation.missing_names)
        self.last_sent = sent
        self.note_guesses(draft)
        if not draft.ready:
            # When ready, the summary that follows marks what this round set.
            self.display.table("After this round", self.status_rows(draft, sent))
        self.display.progress(self.progress_text(draft), ready=draft.ready)

    def status_rows(self, draft: Draft, sent: Sequence[str]) -> list[Row]:
        missing = set(draft.validation.missing_names)
        problems = issue_problems(draft.validation)
        rows = [
            Row(
                self.label_of(key),
                shorten(describe_value(self.spec_of(key), self.values[key])),
                "set",
            )
            for key in sent
            if key not in missing and key not in problems
        ]
        for item in draft.missing:
            state = "skipped" if item.field in self.skipped else "missing"
            rows.append(Row(label_for(item.field, item), self.need_of(item), state))
        for issue in draft.validation.issues:
            label = self.label_of(issue.field) if issue.field else "(the draft)"
            rows.append(Row(label, issue.message, "blocked"))
        return rows

    def need_of(self, item: MissingField) -> str:
        if item.question:
            return item.question
        question = self.question_for(item.field, item)
        return question.message

    def progress_text(self, draft: Draft) -> str:
        if draft.ready:
            return "Ready to publish: every required field is set."
        # The API gives no count of required fields, only of those missing, so
        # progress is over the fields this run has seen missing (not the
        # values the draft already had, such as a guessed title one checks).
        missing = draft.validation.missing_count
        total = max(len(self.needed), missing)
        parts = [f"{total - missing} of {total} missing {'field' if total == 1 else 'fields'} set"]
        if missing:
            parts.append(f"{missing} still missing")
        if draft.validation.issues:
            parts.append(plural(len(draft.validation.issues), "blocking issue"))
        return ", ".join(parts) + "."

    # -- stopping --------------------------------------------------------------------

    def stop_for_later(self) -> int:
        kept = len(self.journal.answers())
        saved = f" {plural(kept, 'answer')} kept for later." if kept else ""
        self.display.note(f"Stopped.{saved} Continue with: {self.fill_command()}")
        return 0

    def stop_incomplete(self, draft: Draft) -> int:
        skipped = [
            label_for(item.field, item) for item in draft.missing if item.field in self.skipped
        ]
        if skipped:
            self.display.note(f"Still missing (skipped for now): {', '.join(skipped)}.")
        elif draft.validation.names_unknown:
            self.display.note("The server did not say which fields are missing.")
        if draft.validation.issues and not skipped:
            self.display.note("The draft has problems that no answer here can fix:")
            self.display.table(
                "Blocking issues",
                [
                    Row(self.label_of(i.field) if i.field else "(the draft)", i.message, "blocked")
                    for i in draft.validation.issues
                ],
            )
        self.display.note(f"Not ready yet. When you have the answers: {self.fill_command()}")
        return 0

    def cannot_ask(self, round_: Round) -> NoPromptError:
        keys = [q.key for q in round_.questions]
        example = keys[0] if keys else "key"
        return NoPromptError(
            "jobdraft fill needs a terminal to ask for: " + ", ".join(keys),
            hint=(
                f"set them ({hints.command('patch', self.job_id, '--set', f'{example}=...')}), "
                "or give every answer with --answers FILE (JSON or TOML) or --set"
            ),
        )

    # -- ready and publishing --------------------------------------------------------

    def finish(self, draft: Draft) -> int:
        self.journal.clear()  # anything still saved is obsolete: the draft is complete
        if self.values_shown and not self.last_sent:
            self.display.progress(self.progress_text(draft), ready=True)
        else:
            self.display.table("Your job post", self.summary_rows(), detail="Value")
        if draft.draft_url:
            self.display.link("Review it online:", draft.draft_url)
            if self.session.origin == browser.EMBEDDED_SANDBOX:
                self.display.note(
                    "The embedded sandbox serves no web pages: 'jobdraft sandbox serve' "
                    "(it uses the same store) shows this one."
                )
        wanted = self.publish_choice
        if wanted is None:
            if self.prompter is None:
                publish = hints.command("publish", self.job_id, "--yes")
                self.display.note(f"Publish it with: {publish}")
                return 0
            if draft.draft_url and self.can_open(draft.draft_url):
                wanted = self.publish_or_open(draft.draft_url)
            else:
                wanted = self.prompter.confirm("Publish it now?", default=False)
        if not wanted:
            publish = hints.command("publish", self.job_id)
            self.display.note(f"Not published. When you are ready: {publish}")
            return 0
        unconfirmed = self.unconfirmed_guesses()
        if self.prompter is None and unconfirmed and not self.accept_guesses:
            raise self.refuse_guesses(unconfirmed)
        result = self.publish()
        return self.published(result)

    def can_open(self, url: str) -> bool:
        """Whether to offer the draft's page: a browser is there to show it."""
        if self.session.origin == browser.EMBEDDED_SANDBOX or not browser.has_browser():
            return False
        try:
            browser.check_url(url)
        except browser.UnsafeUrl:
            return False
        return True

    def publish_or_open(self, url: str) -> bool:
        """Publish now, not now, or look at the draft's page first and then decide."""
        assert self.prompter is not None
        choices = [
            Choice("publish", "Publish now"),
            Choice("open", "Open it in the browser first"),
            Choice("no", "Not now"),
        ]
        action = self.prompter.menu("Publish it now?", choices, default="no")
        if action != "open":
            return action == "publish"
        if browser.open_url(url):
            self.display.note("Opened in your browser.")
        else:
            self.display.note("No browser could be started: the address is above.")
        return self.prompter.confirm("Publish it now?", default=False)

    def summary_rows(self) -> list[Row]:
        """Everything the draft is known to hold; what the last round set is marked.

        Every value here is set, so no state column: the last round's answers
        say "(just set)" after the value, as guesses say theirs.  (A third
        column cost the step from "Send" to "Publish it now?" a third of its
        table's drawing, for a word repeated on every row.)
        """
        just_set = set(self.last_sent)
        guessed = set(self.unconfirmed_guesses())
        return [
            Row(
                self.label_of(key),
                shorten(describe_value(self.spec_of(key), value))
                + (" (just set)" if key in just_set else "")
                + (" (a guess: check it)" if key in guessed else ""),
            )
            for key, value in self.values.items()
            if not is_blank(value)
        ]

    def note_guesses(self, draft: Draft) -> None:
        """Follow which values are still guesses; a PATCH's small body does not list them."""
        if "lowConfidenceFields" in draft.raw:
            self.guesses = list(draft.low_confidence)
        self.guesses = [key for key in self.guesses if key not in self.sent]

    def unconfirmed_guesses(self) -> list[str]:
        return [key for key in self.guesses if not is_blank(self.values.get(key))]

    def refuse_guesses(self, keys: Sequence[str]) -> UnconfirmedGuesses:
        """Nobody saw the guesses (no terminal): publishing them needs an explicit word."""
        labels = listed([self.label_of(key) for key in keys])
        confirm = hints.command("fill", self.job_id, "--set", f"{keys[0]}=...", "--publish")
        return UnconfirmedGuesses(
            f"not published: the server only guessed {labels} from the description",
            fields=tuple(keys),
            hint=f"the draft is kept; check {'it' if len(keys) == 1 else 'them'} "
            f"({hints.command('show', self.job_id)}), then confirm or correct each with --set "
            f"({confirm}), "
            "or add --accept-guesses to publish the guesses as they are",
        )

    def publish(self) -> PublishResult:
        with self.display.waiting("Publishing..."):
            return publish_draft(self.session, self.job_id)

    def published(self, result: PublishResult) -> int:
        outcome = publish_outcome(result, self.job_id)
        self.display.success(outcome.headline)
        if outcome.url:
            self.display.link("Job post:", outcome.url)
        for warning in outcome.warnings:
            self.display.warn(warning)
        return 0

    # -- remembering -----------------------------------------------------------------

    def offer_to_remember(self) -> None:
        """After a run that sent answers, offer to keep those that hold across jobs.

        Asked only at a terminal, only when something would change, default no.
        """
        if not self.remembering or self.prompter is None:
            return
        chosen = rememberable({key: self.values[key] for key in self.sent if key in self.values})
        new = {key: value for key, value in chosen.items() if self.remembered.get(key) != value}
        if not new:
            return
        labels = ", ".join(self.label_of(key) for key in chosen)
        self.display.note(f"Answers you may give again in your next job posts: {labels}.")
        if not self.prompter.confirm(REMEMBER_QUESTION, default=False):
            return
        try:
            remember(chosen)
        except OSError as exc:
            self.display.warn(f"the answers could not be remembered: {exc.strerror or exc}")
            return
        self.display.note(
            f"Remembered in {defaults_path()}: the next 'jobdraft fill' starts from them "
            "('jobdraft fill --no-defaults' ignores them)."
        )

    # -- helpers ---------------------------------------------------------------------

    def spec_of(self, key: str) -> FieldSpec:
        return spec_for(key, self.planner.known.get(key), self.capabilities)

    def label_of(self, key: str) -> str:
        return label_for(key, self.planner.known.get(key))

    def journal_record(self, key: str, value: Json) -> None:
        self.journal.record(key, value)
        self.journal_check()

    def journal_all(self, values: dict[str, Json]) -> None:
        if values:
            self.journal.record_all(values)
            self.journal_check()

    def journal_forget(self, keys: Sequence[str]) -> None:
        self.journal.forget(keys)
        self.journal_check()

    def journal_check(self) -> None:
        for notice in self.journal.take_notices():
            self.display.warn(notice)
        if self.journal.problem and not self._journal_warned:
            self._journal_warned = True
            self.display.warn(self.journal.problem)
