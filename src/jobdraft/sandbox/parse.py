"""Deterministic extraction of draft fields from a plain job description.

The real service uses a model; the sandbox uses a handful of regular
expressions so that the same text always gives the same draft (tests and
scripts can rely on it).  A guess that a careful reader could doubt is still
filled in, but its key is listed in ``low_confidence`` so that clients can
ask the user to confirm it.  Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jobdraft.sandbox import rules

JSON = Any


@dataclass
class Extraction:
    """What a parser or an importer made of its input."""

    fields: dict[str, JSON] = field(default_factory=dict)
    low_confidence: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unmapped: list[dict[str, JSON]] = field(default_factory=list)
    external_id: str | None = None

    def put(self, key: str, value: JSON, *, sure: bool = True) -> None:
        """Set a field unless it is already set; remember doubtful guesses."""
        if key in self.fields or value is None:
            return
        self.fields[key] = value
        if not sure and key not in self.low_confidence:
            self.low_confidence.append(key)

    def merge(self, other: Extraction) -> None:
        """Fill the gaps of this extraction from ``other`` (ours wins)."""
        for key, value in other.fields.items():
            self.put(key, value, sure=key not in other.low_confidence)
        self.warnings.extend(w for w in other.warnings if w not in self.warnings)


# --- numbers ----------------------------------------------------------------

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}


def _number(text: str, scale: str | None = None) -> float:
    value = float(text.replace(",", ""))
    if scale:
        value *= _SCALE[scale.lower()]
    return value


def _tidy(value: float) -> int | float:
    """18.0 -> 18: a whole amount reads better as an integer."""
    return int(value) if value.is_integer() else value


# --- headcount --------------------------------------------------------------

_PEOPLE = (
    r"annotators?|labell?ers?|(?:ai )?trainers?|workers?|freelancers?|people|persons?|"
    r"contributors?|raters?|transcribers?|translators?|reviewers?|experts?|linguists?|"
    r"speakers?|taggers?|evaluators?|specialists?|writers?|testers?"
)
# "10 annotators", "5 native Spanish speakers": at most two words between.
_HEADCOUNT = re.compile(rf"\b(\d{{1,5}})\s+(?:[A-Za-z-]+\s+){{0,2}}?(?:{_PEOPLE})\b", re.I)
# "a team of 10", "hire 10": plausible but loose.
_HEADCOUNT_LOOSE = re.compile(r"\b(?:team of|hiring|hire|need|looking for)\s+(\d{1,5})\b", re.I)


def _headcount(text: str, out: Extraction) -> None:
    match = _HEADCOUNT.search(text)
    if match and int(match.group(1)) >= 1:
        out.put("headcount", int(match.group(1)))
        return
    match = _HEADCOUNT_LOOSE.search(text)
    if match and int(match.group(1)) >= 1:
        out.put("headcount", int(match.group(1)), sure=False)


# --- pay ----------------------------------------------------------------------

_MONEY = rf"(?:\$|USD\s?|US\$)\s?({_NUM})(?:\s*(?:-|to)\s*\$?\s?({_NUM}))?(?:\s?(?:USD|dollars))?"
_PER = r"\s*(?:/|per|an?|each)\s*"
# The unit may also come first: "pay per label $0.04", "per hour: $20".
_UNIT_FIRST = r"\s*(?:of|:|is|at|rate)?\s*"
_ITEMS = (
    r"(?:label|annotation|image|item|task|file|clip|record|sample|"
    r"utterance|sentence|document|box|response|conversation|transcript)"
)
_HOURLY = re.compile(
    rf"{_MONEY}{_PER}(?:hour|hr|h)\b|{_MONEY}\s*hourly\b|\bper (?:hour|hr)\b{_UNIT_FIRST}{_MONEY}",
    re.I,
)
_PER_ITEM = re.compile(
    rf"{_MONEY}{_PER}{_ITEMS}s?\b|\bper {_ITEMS}\b{_UNIT_FIRST}{_MONEY}",
    re.I,
)
_FIXED = re.compile(
    rf"fixed[- ]?(?:price|fee|budget|rate)?\s*(?:of|:|is|at)?\s*{_MONEY}|"
    rf"{_MONEY}\s*(?:fixed|flat|in total|total|for the (?:whole|entire) (?:job|project))",
    re.I,
)


def _amount(match: re.Match[str]) -> tuple[float, bool]:
    """The amount of a money match, and whether it is sure (not a range)."""
    groups = list(match.groups())
    low = next(g for g in groups if g is not None)
    ranged = sum(g is not None for g in groups) > 1
    return _number(low), not ranged


def _pay(text: str, out: Extraction) -> None:
    found = []
    for pattern, kind in ((_HOURLY, "PAY_PER_HOUR"), (_PER_ITEM, "PAY_PER_LABEL"),
                          (_FIXED, "FIXED_PRICE")):  # fmt: skip
        match = pattern.search(text)
        if match:
            found.append((match.start(), kind, match))
    if not found:
        return
    found.sort(key=lambda item: item[0])
    _, kind, match = found[0]
    amount, sure = _amount(match)
    if len(found) > 1:
        sure = False
        out.warnings.append("The description mentions more than one kind of pay; used the first.")
    if not sure and len(found) == 1:
        out.warnings.append("The pay is a range; used its lower end.")
    out.put("paymentType", kind, sure=len(found) == 1)
    out.put(rules.RATE_KEY_FOR_PAYMENT[kind], _tidy(amount), sure=sure)


# --- languages and countries -------------------------------------------------

LANGUAGES = (
    "English", "Spanish", "French", "German", "Italian", "Portuguese", "Dutch", "Swedish",
    "Norwegian", "Danish", "Finnish", "Polish", "Czech", "Slovak", "Hungarian", "Romanian",
    "Bulgarian", "Greek", "Turkish", "Russian", "Ukrainian", "Arabic", "Hebrew", "Persian",
    "Hindi", "Bengali", "Urdu", "Punjabi", "Tamil", "Telugu", "Marathi", "Gujarati",
    "Chinese", "Mandarin", "Cantonese", "Japanese", "Korean", "Vietnamese", "Thai",
    "Indonesian", "Malay", "Tagalog", "Filipino", "Swahili", "Amharic", "Yoruba", "Hausa",
    "Zulu", "Afrikaans", "Catalan", "Basque", "Croatian", "Serbian", "Slovenian",
)  # fmt: skip

# Canonical name first, then the spellings that mean it.
COUNTRIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("United States", ("United States", "USA", "U.S.A.", "U.S.", "US")),
    ("United Kingdom", ("United Kingdom", "UK", "U.K.", "Great Britain", "Britain")),
    ("Canada", ("Canada",)), ("Mexico", ("Mexico",)), ("Brazil", ("Brazil",)),
    ("Argentina", ("Argentina",)), ("Colombia", ("Colombia",)), ("Chile", ("Chile",)),
    ("Peru", ("Peru",)), ("Spain", ("Spain",)), ("France", ("France",)),
    ("Germany", ("Germany",)), ("Italy", ("Italy",)), ("Portugal", ("Portugal",)),
    ("Netherlands", ("Netherlands", "Holland")), ("Belgium", ("Belgium",)),
    ("Switzerland", ("Switzerland",)), ("Austria", ("Austria",)), ("Poland", ("Poland",)),
    ("Sweden", ("Sweden",)), ("Norway", ("Norway",)), ("Denmark", ("Denmark",)),
    ("Finland", ("Finland",)), ("Ireland", ("Ireland",)), ("Greece", ("Greece",)),
    ("Turkey", ("Turkey", "Türkiye")), ("Ukraine", ("Ukraine",)), ("Romania", ("Romania",)),
    ("India", ("India",)), ("Pakistan", ("Pakistan",)), ("Bangladesh", ("Bangladesh",)),
    ("China", ("China",)), ("Japan", ("Japan",)), ("South Korea", ("South Korea", "Korea")),
    ("Vietnam", ("Vietnam",)), ("Thailand", ("Thailand",)), ("Indonesia", ("Indonesia",)),
    ("Philippines", ("Philippines",)), ("Malaysia", ("Malaysia",)),
    ("Singapore", ("Singapore",)), ("Australia", ("Australia",)),
    ("New Zealand", ("New Zealand",)), ("Nigeria", ("Nigeria",)), ("Kenya", ("Kenya",)),
    ("South Africa", ("South Africa",)), ("Egypt", ("Egypt",)), ("Morocco", ("Morocco",)),
    ("Israel", ("Israel",)), ("Saudi Arabia", ("Saudi Arabia",)),
    ("United Arab Emirates", ("United Arab Emirates", "UAE")),
)  # fmt: skip

# ISO 3166 alpha-2 codes, for structured imports only: in free text "IT" or
# "IN" are far more often words than countries.
ISO_CODES = {
    "US": "United States", "GB": "United Kingdom", "UK": "United Kingdom", "CA": "Canada",
    "MX": "Mexico", "BR": "Brazil", "AR": "Argentina", "CO": "Colombia", "CL": "Chile",
    "PE": "Peru", "ES": "Spain", "FR": "France", "DE": "Germany", "IT": "Italy",
    "PT": "Portugal", "NL": "Netherlands", "BE": "Belgium", "CH": "Switzerland",
    "AT": "Austria", "PL": "Poland", "SE": "Sweden", "NO": "Norway", "DK": "Denmark",
    "FI": "Finland", "IE": "Ireland", "GR": "Greece", "TR": "Turkey", "UA": "Ukraine",
    "RO": "Romania", "IN": "India", "PK": "Pakistan", "BD": "Bangladesh", "CN": "China",
    "JP": "Japan", "KR": "South Korea", "VN": "Vietnam", "TH": "Thailand", "ID": "Indonesia",
    "PH": "Philippines", "MY": "Malaysia", "SG": "Singapore", "AU": "Australia",
    "NZ": "New Zealand", "NG": "Nigeria", "KE": "Kenya", "ZA": "South Africa", "EG": "Egypt",
    "MA": "Morocco", "IL": "Israel", "SA": "Saudi Arabia", "AE": "United Arab Emirates",
}  # fmt: skip

_LANGUAGE_RE = re.compile(r"\b(" + "|".join(LANGUAGES) + r")\b")
_COUNTRY_ALIASES = {alias: name for name, aliases in COUNTRIES for alias in aliases}
# Longest spelling first so "South Korea" wins over "Korea"; case-sensitive
# so that the pronoun "us" is not the United States.
_COUNTRY_RE = re.compile(
    r"(?<![\w.])("
    + "|".join(re.escape(a) for a in sorted(_COUNTRY_ALIASES, key=len, reverse=True))
    + r")(?![\w])"
)


def _in_order(matches: list[str]) -> list[str]:
    seen: list[str] = []
    for item in matches:
        if item not in seen:
            seen.append(item)
    return seen


def country_names(text: str) -> list[str]:
    """Canonical country names mentioned in ``text``, in order of appearance."""
    return _in_order([_COUNTRY_ALIASES[m] for m in _COUNTRY_RE.findall(text)])


def _places(text: str, out: Extraction) -> None:
    languages = _in_order(_LANGUAGE_RE.findall(text))
    if languages:
        out.put("languages", languages)
    countries = country_names(text)
    # "US" alone, in capitals, is the only country hint: it might be a heading.
    if countries:
        out.put("countries", countries, sure=countries != ["United States"] or "US" not in text)


# --- data volume ----------------------------------------------------------------

_FILES = (
    r"images?|photos?|pictures?|files?|videos?|clips?|documents?|pdfs?|frames?|scans?|"
    r"recordings?|samples?|items?|records?|screenshots?|conversations?|dialogues?|"
    r"transcripts?|emails?|receipts?|invoices?|prompts?|responses?|utterances?"
)
_SCALED = rf"({_NUM})\s*(k|thousand|m|million)?"
_VOLUME_FILES = re.compile(rf"\b{_SCALED}\s+(?:[A-Za-z-]+\s+)?(?:{_FILES})\b", re.I)
_VOLUME_HOURS = re.compile(
    rf"\b{_SCALED}\s*(?:hours?|hrs?|h)\s+of\s+(?:[A-Za-z-]+\s+)?(?:audio|video|recordings?|"
    r"speech|footage|calls?|podcasts?)\b",
    re.I,
)
_VOLUME_WORDS = re.compile(rf"\b{_SCALED}\s+(?:words?|tokens?)\b", re.I)
# "300 hours" with no medium: probably recordings, but it could be work time.
_VOLUME_HOURS_LOOSE = re.compile(rf"\b{_SCALED}\s*(?:hours?|hrs?)\b(?!\s*(?:a|per|/)\s*week)", re.I)


def _volume(text: str, out: Extraction) -> None:
    candidates = []
    for pattern, unit in ((_VOLUME_HOURS, "HOURS_OF_RECORDING_AUDIO_VIDEO"),
                          (_VOLUME_FILES, "NUMBER_OF_FILES"),
                          (_VOLUME_WORDS, "NUMBER_OF_WORDS")):  # fmt: skip
        for match in pattern.finditer(text):
            if _is_money(text, match.start()):
                continue
            candidates.append((match.start(), unit, match))
            break
    sure = True
    if not candidates:
        loose = _VOLUME_HOURS_LOOSE.search(text)
        if loose is None or _is_money(text, loose.start()) or _is_rate(text, loose.end()):
            return
        candidates.append((loose.start(), "HOURS_OF_RECORDING_AUDIO_VIDEO", loose))
        sure = False
    candidates.sort(key=lambda item: item[0])
    _, unit, best = candidates[0]
    volume = round(_number(best.group(1), best.group(2)))
    if volume < 1:
        return
    if len(candidates) > 1:
        sure = False
    out.put("dataVolume", volume, sure=sure)
    out.put("dataVolumeUnit", unit, sure=sure)


def _is_money(text: str, start: int) -> bool:
    return text[max(0, start - 4) : start].rstrip().endswith(("$", "USD"))


def _is_rate(text: str, end: int) -> bool:
    return bool(re.match(r"\s*(?:a|per|/)\s*(?:week|day|month)", text[end:], re.I))


# --- label types and experience ------------------------------------------------

LABEL_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"bounding[- ]?box|bbox", "BOUNDING_BOX"),
    (r"polygon", "POLYGON"),
    (r"segment(?:ation|ing)|mask", "SEGMENTATION"),
    (r"key[- ]?points?|landmarks?|pose estimation", "KEYPOINT"),
    (r"classif|categor(?:y|ies|i[sz])|tag(?:ging)? (?:images|each)", "CLASSIFICATION"),
    (r"transcri(?:be|bing|ption)", "TRANSCRIPTION"),
    (r"translat", "TRANSLATION"),
    (r"named[- ]entit|\bNER\b|entity (?:tagging|recognition)", "NAMED_ENTITY_RECOGNITION"),
    (r"sentiment", "SENTIMENT"),
    (r"\brank(?:ing)?\b|preference (?:data|pairs|ranking)|\bRLHF\b|compare (?:two )?responses",
     "RANKING"),
    (r"\brat(?:e|ing)\b (?:the )?(?:quality|responses|answers)|score responses", "RATING"),
    (r"write (?:prompts|responses|answers)|prompt writing|text generation", "TEXT_GENERATION"),
)  # fmt: skip
_LABEL_RES = [(re.compile(p, re.I), value) for p, value in LABEL_KEYWORDS]

# (pattern, level, sure): explicit phrases are sure; a bare "experts" is a hint.
_EXPERIENCE: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(r"\bentry[- ]level\b|\bbeginners? (?:are )?welcome\b|\bno experience\b", re.I),
     "ENTRY_LEVEL", True),
    (re.compile(r"\bintermediate\b", re.I), "INTERMEDIATE", True),
    (re.compile(r"\bany (?:level of )?experience(?: level)?\b|\ball (?:experience )?levels\b",
                re.I), "ANY_EXPERIENCE_LEVEL", True),
    (re.compile(r"\bexpert[- ]level\b|\bsenior\b|\bPhDs?\b", re.I), "EXPERT", True),
    (re.compile(r"\bexperts?\b|\bexperienced\b", re.I), "EXPERT", False),
)  # fmt: skip


def _labels(text: str, out: Extraction) -> None:
    found = sorted(
        (match.start(), value) for pattern, value in _LABEL_RES if (match := pattern.search(text))
    )
    if found:
        out.put("labelTypes", [value for _, value in found])


def experience_level(text: str) -> tuple[str, bool] | None:
    """The experience level ``text`` asks for, and whether that is sure."""
    for pattern, level, sure in _EXPERIENCE:
        if pattern.search(text):
            return level, sure
    return None


def _experience(text: str, out: Extraction) -> None:
    found = experience_level(text)
    if found is not None:
        out.put("experienceLevel", found[0], sure=found[1])


# --- title ------------------------------------------------------------------

_TITLE_PREFIX = re.compile(r"^\s*(?:#+\s*|(?:job\s+)?title\s*:\s*)", re.I)
_MAX_TITLE = 80


def _title(text: str, out: Extraction) -> None:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return
    first = _TITLE_PREFIX.sub("", lines[0]).strip()
    labelled = first != lines[0]
    if first and (labelled or len(lines) > 1) and len(first) <= _MAX_TITLE:
        # A short first line above more text reads as a heading.
        out.put("jobTitle", first.rstrip(".:"))
        return
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0].rstrip(".!?")
    if len(sentence) > _MAX_TITLE:
        sentence = sentence[:_MAX_TITLE].rsplit(" ", 1)[0].rstrip(",;:-") + "..."
    if sentence:
        out.put("jobTitle", sentence, sure=False)


# --- the parser -------------------------------------------------------------------


def parse_description(text: str) -> Extraction:
    """Fields found in a plain job description; the text itself becomes
    ``jobDescription``."""
    out = Extraction()
    _title(text, out)
    description = text.strip()
    if description:
        out.put("jobDescription", description[: rules.MAX_DESCRIPTION_CHARS])
    _pay(text, out)
    _headcount(text, out)
    _experience(text, out)
    _places(text, out)
    _labels(text, out)
    _volume(text, out)
    return out
