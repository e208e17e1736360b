"""Synthetic scenarios for benchmarks and stress tests.

:func:`synth_text` writes a valid, realistic scenario of any size straight
to YAML or JSON text (building it as model values first would cost more than
loading it), in one of four shapes of landscape (:data:`SHAPES`: synth's,
many small departments, one dominant island, demand-heavy). The same
arguments always give the same text, and the text passes ``cio-framework
validate``: every pilot department has a departmental CIO held by a deputy
leader and an appraisal that includes CIO work.

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

__all__ = ["DOMINANT_SHARE", "MAX_EXCHANGES", "MAX_SYSTEMS", "SHAPES", "synth_text"]


def _weights(rng: random.Random, count: int, shape: float) -> list[float]:
    """Heavy-tailed weights (Pareto), for uneven department sizes and degrees."""
    return [rng.paretovariate(shape) for _ in range(count)]


#: The shapes of landscape :func:`synth_text` writes (see its docstring).
SHAPES: tuple[str, ...] = ("synth", "small-departments", "dominant-island", "demand-heavy")

#: Share of the systems in the dominant island of ``dominant-island``.
DOMINANT_SHARE = 0.9

#: The most systems, and exchanges in all, :func:`synth_text` writes: twice
#: the largest landscape the benchmarks ask for (issue 15's stretch target,
#: 1,000,000 systems and 10,000,000 exchanges). The text is built in memory,
#: about 65 bytes an exchange in JSON, so a mistyped size is refused at once
#: rather than filling the machine's memory.
MAX_SYSTEMS = 2_000_000
#: The most exchanges in all :func:`synth_text` writes (see :data:`MAX_SYSTEMS`).
MAX_EXCHANGES = 20_000_000


def _small_department_sizes(rng: random.Random, systems: int) -> list[int]:
    """Department sizes of 2 to 5 systems adding up to ``systems`` (the last
    one takes what is left: 1 when ``systems`` is 1, at most 6 otherwise)."""
    sizes: list[int] = []
    left = systems
    while left > 0:
        size = rng.randint(2, 5)
        if left - size < 2:
            size = left
        sizes.append(size)
        left -= size
    return sizes


def _exchanges(
    rng: random.Random,
    ids: list[str],
    platforms: list[str],
    members: list[int],
    isolated: set[int],
    count: int,
    first: int,
    *,
    to_platform: float,
    via: float,
) -> Iterator[tuple[str, dict[str, object]]]:
    """``count`` exchanges among ``members`` (system indexes) by preferential
    attachment on heavy-tailed degree weights, ``isolated`` members left
    out, numbered from ``first``: a share ``to_platform`` goes to a
    platform, the next ones up to ``via`` run through one, the others are
    point to point; 3% are planned."""
    degree = _weights(rng, len(members), 1.5)
    for k, m in enumerate(members):
        if m in isolated:
            degree[k] = 0.0
    starts = rng.choices(members, weights=degree, k=count)
    ends = rng.choices(members, weights=degree, k=count)
    for i in range(count):
        a, b = starts[i], ends[i]
        record: dict[str, object] = {"id": f"e{first + i}", "from": ids[a]}
        roll = rng.random()
        if roll < to_platform:
            record["to"] = rng.choice(platforms)
        else:
            record["to"] = ids[b]
            if roll < via:
                record["via"] = rng.choice(platforms)
        if roll > 0.97:
            record["status"] = "planned"
        yield "exchange", record


def _island(
    rng: random.Random, ids: list[str], members: list[int], count: int
) -> Iterator[tuple[str, dict[str, object]]]:
    """``count`` live point-to-point exchanges that connect ``members`` into
    one group: a random recursive tree (each member after the first
    exchanges with an earlier one), then preferential attachment."""
    tree = min(count, len(members) - 1)
    for k in range(tree):
        a, b = members[k + 1], members[rng.randrange(k + 1)]
        yield "exchange", {"id": f"e{k}", "from": ids[a], "to": ids[b]}
    if count > tree:
        degree = _weights(rng, len(members), 1.5)
        starts = rng.choices(members, weights=degree, k=count - tree)
        ends = rng.choices(members, weights=degree, k=count - tree)
        for k in range(count - tree):
            a, b = starts[k], ends[k]
            record: dict[str, object] = {"id": f"e{tree + k}", "from": ids[a], "to": ids[b]}
            yield "exchange", record


def _records(
    systems: int, seed: int, exchanges_per_system: int, shape: str = "synth"
) -> Iterator[tuple[str, dict[str, object]]]:
    # synth's random draws come in the order they always did (its text for a
    # seed must not change); the other shapes branch off around them
    rng = random.Random(seed)
    sizes: list[int] = []
    if shape == "small-departments":
        sizes = _small_department_sizes(rng, systems)
        n_departments = max(5, len(sizes))
        n_platforms = max(1, systems // 5000)
    else:
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
    # systems: departments of uneven size (or, for small-departments, of 2 to 5)
    if shape == "small-departments":
        owners = [departments[j] for j, size in enumerate(sizes) for _ in range(size)]
    else:
        size_weights = _weights(rng, n_departments, 1.2)
        owners = rng.choices(departments, weights=size_weights, k=systems)
    ids = [f"s{i}" for i in range(systems)]
    # dominant-island: a random share of the systems forms one group that
    # reaches no platform; the others are landscaped as synth's
    core = [False] * systems
    if shape == "dominant-island":
        for i in rng.sample(range(systems), k=round(systems * DOMINANT_SHARE)):
            core[i] = True
    rest = [i for i in range(systems) if not core[i]]
    isolated = set(rng.sample(rest, k=len(rest) // 30))
    yield "systems", {}
    for i, system in enumerate(ids):
        record: dict[str, object] = {"id": system, "name": f"System {i}", "department": owners[i]}
        if not core[i]:  # the island's systems are all in use and hosted locally
            roll = rng.random()
            if roll < 0.3:
                record["hosted_on"] = rng.choice(platforms)
            if roll > 0.95:
                record["status"] = "planned" if roll > 0.975 else "retired"
        yield "system", record
    # resources, held in systems
    n_resources = systems if shape == "demand-heavy" else max(1, systems // 2)
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
    yield "exchanges", {}
    if shape == "dominant-island":
        members = [i for i in range(systems) if core[i]]
        yield from _island(rng, ids, members, len(members) * exchanges_per_system)
        first = len(members) * exchanges_per_system
    else:
        first = 0
    split = (0.05, 0.15) if shape == "small-departments" else (0.2, 0.6)
    if rest:
        yield from _exchanges(
            rng,
            ids,
            platforms,
            rest,
            isolated,
            len(rest) * exchanges_per_system,
            first,
            to_platform=split[0],
            via=split[1],
        )
    # demands and matters
    yield "demands", {}
    n_demands = 3 * systems if shape == "demand-heavy" else max(1, systems // 10)
    for _ in range(n_demands):
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
    n_matters = max(1, systems // 10 if shape == "demand-heavy" else systems // 100)
    for i in range(n_matters):
        approver, supervisor = rng.sample(departments, 2)
        record = {
            "id": f"m{i}",
            "name": f"Matter {i}",
            "approved_by": approver,
            "supervised_by": supervisor,
            "illustrative": True,
        }
        if shape == "demand-heavy":
            # approvals cancelled or turned into filings, registered or not,
            # and supervision data to reach: fault zones to find
            roll = rng.random()
            if roll < 0.5:
                record["approval"] = "cancelled" if roll < 0.25 else "filing"
                if rng.random() < 0.5:
                    record["registered_by"] = rng.choice(departments)
            needed = rng.randrange(4)
            if needed:
                record["supervision_data"] = sorted(
                    {f"r{rng.randrange(n_resources)}" for _ in range(needed)}
                )
        yield "matter", record


_SYNTHETIC = (
    "Every element of this scenario is invented by cio-framework synth for benchmarks and "
    "stress tests; none describes a real government"
)


def _yaml_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(_yaml_scalar, value)) + "]"
    return str(value)  # plain-safe in a flow mapping: letters, digits, spaces, no commas


def synth_text(
    systems: int,
    *,
    seed: int = 0,
    format: str = "yaml",
    exchanges_per_system: int = 10,
    shape: str = "synth",
) -> str:
    """A synthetic scenario as YAML or JSON text.

    Every shape has ``systems`` systems and ``exchanges_per_system`` times as
    many exchanges, drawn by preferential attachment on heavy-tailed degree
    weights (3% of them planned), a government cloud ``gov-cloud`` as the
    hub, and the governance that ``cio-framework validate`` asks for (a
    departmental CIO and an appraisal for every third department). The
    shapes (:data:`SHAPES`):

    ``"synth"``
        Departments of uneven size (about 50 systems on average), one
        platform per 2,000 systems; about 30% of systems run on a platform,
        5% are planned or retired, 3% exchange with nothing; of the
        exchanges, 20% go to a platform, 40% run through one and 40% are
        point to point; one resource per two systems, one demand per ten,
        one approval matter per hundred.
    ``"small-departments"``
        Many departments of 2 to 5 systems each (3.5 on average), one
        platform per 5,000 systems; 85% of the exchanges are point to point
        (5% go to a platform, 10% run through one); the rest as synth.
    ``"dominant-island"``
        90% of the systems (:data:`DOMINANT_SHARE`), drawn at random across
        the departments, form one connected group that reaches no platform:
        all in use, hosted locally, joined by live point-to-point exchanges
        among themselves only (a random tree that connects them, then
        preferential attachment). The other 10% are landscaped as synth,
        among themselves.
    ``"demand-heavy"``
        As synth, with one resource per system, three demands per system
        and one matter per ten systems (five per department); half the
        matters' approvals are cancelled or turned into filings, half of
        those registered with some department, and most matters list 1 to
        3 resources as supervision data: much for barriers, fault zones and
        priorities to do.

    Parameters
    ----------
    systems
        Number of systems.
    seed
        Random seed: the same seed (and other arguments) gives the same text.
    format
        ``"yaml"`` or ``"json"``.
    exchanges_per_system
        Exchanges per system on average.
    shape
        The shape of the landscape, one of :data:`SHAPES`; ``"synth"``'s
        text for a seed is what it was before there were shapes.

    Returns
    -------
    str
        The scenario's text, which loads without problems and passes
        ``cio-framework validate``.

    Raises
    ------
    ValueError
        For fewer than 1 system or more than :data:`MAX_SYSTEMS`, a negative
        ``exchanges_per_system`` or more than :data:`MAX_EXCHANGES` exchanges
        in all, or an unknown format or shape.

    Notes
    -----
    O(n log n) in the number of exchanges n: weighted draws bisect
    cumulative weights; everything else is linear.

    Examples
    --------
    >>> import cio_framework
    >>> text = synth_text(200, seed=1)
    >>> text == synth_text(200, seed=1)
    True
    >>> s = cio_framework.loads(text)
    >>> len(s.systems), len(s.exchanges)
    (200, 2000)
    >>> heavy = cio_framework.loads(synth_text(200, seed=1, shape="demand-heavy"))
    >>> len(heavy.systems), len(heavy.exchanges), len(heavy.resources), len(heavy.demands)
    (200, 2000, 200, 600)
    >>> island = cio_framework.loads(synth_text(200, seed=1, shape="dominant-island"))
    >>> biggest = cio_framework.islands(island).groups[0]
    >>> len(biggest.systems), biggest.connected_to_platform
    (180, False)
    """
    if not 1 <= systems <= MAX_SYSTEMS:
        raise ValueError(f"systems must be from 1 to {MAX_SYSTEMS:,}, not {systems:,}")
    if exchanges_per_system < 0:
        raise ValueError(f"exchanges per system must be 0 or more, not {exchanges_per_system:,}")
    if systems * exchanges_per_system > MAX_EXCHANGES:
        raise ValueError(
            f"{systems:,} system{'s' if systems != 1 else ''} with "
            f"{exchanges_per_system:,} exchanges each make more "
            f"than {MAX_EXCHANGES:,} exchanges: ask for fewer"
        )
    if format not in ("yaml", "json"):
        raise ValueError(f"unknown format {format!r}; choose yaml or json")
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; choose {', '.join(SHAPES)}")
    named = f"Synthetic scenario of {systems} systems (seed {seed})"
    invented = f"Invented by cio-framework synth (seed {seed})"
    if shape != "synth":
        named = f"Synthetic scenario of {systems} systems, shape {shape} (seed {seed})"
        invented = f"Invented by cio-framework synth (shape {shape}, seed {seed})"
    header = {
        "cio_framework": FORMAT_VERSION,
        "name": named,
        "description": "Generated by cio-framework synth for benchmarks; not a real government.",
        "source": invented,
        "priorities": {"hub": "gov-cloud"},
        "notes": [{"id": "synthetic", "text": _SYNTHETIC, "illustrative": True}],
    }
    if format == "json":
        data: dict[str, object] = dict(header)
        current: list[object] = []
        for kind, record in _records(systems, seed, exchanges_per_system, shape):
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
    for kind, record in _records(systems, seed, exchanges_per_system, shape):
        if not record:
            lines.append(f"{kind}:")
            continue
        body = ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in record.items())
        lines.append(f"  - {{{body}}}")
    return "\n".join(lines) + "\n"
