"""Small hand-built scenarios shared by tests that work results out by hand."""

from __future__ import annotations

from cio_framework.model import (
    Body,
    BodyKind,
    Department,
    Exchange,
    Platform,
    Role,
    RoleKind,
    System,
)
from cio_framework.testing import make_scenario


def departmental_cios(departments):
    """A departmental CIO ``X-cio`` for each department id ``X``."""
    return [
        Role(
            id=f"{d}-cio",
            title="CIO",
            kind=RoleKind.DEPARTMENTAL_CIO,
            level="support",
            department=d,
            holder="lead",
        )
        for d in departments
    ]


def three_departments(**changes):
    """Departments a, b, c (named A, B, C), each with a departmental CIO
    ``X-cio``; a CIO Committee; the platform ``hub`` (operated by a) holding
    a1; b1 and c1 are islands of one system. ``changes`` replace whole
    collections."""
    base = {
        "departments": [Department(id=d, name=d.upper()) for d in "abc"],
        "roles": departmental_cios("abc"),
        "bodies": [
            Body(id="committee", name="CIO Committee", kind=BodyKind.CIO_COMMITTEE, chair="a-cio")
        ],
        "responsibilities": [],
        "appraisals": [],
        "platforms": [Platform(id="hub", name="Hub", operator="a")],
        "systems": [
            System(id="a1", name="A1", department="a"),
            System(id="b1", name="B1", department="b"),
            System(id="c1", name="C1", department="c"),
        ],
        "exchanges": [Exchange(from_="a1", to="hub")],
    }
    base.update(changes)
    return make_scenario(**base)
