"""Imports: canonical JSON, schema.org JSON-LD, Indeed XML, HR-XML; XML safety."""

from __future__ import annotations

import pytest

from jobdraft.sandbox import imports

INDEED = """<?xml version="1.0" encoding="utf-8"?>
<source>
  <publisher>Acme ATS</publisher>
  <job>
    <title><![CDATA[Audio transcription (Spanish)]]></title>
    <date>2024-05-01</date>
    <referencenumber>REQ-981</referencenumber>
    <company>Acme</company>
    <country>US</country>
    <salary>$21 per hour</salary>
    <experience>Entry level</experience>
    <description><![CDATA[<p>Transcribe 120 hours of audio.</p>
<p>8 transcribers.</p>]]></description>
    <jobtype></jobtype>
  </job>
  <job><title>Second job</title></job>
</source>"""

HR_XML = """<?xml version="1.0"?>
<PositionOpening xmlns="http://ns.hr-xml.org/2007-04-15">
  <PositionRecordInfo><Id><IdValue>HR-77</IdValue></Id></PositionRecordInfo>
  <PositionProfile>
    <PositionDetail>
      <PositionTitle>Bounding box labeling</PositionTitle>
      <PhysicalLocation><Area><CountryCode>DE</CountryCode></Area></PhysicalLocation>
      <RemunerationPackage>
        <BasePay baseInterval="Hourly">
          <BasePayAmountMin currency="USD">19</BasePayAmountMin>
        </BasePay>
      </RemunerationPackage>
      <Industry>Automotive</Industry>
    </PositionDetail>
    <NumberToFill>6</NumberToFill>
    <FormattedPositionDescription>
      <Value>Draw bounding boxes on 40,000 images. German speakers.</Value>
    </FormattedPositionDescription>
  </PositionProfile>
</PositionOpening>"""


def test_indeed_xml_maps_what_it_can():
    found = imports.import_indeed_xml(INDEED)
    assert found.fields["jobTitle"] == "Audio transcription (Spanish)"
    assert found.fields["jobDescription"] == "Transcribe 120 hours of audio.\n\n8 transcribers."
    assert found.fields["paymentType"] == "PAY_PER_HOUR"
    assert found.fields["pricePerHour"] == 21
    assert found.fields["countries"] == ["United States"]
    assert found.fields["experienceLevel"] == "ENTRY_LEVEL"
    assert found.fields["headcount"] == 8
    assert found.fields["dataVolume"] == 120
    assert found.fields["labelTypes"] == ["TRANSCRIPTION"]
    assert found.external_id == "REQ-981"
    assert {u["path"] for u in found.unmapped} == {"job/date", "job/company"}
    assert found.warnings == ["The XML holds 2 jobs; only the first was imported."]


def test_hr_xml_maps_what_it_can():
    found = imports.import_hr_xml(HR_XML)
    assert found.fields["jobTitle"] == "Bounding box labeling"
    assert found.fields["headcount"] == 6
    assert found.fields["pricePerHour"] == 19
    assert found.fields["paymentType"] == "PAY_PER_HOUR"
    assert found.fields["countries"] == ["Germany"]
    assert found.fields["dataVolume"] == 40000
    assert found.fields["languages"] == ["German"]
    assert found.external_id == "HR-77"
    assert [u["path"] for u in found.unmapped] == [
        "PositionOpening/PositionProfile/PositionDetail/Industry"
    ]


@pytest.mark.parametrize(
    "xml",
    [
        '<!DOCTYPE x [<!ENTITY a "aaaa">]><job><title>&a;</title></job>',
        '<!doctype x SYSTEM "file:///etc/passwd"><job/>',
        '<job><!ENTITY a "b"></job>',
        "<?xml version='1.0'?>\n<!DOCTYPE source><source/>",
    ],
)
def test_entity_and_doctype_declarations_are_refused(xml):
    with pytest.raises(imports.ImportProblem, match="not allowed"):
        imports.import_indeed_xml(xml)


def test_an_undeclared_entity_is_a_parse_error_not_an_expansion():
    with pytest.raises(imports.ImportProblem, match="not well-formed"):
        imports.import_indeed_xml("<source><job><title>&lol;</title></job></source>")


def test_xml_without_a_job_is_refused():
    with pytest.raises(imports.ImportProblem, match="No <job>"):
        imports.import_indeed_xml("<source><publisher>x</publisher></source>")


def test_deep_xml_is_handled_without_recursion():
    deep = "<a>" * 5000 + "text" + "</a>" * 5000
    found = imports.import_hr_xml(deep)
    assert len(found.unmapped) == 1


def test_json_ld_maps_and_reports():
    found = imports.import_json_ld(
        {
            "@context": "https://schema.org",
            "@type": "JobPosting",
            "title": "Rate chatbot answers",
            "description": "Rate responses from a chatbot. Intermediate level. 2 raters.",
            "baseSalary": {"currency": "USD", "value": {"value": 60000, "unitText": "YEAR"}},
            "applicantLocationRequirements": [{"@type": "Country", "name": "India"}],
            "identifier": {"@type": "PropertyValue", "value": "LD-1"},
            "datePosted": "2024-01-01",
        }
    )
    assert found.fields["jobTitle"] == "Rate chatbot answers"
    assert found.fields["countries"] == ["India"]
    assert found.fields["experienceLevel"] == "INTERMEDIATE"
    assert found.fields["headcount"] == 2
    assert found.fields["labelTypes"] == ["RATING"]
    assert "paymentType" not in found.fields
    assert found.external_id == "LD-1"
    reasons = {u["path"]: u["reason"] for u in found.unmapped}
    assert set(reasons) == {"jsonLd.baseSalary", "jsonLd.datePosted"}
    assert "hourly" in reasons["jsonLd.baseSalary"]


def test_json_ld_of_another_type_warns_and_odd_values_are_reported():
    found = imports.import_json_ld(
        [{"@type": "Event", "title": 5, "totalJobOpenings": "many", "experienceRequirements": []}]
    )
    assert found.warnings == ["Expected @type JobPosting, got Event."]
    assert {u["path"] for u in found.unmapped} == {
        "jsonLd.title",
        "jsonLd.totalJobOpenings",
        "jsonLd.experienceRequirements",
    }


def test_canonical_import_refuses_a_non_object():
    with pytest.raises(imports.ImportProblem):
        imports.import_canonical(["jobTitle"])


def test_previews_are_short():
    assert len(imports.preview("x" * 500)) == 80
    assert imports.preview({"a": 1}) == '{"a": 1}'
