"""One client and the local cache, with the fallbacks the API needs.

Capabilities cached for a day and fetched again when a key is not listed or
the server rejects one; reading a draft when the server has no read route
(the read route is optional); keeping the richest description of each
missing field seen so far, because a PATCH may answer with names only.
``operations`` builds the draft flows on it.  Returns data; never prints or
prompts.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from jobdraft.cache import Cache
from jobdraft.cache_deferred import DeferredDraftCache
from jobdraft.client import ApiClient, issues_from_details
from jobdraft.errors import ApiError, BadRequest, NotFound
from jobdraft.model import (
    Capabilities,
    Draft,
    JobSummary,
    MissingField,
    PublishResult,
    missing_field_to_json,
)

Json = Any


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
                self._capabilities = Capabilities.from_json(cached)
                self._capabilities_cached = True
                return self._capabilities
            except ValueError:
                pass
        self._capabilities = self.client.capabilities()
        self._capabilities_cached = False
        self.cache.store_capabilities(self.origin, self._capabilities.raw)
        self._seen(self._capabilities.raw)
        return self._capabilities

    def capabilities_if_available(self) -> Capabilities | None:
        """Capabilities when they can be had; typing falls back to the documented keys."""
        try:
            return self.capabilities()
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
        draft = self.client.create_draft(body)
        self._seen(draft.raw)
        return self._remember(draft)

    def patch(self, job_id: str, body: Mapping[str, Json]) -> Draft:
        try:
            draft = self.client.patch_draft(job_id, body)
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
            hint=f"give it a title: jobdraft patch {job_id} --set jobTitle='...'",
        )

    def publish(self, job_id: str) -> PublishResult:
        result = self.client.publish(job_id)
        self._seen(result.raw)
        self.cache.remember_draft(self.origin, job_id, status=result.status)
        return result

    def jobs(self, status: str | None = None, *, limit: int | None = None) -> Iterator[JobSummary]:
        """The account's jobs, newest first: every one, or the newest ``limit``."""
        # The server lists newest first; stamping each a moment older than the
        # one before keeps that order for completion (otherwise the last one
        # listed, the oldest, would look like the most recent).
        now = time.time()
        for index, job in enumerate(self.client.list_jobs(status=status, limit=limit)):
            self.cache.remember_draft(
                self.origin, job.id, title=job.title, status=job.status, seen_at=now - index / 1000
            )
            yield job
