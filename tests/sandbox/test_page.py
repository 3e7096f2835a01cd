"""The web page of a job post that draftUrl and jobUrl name (sandbox/page.py).

Fetched here through the WSGI app as HTML; test_page_browser.py renders it
in a real browser.
"""

from __future__ import annotations

from html.parser import HTMLParser

import httpx
from tests.sandbox.sandbox_helpers import DESCRIPTION, OTHER_TOKEN

from jobdraft.sandbox import SANDBOX_TOKEN
from jobdraft.sandbox.app import SERVE_ORIGIN, SandboxApp, config_from_env

HOSTILE_TITLE = 'Label <script>alert("x")</script> & <b>bold</b> "quoted"'


class TextById(HTMLParser):
    """The text inside each element that has an id, tags inside it dropped."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, str] = {}
        self.open: list[str | None] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("meta", "br"):
            return
        self.open.append(dict(attrs).get("id"))

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for name in self.open:
            if name:
                self.texts[name] = self.texts.get(name, "") + data


def parse(page: str) -> TextById:
    parser = TextById()
    parser.feed(page)
    return parser


def browser_get(url: str, app: SandboxApp) -> httpx.Response:
    """GET as a browser does: no token."""
    with httpx.Client(transport=httpx.WSGITransport(app=app)) as browser:
        return browser.get(url)


def test_the_draft_url_shows_the_draft_without_a_token(api):
    client = api()
    body = client.create(f"{HOSTILE_TITLE}\n{DESCRIPTION}")
    response = browser_get(body["draftUrl"], client.app)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = parse(response.text)
    assert page.texts["title"] == HOSTILE_TITLE  # shown as the text it is
    assert "script" not in page.tags and "b" not in page.tags
    assert page.texts["state"] == "Draft"
    assert "Need 10 annotators" in page.texts["description"]
    fields = page.texts["fields"]
    assert "Payment typePay per hour" in fields
    assert "Hourly rate (USD)$18.00" in fields
    assert "Number of AI trainers10" in fields
    assert page.texts["missing"] == "Experience level"


def test_no_script_may_run_and_nothing_is_loaded_from_elsewhere(api):
    client = api()
    body = client.create(f"{HOSTILE_TITLE}\n{DESCRIPTION}")
    response = browser_get(body["draftUrl"], client.app)
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy  # so default-src 'none' forbids every script
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script" not in response.text
    assert "http" not in response.text.replace(SERVE_ORIGIN, "")  # no external resource


def test_a_ready_draft_says_so_and_a_published_job_is_open(api):
    client = api()
    job_id = client.ready_draft()
    draft_url = client.get(f"/job-drafts/{job_id}").json()["draftUrl"]
    ready = parse(browser_get(draft_url, client.app).text)
    assert ready.texts["missing"] == "Every required field is set: ready to publish."
    assert "Experience levelIntermediate" in ready.texts["fields"]

    job_url = client.post(f"/jobs/{job_id}/publish").json()["jobUrl"]
    assert job_url == f"http://sandbox.test/jobs/{job_id}"
    published = parse(browser_get(job_url, client.app).text)
    assert published.texts["state"] == "Open"
    assert "missing" not in published.texts


def test_the_job_param_variant_url_works_too(api):
    client = api(variants=frozenset({"job-param-url"}))
    body = client.create()
    assert "?job=" in body["draftUrl"]
    assert parse(browser_get(body["draftUrl"], client.app).text).texts["state"] == "Draft"


def test_another_accounts_draft_is_shown_by_its_id_and_an_unknown_id_is_a_404_page(api):
    client = api()
    other = client.as_token(OTHER_TOKEN).create()
    assert browser_get(other["draftUrl"], client.app).status_code == 200
    missing = browser_get("http://sandbox.test/job-post?jobId=jd_<nope>", client.app)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "jd_&lt;nope&gt;" in missing.text
    assert browser_get("http://sandbox.test/job-post", client.app).status_code == 404


def test_the_embedded_sandbox_names_the_pages_of_the_served_one(isolated_home):
    """No web server in-process: its URLs are those 'jobdraft sandbox serve' answers."""
    app = SandboxApp(config_from_env())
    try:
        with httpx.Client(
            transport=httpx.WSGITransport(app=app),
            base_url="http://sandbox.localhost/api/public/v1",
            headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
        ) as client:
            body = client.post("/job-drafts", json={"rawJobDescription": DESCRIPTION}).json()
    finally:
        app.close()
    assert body["draftUrl"] == f"{SERVE_ORIGIN}/job-post?jobId={body['jobId']}"
