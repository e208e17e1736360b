"""Synthetic scenarios for benchmarks and stress tests.

:func:`synth_text` writes a valid, realistic scenario of any size straight
to YAML or JSON text (building it as model values first would cost more than
loading it). The same arguments always give the same text, and the text
passes ``cio-framework validate``: every pilot department has a departmental
CIO held by a deputy leader and an appraisal that includes CIO work.

Everything in it is invented. The scenario says so in its ``source`` and in
an illustrative note; its governance elements (departments, platforms,
people, roles, appraisals) and its matters are each marked
``illustrative: true``. The bulk of the landscape (systems, resources,
exchanges, demands) is covered by the scenario-level note only, so that the
benchmark's workload stays the landscape itself.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

from .model import FORMAT_VERSION

__all__ = ["synth_text"]


def _weights(rng: random.Random, count: int, shape: float) -> list[float]:
    """Heavy-tailed weights (Pareto), for uneven department sizes and degrees."""
    return [rng.paretovariate(shape) for _ in range(count)]


def _records(
    systems: int, seed: int, exchanges_per_system: int
) -> Iterator[tuple[str, dict[str, object]]]:
    rng = random.Random(seed)
    n_departments = max(5, systems // 50)
    n_platforms = max(1, systems // 2000)
    departments = [f"d{i}" for i in range(n_departments)]
    platforms = ["gov-cloud", *(f"p{i}" for i in range(1, n_platforms))]
    yield "departments", {}
    for i, d in enumerate(departments):
        yield (
            "department",
            {"id": d, "name": f"Department {i}", "pilot": i % 3 == 0, "illustrative": True},
        )
    # governance: a district CIO, and for every pilot department a departmental
    # CIO held concurrently by a deputy leader, reporting to the district CIO,
    # with CIO work in the department's appraisal (what validate asks for)
    pilots = [(i, d) for i, d in enumerate(departments) if i % 3 == 0]
    yield "people", {}
    yield (
        "person",
        {"id": "district-head", "position": "Deputy district head", "illustrative": True},
    )
    for i, d in pilots:
        yield (
            "person",
            {
                "id": f"deputy-{d}",
                "position": f"Deputy leader in charge of informatization of Department {i}",
                "illustrative": True,
            },
        )
    yield "roles", {}
    yield (
        "role",
        {
            "id": "district-cio",
            "title": "District-level CIO",
            "kind": "district_cio",
            "level": "strategic",
            "holder": "district-head",
            "concurrent_rank": "deputy",
            "illustrative": True,
        },
    )
    for i, d in pilots:
        yield (
            "role",
            {
                "id": f"cio-{d}",
                "title": f"Departmental CIO of Department {i}",
                "kind": "departmental_cio",
                "level": "support",
                "department": d,
                "holder": f"deputy-{d}",
                "concurrent_rank": "deputy",
                "reports_to": "district-cio",
                "illustrative": True,
            },
        )
    yield "appraisals", {}
    for _, d in pilots:
        yield "appraisal", {"department": d, "includes_cio_work": True, "illustrative": True}
    yield "platforms", {}
    for i, p in enumerate(platforms):
        yield (
            "platform",
            {
                "id": p,
                "name": f"Platform {i}",
                "operator": departments[i % n_departments],
                "illustrative": True,
            },
        )
    # systems: departments of uneven size
    size_weights = _weights(rng, n_departments, 1.2)
    owners = rng.choices(departments, weights=size_weights, k=systems)
    ids = [f"s{i}" for i in range(systems)]
    isolated = set(rng.sample(range(systems), k=systems // 30))
    yield "systems", {}
    for i, system in enumerate(ids):
        record: dict[str, object] = {"id": system, "name": f"System {i}", "department": owners[i]}
        roll = rng.random()
        if roll < 0.3:
            record["hosted_on"] = rng.choice(platforms)
        if roll > 0.95:
            record["status"] = "planned" if roll > 0.975 else "retired"
        yield "system", record
    # resources, held in systems
    n_resources = max(1, systems // 2)
    holders = rng.sample(range(systems), k=min(n_resources, systems))
    yield "resources", {}
    categories = ["departmental"] * 6 + ["thematic"] * 3 + ["base"]
    for i, h in enumerate(holders):
        record = {
            "id": f"r{i}",
            "name": f"Resource {i}",
            "owner": owners[h],
            "held_in": ids[h],
            "category": rng.choice(categories),
        }
        share = rng.random()
        if share > 0.7:
            record["share"] = "conditional" if share < 0.9 else "none"
            record["legal_basis"] = f"Rule {i}"
        if rng.random() < 0.1:
            record["catalogued"] = False
        yield "resource", record
    # exchanges: preferential attachment by heavy-tailed degree weights
    degree = _weights(rng, systems, 1.5)
    for i in isolated:
        degree[i] = 0.0
    n_exchanges = systems * exchanges_per_system
    starts = rng.choices(range(systems), weights=degree, k=n_exchanges)
    ends = rng.choices(range(systems), weights=degree, k=n_exchanges)
    yield "exchanges", {}
    for i in range(n_exchanges):
        a, b = starts[i], ends[i]
        record = {"id": f"e{i}", "from": ids[a]}
        roll = rng.random()
        if roll < 0.2:
            record["to"] = rng.choice(platforms)
        else:
            record["to"] = ids[b]
            if roll < 0.6:
                record["via"] = rng.choice(platforms)
        if roll > 0.97:
            record["status"] = "planned"
        yield "exchange", record
    # demands and matters
    yield "demands", {}
    for _ in range(max(1, systems // 10)):
        r = rng.randrange(n_resources)
        yield (
            "demand",
            {
                "by": rng.choice(departments),
                "resource": f"r{r}",
                "weight": rng.choice([1, 1, 2, 3]),
            },
        )
    yield "matters", {}
    for i in range(max(1, systems // 100)):
        approver, supervisor = rng.sample(departments, 2)
        yield (
            "matter",
            {
                "id": f"m{i}",
                "name": f"Matter {i}",
                "approved_by": approver,
                "supervised_by": supervisor,
                "illustrative": True,
            },
        )


_SYNTHETIC = (
    "Every element of this scenario is invented by cio-framework synth for benchmarks and "
    "stress tests; none describes a real government"
)


def _yaml_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return str(value)  # plain-safe in a flow mapping: letters, digits, spaces, no commas


def synth_text(
    systems: int, *, seed: int = 0, format: str = "yaml", exchanges_per_system: int = 10
) -> str:
    """A synthetic scenario as YAML or JSON text.

    Departments have uneven sizes; about 30% of systems run on a platform;
    exchange degrees are heavy-tailed (preferential attachment); about 3%
    of systems exchange with nothing; 40% of system-to-system exchanges are
    point to point; there are resources, demands and approval matters.

    Parameters
    ----------
    systems
        Number of systems.
    seed
        Random seed: the same seed gives the same text.
    format
        ``"yaml"`` or ``"json"``.
    exchanges_per_system
        Exchanges per system on average.

    Examples
    --------
    >>> import cio_framework
    >>> text = synth_text(200, seed=1)
    >>> text == synth_text(200, seed=1)
    True
    >>> s = cio_framework.loads(text)
    >>> len(s.systems), len(s.exchanges)
    (200, 2000)
    """
    if systems < 1:
        raise ValueError("systems must be 1 or more")
    if format not in ("yaml", "json"):
        raise ValueError(f"unknown format {format!r}; choose yaml or json")
    header = {
        "cio_framework": FORMAT_VERSION,
        "name": f"Synthetic scenario of {systems} systems (seed {seed})",
        "description": "Generated by cio-framework synth for benchmarks; not a real government.",
        "source": f"Invented by cio-framework synth (seed {seed})",
        "priorities": {"hub": "gov-cloud"},
        "notes": [{"id": "synthetic", "text": _SYNTHETIC, "illustrative": True}],
    }
    if format == "json":
        data: dict[str, object] = dict(header)
        current: list[object] = []
        for kind, record in _records(systems, seed, exchanges_per_system):
            if not record:
                current = []
                data[kind] = current
            else:
                current.append(record)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    lines = [
        f"cio_framework: {FORMAT_VERSION}",
        f"name: {header['name']}",
        f"description: {header['description']}",
        f"source: {header['source']}",
        "priorities: {hub: gov-cloud}",
        "notes:",
        f"  - {{id: synthetic, text: {_SYNTHETIC}, illustrative: true}}",
    ]
    for kind, record in _records(systems, seed, exchanges_per_system):
        if not record:
            lines.append(f"{kind}:")
            continue
        body = ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in record.items())
        lines.append(f"  - {{{body}}}")
    return "\n".join(lines) + "\n"
