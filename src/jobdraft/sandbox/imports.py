"""Imports of structured job posts: OpenTrain canonical JSON, schema.org
JobPosting (JSON-LD), Indeed XML and HR-XML.

Each importer maps the keys it understands onto draft fields and reports
everything else in ``unmapped`` (``{path, reason, valuePreview}``), so a user
can see what was left behind.  Free-text descriptions are then run through
the text parser to fill the remaining gaps.  Pure: no I/O.

XML comes from strangers, so it is refused outright when it declares a
DOCTYPE or an entity: with neither, expat has nothing to expand (no
"billion laughs") and nothing external to fetch.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

from jobdraft.sandbox import parse, rules

JSON = Any

_PREVIEW_CHARS = 80
_DANGEROUS_XML = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.I)
_TAG = re.compile(r"<[^>]+>")


class ImportProblem(ValueError):
    """The input cannot be imported at all (a 400 at ``path``)."""

    def __init__(self, path: list[str | int], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def preview(value: JSON) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _PREVIEW_CHARS else text[: _PREVIEW_CHARS - 3] + "..."


def _unmapped(out: parse.Extraction, path: str, reason: str, value: JSON) -> None:
    out.unmapped.append({"path": path, "reason": reason, "valuePreview": preview(value)})


def _plain(text: str) -> str:
    """HTML (common in job feeds) to plain text, keeping paragraph breaks."""
    text = re.sub(r"(?i)<\s*(?:br|/p|/li|/h\d|/div)\s*/?>", "\n", text)
    text = html.unescape(_TAG.sub("", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _set_checked(out: parse.Extraction, key: str, value: JSON, path: str) -> None:
    """Put a value that must pass the PATCH rules; report it otherwise."""
    spec = rules.FIELD_BY_KEY[key]
    issues = rules.check_value(spec, value, [key])
    if issues:
        _unmapped(out, path, str(issues[0]["message"]), value)
    else:
        out.put(key, rules.normalize(spec, value))


def _set_text(out: parse.Extraction, key: str, text: str, path: str) -> None:
    text = _plain(text)
    if len(text) > rules.MAX_DESCRIPTION_CHARS:
        out.warnings.append(f"{path} was cut to {rules.MAX_DESCRIPTION_CHARS} characters.")
        text = text[: rules.MAX_DESCRIPTION_CHARS]
    if key == "jobTitle" and len(text) > 200:
        out.warnings.append(f"{path} was cut to 200 characters.")
        text = text[:200].rstrip()
    if text:
        out.put(key, text)


def _fill_from_description(out: parse.Extraction) -> None:
    description = out.fields.get("jobDescription")
    if isinstance(description, str):
        found = parse.parse_description(description)
        found.fields.pop("jobDescription", None)
        # A title made up from the first sentence is worse than none at all
        # when the import had a title; put() keeps the import's own value.
        out.merge(found)


# --- OpenTrain canonical ------------------------------------------------------


# The documented keys of a canonical job and the draft key each fills.  The
# patchable keys themselves are accepted too (the sandbox's own extension).
CANONICAL_KEYS = {
    "title": "jobTitle",
    "description": "jobDescription",
    "paymentType": "paymentType",
    "languages": "languages",
    "countries": "countries",
    "labelTypes": "labelTypes",
    "tools": "labelingSoftware",
    "experienceLevel": "experienceLevel",
}
# rateAmount has no key of its own: it is the rate of the job's payment type.
CANONICAL_RATE = "rateAmount"


def import_canonical(job: JSON) -> parse.Extraction:
    """``{"format": "opentrain_canonical", "job": {...}}``: the documented keys
    (``title``, ``description``, ``paymentType``, ``rateAmount``, ``languages``,
    ``countries``, ``labelTypes``, ``tools``, ``experienceLevel``) or the
    patchable keys themselves."""
    if not isinstance(job, dict):
        raise ImportProblem(["job"], f"Expected object, received {rules.zod_type_name(job)}")
    out = parse.Extraction()
    for key, value in job.items():
        path = f"job.{key}"
        if key == "externalId" and isinstance(value, str) and value:
            out.external_id = value
        elif key == CANONICAL_RATE or value is None:
            continue  # the rate once the payment type is known; null sets nothing
        elif key == "tools":
            _set_tools(out, value, path)
        elif key in CANONICAL_KEYS or key in rules.FIELD_BY_KEY:
            _set_checked(out, CANONICAL_KEYS.get(key, str(key)), value, path)
        else:
            _unmapped(out, path, "Not a draft field.", value)
    if job.get(CANONICAL_RATE) is not None:
        _set_rate(out, job[CANONICAL_RATE], f"job.{CANONICAL_RATE}")
    return out


def _set_rate(out: parse.Extraction, amount: JSON, path: str) -> None:
    rate_key = rules.RATE_KEY_FOR_PAYMENT.get(str(out.fields.get("paymentType")))
    if rate_key is None:
        _unmapped(
            out, path, "rateAmount needs a valid paymentType to say which rate it is.", amount
        )
    else:
        _set_checked(out, rate_key, amount, path)


def _set_tools(out: parse.Extraction, tools: JSON, path: str) -> None:
    """``tools`` is a list of tool names; the draft keeps them in one string."""
    if isinstance(tools, list) and tools and all(isinstance(t, str) and t.strip() for t in tools):
        tools = ", ".join(t.strip() for t in tools)
    if isinstance(tools, str):
        _set_checked(out, "labelingSoftware", tools, path)
    else:
        _unmapped(out, path, "Expected a list of tool names.", tools)


# --- schema.org JobPosting ------------------------------------------------------

_JSONLD_IGNORED = {"@context", "@type", "@id"}
_HOURLY_UNITS = {"HOUR", "HOURLY", "PER HOUR"}


def import_json_ld(doc: JSON) -> parse.Extraction:
    if isinstance(doc, list) and len(doc) == 1:
        doc = doc[0]
    if not isinstance(doc, dict):
        raise ImportProblem(["jsonLd"], f"Expected object, received {rules.zod_type_name(doc)}")
    out = parse.Extraction()
    kind = doc.get("@type")
    if kind not in (None, "JobPosting"):
        out.warnings.append(f"Expected @type JobPosting, got {preview(kind)}.")
    for key, value in doc.items():
        path = f"jsonLd.{key}"
        if key in _JSONLD_IGNORED:
            continue
        handler = _JSONLD_HANDLERS.get(key)
        if handler is None:
            _unmapped(out, path, "No matching draft field.", value)
        elif not handler(out, value):
            _unmapped(out, path, "Could not read this value.", value)
    _fill_from_description(out)
    return out


def _ld_title(out: parse.Extraction, value: JSON) -> bool:
    if not isinstance(value, str):
        return False
    _set_text(out, "jobTitle", value, "jsonLd.title")
    return True


def _ld_description(out: parse.Extraction, value: JSON) -> bool:
    if not isinstance(value, str):
        return False
    _set_text(out, "jobDescription", value, "jsonLd.description")
    return True


def _ld_openings(out: parse.Extraction, value: JSON) -> bool:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return False
    _set_checked(out, "headcount", value, "jsonLd.totalJobOpenings")
    return True


def _ld_salary(out: parse.Extraction, value: JSON) -> bool:
    if not isinstance(value, dict):
        return False
    amount = value.get("value")
    unit = value.get("unitText")
    if isinstance(amount, dict):
        unit = amount.get("unitText", unit)
        amount = amount.get("value", amount.get("minValue"))
    if isinstance(amount, str):
        try:
            amount = float(amount.replace(",", ""))
        except ValueError:
            return False
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return False
    currency = value.get("currency")
    if currency not in (None, "USD"):
        out.warnings.append(f"baseSalary is in {preview(currency)}; the rate was kept as it is.")
    if str(unit).upper() in _HOURLY_UNITS:
        out.put("paymentType", "PAY_PER_HOUR")
        _set_checked(out, "pricePerHour", amount, "jsonLd.baseSalary")
        return True
    # A yearly or monthly salary has no counterpart among the payment types.
    _unmapped(out, "jsonLd.baseSalary", f"Only hourly pay maps to a rate (unit {unit}).", value)
    return True


def _ld_experience(out: parse.Extraction, value: JSON) -> bool:
    text = value.get("description") if isinstance(value, dict) else value
    if isinstance(value, dict) and isinstance(value.get("monthsOfExperience"), (int, float)):
        months = value["monthsOfExperience"]
        level = "ENTRY_LEVEL" if months < 12 else "INTERMEDIATE" if months < 48 else "EXPERT"
        out.put("experienceLevel", level, sure=False)
        return True
    found = parse.experience_level(text) if isinstance(text, str) else None
    if found is None:
        return False
    out.put("experienceLevel", found[0], sure=found[1])
    return True


def _country_name(value: JSON) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("addressCountry")
    if isinstance(value, dict):
        value = value.get("name")
    if not isinstance(value, str) or not value.strip():
        return None
    if value.strip().upper() in parse.ISO_CODES:
        return parse.ISO_CODES[value.strip().upper()]
    names = parse.country_names(value.strip())
    return names[0] if names else value.strip()


def _ld_countries(out: parse.Extraction, value: JSON) -> bool:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        place = item["address"] if isinstance(item, dict) and "address" in item else item
        name = _country_name(place)
        if name is None:
            return False
        names.append(name)
    if not names:
        return False
    _set_checked(out, "countries", names, "jsonLd.applicantLocationRequirements")
    return True


def _ld_identifier(out: parse.Extraction, value: JSON) -> bool:
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, (int, str)) and not isinstance(value, bool) and str(value):
        out.external_id = out.external_id or str(value)
        return True
    return False


_JSONLD_HANDLERS = {
    "title": _ld_title,
    "description": _ld_description,
    "totalJobOpenings": _ld_openings,
    "baseSalary": _ld_salary,
    "experienceRequirements": _ld_experience,
    "applicantLocationRequirements": _ld_countries,
    "jobLocation": _ld_countries,
    "identifier": _ld_identifier,
}


# --- XML -----------------------------------------------------------------------


def parse_xml(text: str) -> ET.Element:
    """Parse untrusted XML; no DOCTYPE, no entity declarations."""
    if _DANGEROUS_XML.search(text):
        raise ImportProblem(["xml"], "DOCTYPE and ENTITY declarations are not allowed.")
    try:
        return ET.fromstring(text)
    except (ET.ParseError, ValueError) as error:
        raise ImportProblem(["xml"], f"The XML is not well-formed: {error}") from None


def _local(tag: object) -> str:
    """``{namespace}Name`` -> ``Name`` (HR-XML is namespaced, Indeed is not)."""
    return str(tag).rsplit("}", 1)[-1]


def _text(element: ET.Element) -> str:
    return "".join(element.itertext()).strip()


def _walk(root: ET.Element) -> Iterator[tuple[str, ET.Element]]:
    """Every element with its slash path, without recursion (deep XML is fine)."""
    stack = [(_local(root.tag), root)]
    while stack:
        path, element = stack.pop()
        yield path, element
        children = list(element)
        stack.extend((f"{path}/{_local(c.tag)}", c) for c in reversed(children))


_INDEED_TEXT = {"title": "jobTitle", "description": "jobDescription"}


def import_indeed_xml(text: str) -> parse.Extraction:
    root = parse_xml(text)
    jobs = [e for e in root.iter() if _local(e.tag) == "job"]
    if not jobs:
        raise ImportProblem(["xml"], "No <job> element found.")
    out = parse.Extraction()
    if len(jobs) > 1:
        out.warnings.append(f"The XML holds {len(jobs)} jobs; only the first was imported.")
    job = jobs[0]
    used: set[int] = set()
    for child in job:
        name = _local(child.tag).lower()
        value = _text(child)
        if not value:
            used.add(id(child))
            continue
        path = f"job/{_local(child.tag)}"
        if name in _INDEED_TEXT:
            _set_text(out, _INDEED_TEXT[name], value, path)
        elif name == "referencenumber":
            out.external_id = value
        elif name == "salary":
            found = parse.parse_description(value)
            if "paymentType" not in found.fields:
                continue
            out.merge(_only(found, "paymentType", *rules.RATE_KEY_FOR_PAYMENT.values()))
        elif name == "country":
            _set_checked(out, "countries", [_country_name(value) or value], path)
        elif name == "experience":
            level = parse.experience_level(value)
            if level is None:
                continue
            out.put("experienceLevel", level[0], sure=level[1])
        else:
            continue
        used.add(id(child))
    for child in job:
        if id(child) not in used:
            _unmapped(out, f"job/{_local(child.tag)}", "No matching draft field.", _text(child))
    _fill_from_description(out)
    return out


def _only(found: parse.Extraction, *keys: str) -> parse.Extraction:
    kept = parse.Extraction()
    for key in keys:
        if key in found.fields:
            kept.put(key, found.fields[key], sure=key not in found.low_confidence)
    return kept


_HOURLY_INTERVALS = {"hourly", "hour", "perhour"}


def import_hr_xml(text: str) -> parse.Extraction:
    root = parse_xml(text)
    out = parse.Extraction()
    used: set[int] = set()
    countries: list[str] = []
    for _, element in _walk(root):
        name = _local(element.tag)
        value = _text(element)
        if name == "PositionTitle" and value:
            _set_text(out, "jobTitle", value, "PositionTitle")
        elif name in ("FormattedPositionDescription", "PositionFormattedDescription") and value:
            _set_text(out, "jobDescription", value, name)
        elif name == "NumberToFill" and value.isdigit():
            _set_checked(out, "headcount", int(value), name)
        elif name == "IdValue" and value and out.external_id is None:
            out.external_id = value
        elif name == "CountryCode" and value:
            countries.append(_country_name(value) or value)
        elif name == "BasePay":
            if not _hr_pay(out, element):
                continue
        else:
            continue
        used.update(id(e) for e in element.iter())
    if countries:
        _set_checked(out, "countries", countries, "CountryCode")
    for path, element in _walk(root):
        if id(element) not in used and len(element) == 0 and _text(element):
            _unmapped(out, path, "No matching draft field.", _text(element))
    _fill_from_description(out)
    return out


def _hr_pay(out: parse.Extraction, base_pay: ET.Element) -> bool:
    interval = base_pay.get("baseInterval", "")
    amount = None
    for element in base_pay.iter():
        name = _local(element.tag)
        if name in ("BasePayAmountMin", "BasePayAmount") and amount is None:
            amount = _text(element)
        elif name in ("BasePayInterval", "Interval"):
            interval = _text(element)
    if amount is None or interval.replace(" ", "").lower() not in _HOURLY_INTERVALS:
        return False
    try:
        rate = float(amount.replace(",", ""))
    except ValueError:
        return False
    out.put("paymentType", "PAY_PER_HOUR")
    _set_checked(out, "pricePerHour", int(rate) if rate.is_integer() else rate, "BasePay")
    return True
