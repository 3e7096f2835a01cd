"""The floor of ``bench/wizard.py``: the wizard's widgets in bare questionary, nothing else.

    python bench/bare_wizard.py ORIGIN TOKEN JOB_ID

It asks what ``jobdraft fill JOB_ID`` asks of the bench's draft, with the
same questionary widgets (text, select, confirm) and the same messages, and
makes the same two requests (read the draft before the first question, one
PATCH when the answers are sent), with a plain ``httpx.Client``: what any
Python wizard over this API pays, and no more.  No tables, no journal, no
cache, no validation beyond the widgets'.
"""

from __future__ import annotations

import ssl
import sys

import httpx
import questionary

PAYMENT_TYPES = {"Pay per label": "PAY_PER_LABEL", "Pay per hour": "PAY_PER_HOUR"}
PAYMENT_TYPES["Fixed price"] = "FIXED_PRICE"
LEVELS = {  # in the sandbox's order, as jobdraft shows them
    "Expert": "EXPERT",
    "Entry level": "ENTRY",
    "Intermediate": "INTERMEDIATE",
    "Any experience level": "ANY",
}


def main(origin: str, token: str, job_id: str) -> int:
    # Like jobdraft's client, no CA bundle loaded for a plain-http API (the
    # bench's sandbox): the floor pays only what such a wizard must.
    plain = origin.startswith("http://")
    http = httpx.Client(
        base_url=f"{origin}/api/public/v1",
        headers={"authorization": f"Bearer {token}"},
        verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT) if plain else True,
    )
    draft = http.get(f"/job-drafts/{job_id}").json()
    guess = (draft.get("normalizedFields") or {}).get("jobTitle") or ""
    print("Job title  (1 of 4)")
    title = questionary.text(
        "What is the title of the job post?", default=guess, instruction="(empty to skip)"
    ).ask()
    print("Payment type  (2 of 4)")
    paid = questionary.select("How will AI trainers be paid?", choices=list(PAYMENT_TYPES)).ask()
    print("Price per label (USD)  (3 of 5)")
    price = questionary.text(
        "How much will you pay per label, in US dollars?", instruction="(empty to skip)"
    ).ask()
    print("Experience level  (4 of 5)")
    level = questionary.select(
        "What experience level should AI trainers have?",
        choices=list(LEVELS),
    ).ask()
    print("Number of AI trainers  (5 of 5)")
    headcount = questionary.text(
        "How many AI trainers do you need?", instruction="(empty to skip)"
    ).ask()
    answers = {
        "jobTitle": title,
        "paymentType": PAYMENT_TYPES[paid],
        "pricePerLabel": float(price),
        "experienceLevel": LEVELS[level],
        "headcount": int(headcount),
    }
    print("Your answers")
    for key, value in answers.items():
        print(f"  {key}: {value}")
    action = questionary.select(
        "What next?",
        choices=["Send 5 answers", "Change an answer", "Stop here and keep the answers for later"],
    ).ask()
    if action != "Send 5 answers":
        return 1
    answer = http.patch(f"/job-drafts/{job_id}", json=answers).json()
    ready = (answer.get("validation") or {}).get("publishReady")
    print("Ready to publish: every required field is set." if ready else "Not ready yet.")
    questionary.confirm("Publish it now?", default=False).ask()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
