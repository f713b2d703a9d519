"""JUnit XML for CI: a test suite per section, a test case per finding, failures for gaps."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from checks.audit.findings import Audit, Outcome
from checks.reports.common import ACTION_LIMIT, clean, waiver_text


class JunitWriter:
    def render(self, audit: Audit) -> str:
        root = ET.Element("testsuites", name="datis-audit", tests=str(len(audit.findings)),
                          failures=str(len(audit.failures)))
        stamp = audit.date.isoformat(timespec="seconds")
        for section in audit.sections:
            findings = audit.in_section(section.id)
            if not findings:
                continue
            suite = ET.SubElement(root, "testsuite", name=section.title,
                                  tests=str(len(findings)),
                                  failures=str(sum(f.failed for f in findings)),
                                  timestamp=stamp)
            for finding in findings:
                case = ET.SubElement(suite, "testcase", classname=f"datis.{section.id}",
                                     name=clean(finding.label))
                details = (f"Attendu : {clean(finding.expected)}\n"
                           f"Observé : {clean(finding.observed)}\n"
                           f"Action : {clean(finding.action, ACTION_LIMIT)}")
                if finding.outcome is Outcome.FAILED:
                    failure = ET.SubElement(case, "failure", message=clean(finding.message),
                                            type=finding.severity.value)
                    failure.text = details
                elif finding.outcome is Outcome.WAIVED:
                    ET.SubElement(case, "skipped", message=waiver_text(finding))
                else:
                    ET.SubElement(case, "system-out").text = clean(finding.message)
        ET.indent(root)
        return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
