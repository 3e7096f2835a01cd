"""Valid answers for whatever a draft says is missing, chosen by the field's own type.

Tests use this to drive a draft to ready without hard-coding the sandbox's
rule set: the server says what it needs and these pick an acceptable value.
"""

from __future__ import annotations

import json
from typing import Any

from jobdraft.fields import spec_for

LONG_TEXT = (
    "We need careful annotators to transcribe and label short customer-support audio clips. "
    "You will follow a written guide, flag unclear audio, and keep a steady pace with high "
    "accuracy. Training is provided and a reviewer checks a sample of every batch."
)


def value_for(item: dict[str, Any], enums: dict[str, list[str]] | None = None) -> Any:
    key = item.get("field")
    enum = item.get("enumValues") or (enums or {}).get(str(key)) or []
    kind = item.get("type") or ("enum" if enum else None)
    example = item.get("example")
    if kind == "enum" and enum:
        return example if example in enum else enum[0]
    if kind == "array":
        return [enum[0]] if enum else ["English"]
    if kind == "integer":
        return 10
    if kind == "number":
        return 25
    if kind == "boolean":
        return True
    if kind == "text" or key in ("jobDescription", "labelingOverview"):
        return LONG_TEXT
    return example if isinstance(example, str) and example else "Audio transcription"


def assignments_for(answer: dict[str, Any], enums: dict[str, list[str]] | None = None) -> list[str]:
    """``--set key:=json`` for every missing field and every field a blocking issue names."""
    items = {m["field"]: m for m in answer.get("missingFields") or [] if isinstance(m, dict)}
    # The small (minimal) answers only name the fields: type them as the docs do.
    for entry in (answer.get("validation") or {}).get("missingFields") or []:
        name = entry if isinstance(entry, str) else entry.get("field")
        if name and name not in items:
            spec = spec_for(name)
            items[name] = {
                "field": name,
                "type": spec.type,
                "enumValues": list(spec.enum_values or []),
            }
    for issue in (answer.get("validation") or {}).get("issues") or []:
        field = issue.get("field")
        if field and field not in items:
            items[field] = {"field": field, "type": "number" if "price" in field else "text"}
    out = []
    for item in items.values():
        for key in item.get("updateKeys") or [item["field"]]:
            out += ["--set", f"{key}:={json.dumps(value_for(dict(item, field=key), enums))}"]
    return out
