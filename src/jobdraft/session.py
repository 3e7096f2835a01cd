"""One client and the local cache, with the fallbacks the API needs.

Capabilities cached for a day and fetched again when a key is not listed or
the server rejects one; reading a draft when the server has no read route
(the read route is optional); keeping the richest description of each
missing field seen so far, because a PATCH may answer with names only.
``operations`` builds the draft flows on it.  Returns data; never prints or
prompts.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace

from jobdraft import hints
from jobdraft.cache import Cache
from jobdraft.cache_deferred import DeferredDraftCache
from jobdraft.client import ApiClient, issues_from_details
from jobdraft.errors import (
    ApiError,
    AuthError,
    BadRequest,
    FeatureDisabled,
    NetworkError,
    NotFound,
    OtherAccountsDraft,
    ServerError,
)
from jobdraft.hints import command
from jobdraft.json_types import Json
from jobdraft.model import (
    Capabilities,
    Draft,
    JobSummary,
    MissingField,
    PublishResult,
    SpecFields,
    missing_field_to_json,
)


class Session:
    def __init__(
        self,
        client: ApiClient,
        cache: Cache,
        origin: str,
    ) -> None:
        self.client = client
        self.cache = cache
        self.origin = origin
        self._capabilities: Capabilities | None = None
        self._capabilities_cached = False  # read from the cache, not fetched in this run
        # Last raw answer of each call, for --json output.
        self.last_raw: Json = None

    def close(self) -> None:
        try:
            if isinstance(self.cache, DeferredDraftCache):
                self.cache.flush()
        finally:
            self.client.close()

    def defer_draft_writes(self) -> None:
        """Hold what is learnt of drafts in memory until ``close()`` (the wizard:
        no cache file rewritten between a send and the next question)."""
        if not isinstance(self.cache, DeferredDraftCache):
            self.cache = DeferredDraftCache(self.cache)

    def _seen(self, raw: Json) -> None:
        self.last_raw = raw

    # -- capabilities ----------------------------------------------------------------

    def capabilities(self, *, refresh: bool = False) -> Capabilities:
        if self._capabilities is not None and not refresh:
            return self._capabilities
        cached = None if refresh else self.cache.capabilities(self.origin)
        if cached is not None:
            try:
                self._capabilities = Capabilities.from_json(cached).with_spec(self.spec_fields())
                self._capabilities_cached = True
                return self._capabilities
            except ValueError:
                pass
        try:
            fetched = self.client.capabilities()
        except AuthError as exc:
            raise explained_403(exc) from None
        self._capabilities_cached = False
        self.cache.store_capabilities(self.origin, fetched.raw)
        self._seen(fetched.raw)
        self._capabilities = fetched.with_spec(self.spec_fields())
        return self._capabilities

    def spec_fields(self) -> SpecFields:
        """What the served spec says of the PATCH body; empty when there is none.

        Cached per origin as long as capabilities, its absence too: a server
        without a spec costs one request a day.  A failure that may pass (the
        network, a 5xx) is not remembered, and never fails the caller.
        """
        cached = self.cache.spec_fields(self.origin)
        if cached is not None:
            return SpecFields.from_json(cached)
        try:
            document = self.client.openapi()
        except (NetworkError, ServerError) as exc:
            if exc.status is None or exc.status >= 500:
                return SpecFields()
            document = None  # a 2xx that is no JSON object: an app's page, not a spec
        except ApiError:
            document = None  # 404 and the like: this server offers none
        spec = SpecFields.from_openapi(document)
        self.cache.store_spec_fields(self.origin, spec.to_json())
        return spec

    def capabilities_for_words(self) -> Capabilities | None:
        """The server's own choices, to write its tokens in words in a table; never an error.

        This run's or the cache's; else one GET without retries, cached for the
        next command.  A server that cannot say (an error, drafting disabled)
        leaves a table with the documented words and the server's tokens as sent.
        """
        if self._capabilities is not None:
            return self._capabilities
        cached = self.cache.capabilities(self.origin)
        if cached is not None:
            with contextlib.suppress(ValueError):
                return Capabilities.from_json(cached)
        try:
            fetched = self.client.capabilities(max_retries=0)
        except (ApiError, ValueError):
            return None
        self.cache.store_capabilities(self.origin, fetched.raw)
        return fetched

    def capabilities_if_available(self) -> Capabilities | None:
        """Capabilities when they can be had; typing falls back to the documented keys.

        Drafting disabled for the account is the exception: every PATCH
        would be refused the same way, so it is said now, before any question.
        """
        try:
            return self.capabilities()
        except FeatureDisabled:
            raise
        except ApiError:
            return None

    def capabilities_for(self, keys: Iterable[str]) -> Capabilities | None:
        """Capabilities, fetched afresh once if a cached copy does not list ``keys``.

        A key the cached copy lacks may be new on the server since (or the
        copy damaged): ask the server before refusing the user's key.
        """
        capabilities = self.capabilities_if_available()
        if capabilities is None or not self._capabilities_cached:
            return capabilities
        listed = {key.lower() for key in capabilities.update_keys}
        if all(key.strip().lower() in listed for key in keys):
            return capabilities
        try:
            return self.capabilities(refresh=True)
        except FeatureDisabled:
            raise
        except ApiError:
            return capabilities

    # -- drafts ----------------------------------------------------------------------

    def known_missing(self, job_id: str) -> dict[str, MissingField]:
        """The richest description of each gap of this draft seen so far."""
        entry = self.cache.draft(self.origin, job_id)
        known: dict[str, MissingField] = {}
        details = (entry or {}).get("missingDetails")
        if isinstance(details, list):
            for raw in details:
                item = MissingField.from_json(raw)
                if item is not None:
                    known[item.field] = item
        return known

    def _remember(self, draft: Draft, title: str | None = None) -> Draft:
        """Merge what earlier answers said about each gap, then cache the draft."""
        known = self.known_missing(draft.job_id)
        merged = tuple(
            item.merged_with(known[item.field]) if item.field in known else item
            for item in draft.missing
        )
        draft = replace(draft, validation=replace(draft.validation, missing=merged))
        for item in merged:
            known[item.field] = item
        # The full answer and every gap's richest description are kept so that
        # the next run can ask good questions even when the server only names fields.
        self.cache.remember_draft(
            self.origin,
            draft.job_id,
            title=draft.title or title,
            status=draft.status,
            answer=draft.raw,
            missing_details=[missing_field_to_json(item) for item in known.values()],
        )
        return draft

    def create(self, body: Mapping[str, Json]) -> Draft:
        try:
            draft = self.client.create_draft(body)
        except AuthError as exc:
            raise explained_403(exc) from None
        self._seen(draft.raw)
        return self._remember(draft)

    def patch(self, job_id: str, body: Mapping[str, Json]) -> Draft:
        try:
            draft = self.client.patch_draft(job_id, body)
        except AuthError as exc:
            raise explained_403(exc, job_id=job_id) from None
        except BadRequest as exc:
            # The server does not know a key our cached capabilities listed:
            # they are stale, so fetch them again next time.
            if any(
                issue.get("code") == "unrecognized_keys"
                for issue in issues_from_details(exc.details)
            ):
                self.cache.forget_capabilities(self.origin)
            raise
        self._seen(draft.raw)
        return self._remember(draft)

    def load(self, job_id: str) -> Draft:
        """The draft with fresh validation, even where the server has no read route."""
        try:
            draft = self.client.get_draft(job_id)
        except NotFound as not_found:
            return self._load_without_read_route(job_id, not_found)
        except ApiError as exc:
            # Without the read route, GET on the PATCH path may be 405, not 404.
            if exc.status != 405:
                raise
            missing = NotFound(f"no draft {job_id}", status=404, code="NOT_FOUND")
            return self._load_without_read_route(job_id, missing)
        self._seen(draft.raw)
        return self._remember(draft)

    def _load_without_read_route(self, job_id: str, not_found: NotFound) -> Draft:
        # No way to tell "no such route" from "no such draft" by the 404 alone,
        # so ask the documented list which jobs this account has.
        entry = self.cache.draft(self.origin, job_id) or {}
        job = next((j for j in self.client.list_jobs() if j.id == job_id), None)
        if job is None:
            raise not_found
        if job.status and job.status != "DRAFT":
            raise NotFound(
                f"job {job_id} is {job.status}, no longer a draft",
                status=409,
                code="CONFLICT",
            )
        title = job.title or entry.get("title")
        if isinstance(title, str) and title:
            # Re-sending a value the draft already has changes nothing and
            # answers with fresh validation.
            draft = self.client.patch_draft(job_id, {"jobTitle": title})
            self._seen(draft.raw)
            return self._remember(draft, title=title)
        answer = entry.get("answer")
        if isinstance(answer, dict):
            return self._remember(Draft.from_json(answer))
        # The draft exists, but this server cannot read it back and there is
        # no title to re-send for fresh validation: say so, and the way out.
        raise NotFound(
            f"draft {job_id} exists, but this server has no route to read it back "
            "and the draft has no title to refresh it with",
            status=not_found.status,
            code=not_found.code,
            hint=f"give it a title: {hints.command('patch', job_id, '--set', 'jobTitle=...')}",
        )

    def publish(self, job_id: str) -> PublishResult:
        result = self.client.publish(job_id)
        self._seen(result.raw)
        self.cache.remember_draft(self.origin, job_id, status=result.status)
        return result

    def jobs(self, status: str | None = None, *, limit: int | None = None) -> Iterator[JobSummary]:
        """The account's jobs, newest first: every one, or the newest ``limit``."""
        # The server lists newest first, and the cache keeps that order; one
        # write for the whole listing, not one per job.
        seen: list[tuple[str, str | None, str | None]] = []
        try:
            for job in self.client.list_jobs(status=status, limit=limit):
                seen.append((job.id, job.title, job.status))
                yield job
        finally:
            self.cache.remember_drafts(self.origin, seen)


def explained_403(exc: AuthError, *, job_id: str | None = None) -> AuthError:
    """A 403 of the drafting routes in words: which of the documented refusals it is.

    A disabled feature carries ``details.featureKey``/``mode``; a token without
    the scope, ``details.requiredScope``.  On PATCH, the only other 403 the
    docs give is a draft of another account (publish and close say 404 for it).
    Anything else (a 401, an unknown 403) is returned as it came.
    """
    if exc.status != 403:
        return exc
    details = exc.details if isinstance(exc.details, Mapping) else {}
    said = f" (the server said: {exc.message})" if exc.message else ""
    common: dict[str, Json] = {
        "status": exc.status,
        "code": exc.code,
        "request_id": exc.request_id,
        "details": exc.details,
    }
    feature = details.get("featureKey")
    if feature is not None:
        mode = details.get("mode")
        named = f"feature {feature!s}" + (f", mode {mode!s}" if mode is not None else "")
        return FeatureDisabled(
            f"job drafting is not enabled for this account ({named}){said}",
            hint="an OpenTrain admin of the account can enable it; "
            f"'{command('auth', 'status')}' shows which account the token is for",
            **common,
        )
    if job_id is not None and "requiredScope" not in details:
        return OtherAccountsDraft(
            f"draft {job_id} belongs to another account{said}",
            hint=f"check the id ('{command('list')}' shows yours), "
            f"or the token: '{command('auth', 'status')}' says whose it is",
            **common,
        )
    return exc
