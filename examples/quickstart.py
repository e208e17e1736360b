"""A first tour of cio_framework: load, summarise, check, change, save.

Run it from a checkout (with the package installed) and without arguments::

    python examples/quickstart.py

It loads the built-in Pudong 2016 scenario, prints its governance figures and
the governance checks, builds a variant in Python (the Environmental
Protection Bureau's CIO post falls vacant and a regular meeting is attended by
proxy), prints what the checks now find, and writes the variant to YAML and
reads it back to show that nothing is lost on the way.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import attrs

import cio_framework
from cio_framework.model import Meeting, Scenario


def print_summary(scenario: Scenario) -> None:
    """Print the key governance figures of ``scenario``."""
    summary = cio_framework.summarize(scenario)
    print(f"{summary.name}")
    print(f"  jurisdiction: {summary.jurisdiction}")
    for level in summary.levels:
        print(f"  level {level.id:<10} {len(level.roles):>2} roles, {len(level.bodies)} bodies")
    print(
        f"  departments: {summary.departments} (pilot: {summary.pilot_departments}, "
        f"pilots with a departmental CIO: {summary.pilots_with_cio})"
    )
    print(
        f"  roles: {summary.roles} (vacant: {summary.vacant_roles}), "
        f"CIO posts: {summary.cio_posts}, held concurrently: {summary.concurrent_share:.0%}"
    )
    print(
        f"  reporting depth: {summary.reporting_depth}, "
        f"widest span of control: {summary.max_span_of_control}"
    )
    print(
        f"  responsibilities: {summary.responsibilities} "
        f"(exactly one Accountable: {summary.single_accountable})"
    )
    print(f"  meetings: {summary.meetings} (with proxies: {summary.meetings_with_proxies})")
    print(
        f"  weight on business ability: {summary.business_weight_share:.0%}, "
        f"on technical background: {summary.technical_weight_share:.0%}"
    )


def print_checks(report: cio_framework.CheckReport) -> None:
    """Print the outcome of a run of the governance checks."""
    counts = report.counts()
    print(
        f"{len(report.checks_run)} checks run: {counts['error']} errors, "
        f"{counts['warning']} warnings, {counts['info']} notes"
    )
    for finding in report.findings:
        print(f"  {finding.severity.value}: {finding.message} [{finding.check}]")


def make_variant(scenario: Scenario) -> Scenario:
    """The scenario with the EPB CIO post vacant and a fourth meeting held by proxy."""
    epb_cio = scenario.get("epb-cio")
    roles = tuple(
        attrs.evolve(role, holder=None, note="Illustrative: the post has fallen vacant.")
        if role is epb_cio
        else role
        for role in scenario.roles
    )
    regular = scenario.get("regular-meeting")
    proxy_meeting = Meeting(
        id="regular-meeting-4",
        body=regular.id,
        date=dt.date(2017, 1, 16),
        convened_by=regular.chair,
        attendees=tuple(m for m in regular.members if m not in ("epb-cio", "msb-cio")),
        proxies=("msb-cio",),
        issues=("Sharing market supervision data for joint credit punishment",),
        illustrative=True,
        note="Invented for this example.",
    )
    return attrs.evolve(
        scenario,
        name="Pudong CIO pilot, illustrative variant",
        as_of=dt.date(2017, 1, 31),
        roles=roles,
        meetings=(*scenario.meetings, proxy_meeting),
    )


def main() -> int:
    scenario = cio_framework.builtin("pudong-2016")
    print_summary(scenario)
    print()
    print_checks(cio_framework.check(scenario))

    print()
    print("Variant: the EPB CIO post falls vacant; MSB's CIO sends a proxy.")
    variant = make_variant(scenario)
    print_checks(cio_framework.check(variant))

    print()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "variant.yaml"
        cio_framework.dump(variant, path)
        again = cio_framework.load(path)
        lines = path.read_text(encoding="utf-8").count("\n")
    same = again == variant
    print(
        f"Wrote the variant as {lines} lines of YAML and read it back: "
        f"{'equal' if same else 'NOT equal'} to the original."
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
