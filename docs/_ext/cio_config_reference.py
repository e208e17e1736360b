"""Sphinx extension: the configuration reference, generated from the model.

The directive ``.. cio-config-reference::`` writes, when the documentation is
built, one table per kind of mapping in a scenario file: the top-level keys
(:class:`~cio_framework.model.Scenario`), the keys every element shares, the
keys of each collection of :data:`cio_framework.model.COLLECTIONS`, and the
mappings nested in them (priority settings, what-if changes and their
payloads, issue ranges). Each row comes from
:func:`cio_framework.config._plan.plan_of`, the plan the loader, the dumper
and the JSON Schema read too: the key, its type
(:meth:`~cio_framework.config._plan.TypeSpec.describe`), whether it is
required or its default, the collections its ids refer to, its bounds and its
one-line description. Each section ends with the part of an example scenario
(the ``:example:`` option, a YAML file relative to the page) under that key.

So that the page cannot drift from the code, the build fails when:

* the example scenario does not load, or lacks a collection or a top-level
  mapping;
* the JSON Schema (``cio-framework schema``) has a key that the plans do not
  document, or the other way round.

Usage::

   .. cio-config-reference::
      :example: _ext/reference-example.yaml
"""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

import cio_framework
from cio_framework.config import json_schema
from cio_framework.config._plan import FieldPlan, TypeSpec, plan_of
from cio_framework.model import (
    COLLECTIONS,
    DEFAULT_WEIGHTS,
    FACTORS,
    Change,
    Element,
    PrioritySettings,
    Scenario,
)

#: Labels of sections that other pages link to under a name of their own;
#: other nested mappings get the class name in kebab case (``move-system``),
#: and collections their key (``roles``).
LABELS = {
    Scenario: "top-level-keys",
    Element: "element-keys",
    Change: "changes",
    PrioritySettings: "priority-settings",
}

#: Top-level keys that the loader reads itself rather than through the plan
#: of Scenario: type, default and what they refer to. The description is the
#: JSON Schema's, so that the two stay one text.
LOADER_KEYS = {
    "uses": (
        "a list of pack names, or of mappings ``{pack: NAME, roles: {placeholder: role id}}``",
        "empty",
        "reference packs: "
        + ", ".join(f"``{name}``" for name in cio_framework.config.available_packs()),
        ":ref:`uses`",
    ),
    "extends": (
        "a string: ``builtin:NAME`` or a relative path",
        "none",
        "a base scenario",
        ":ref:`extends`",
    ),
    "remove": (
        "a list of ids",
        "empty",
        "elements of the base",
        ":ref:`extends`",
    ),
}

#: Top-level keys of the JSON Schema that belong to reference pack files only.
PACK_ONLY_KEYS = {"pack"}

_HEADER = ("Key", "Type", "Default", "Refers to", "Bounds", "Description")
_WIDTHS = "14 18 12 16 10 30"


def _escape(text: str) -> str:
    """Plain text from the model made safe for reStructuredText."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([*`|])", r"\\\1", text)
    return re.sub(r"(\w)_(?=\W|$)", r"\1\\_", text)


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _summary(cls: type, *, full: bool = False) -> str:
    """The first paragraph of a class's docstring, or (``full``) all before its sections."""
    paragraphs = []
    for paragraph in (inspect.getdoc(cls) or "").split("\n\n"):
        if re.match(r"\w+\n-+", paragraph):  # numpydoc: Parameters, Examples ...
            break
        paragraphs.append(" ".join(paragraph.split()))
    return " ".join(paragraphs if full else paragraphs[:1])


def _words(number: float) -> str:
    return f"{number:g}"


class _Reference:
    """Builds the reStructuredText of the reference page's generated part."""

    def __init__(self, example: str, example_name: str) -> None:
        self.schema = json_schema()
        self.example_name = example_name
        self.segments = self._segments(example)
        self.labels: dict[type, str] = {cls: key for key, cls in COLLECTIONS.items()}
        self.documented: set[type] = set()
        self.lines: list[str] = []

    # -- the example scenario ---------------------------------------------------

    def _segments(self, text: str) -> dict[str, str]:
        """The example's text under each top-level key, comments between keys left out."""
        try:
            cio_framework.loads(text, name=self.example_name)
        except cio_framework.ConfigError as err:
            raise ExtensionError(f"the reference's example does not load:\n{err}") from err
        root = yaml.compose(text)
        lines = text.splitlines()
        starts = [(key.value, key.start_mark.line) for key, _ in root.value]
        segments = {}
        for (key, start), (_, end) in zip(starts, [*starts[1:], ("", len(lines))], strict=True):
            block = lines[start:end]
            while block and (not block[-1].strip() or block[-1].lstrip().startswith("#")):
                block.pop()
            segments[key] = "\n".join(block)
        return segments

    def _example(self, keys: list[str]) -> None:
        missing = [key for key in keys if key not in self.segments]
        if missing:
            raise ExtensionError(
                f"the reference's example {self.example_name} has no {', '.join(missing)}"
            )
        self._add("For example:", "", ".. code-block:: yaml", "")
        for key in keys:
            self._add(*("   " + line if line else "" for line in self.segments[key].splitlines()))
        self._add("")

    # -- the JSON Schema, for the keys of mappings and for cross-checks ---------

    def _schema_of(self, cls: type) -> dict[str, Any]:
        if cls is Scenario:
            return self.schema
        return self.schema["$defs"].get(cls.__name__, {})

    def _cross_check(self, cls: type, plans: tuple[FieldPlan, ...]) -> None:
        documented = {plan.key for plan in plans if plan.name != "extensions"}
        if cls is Scenario:
            documented |= set(LOADER_KEYS) | PACK_ONLY_KEYS
        in_schema = set(self._schema_of(cls).get("properties", {}))
        if documented != in_schema:
            raise ExtensionError(
                f"the reference and the JSON Schema disagree on {cls.__name__}: "
                f"only in the plan {sorted(documented - in_schema)}, "
                f"only in the schema {sorted(in_schema - documented)}"
            )

    # -- cells --------------------------------------------------------------------

    def _link(self, collection: str) -> str:
        return f":ref:`{collection}`"

    def _nested(self, spec: TypeSpec) -> type | None:
        """The class of a nested mapping (or list of them) that gets a section."""
        while spec.kind == "tuple" and spec.item is not None:
            spec = spec.item
        return spec.cls if spec.kind == "object" else None

    def _type(self, plan: FieldPlan, owner: type) -> str:
        text = _escape(plan.spec.describe())
        if owner is Scenario and plan.key in COLLECTIONS:
            return f"{text} ({self._link(plan.key)})"
        nested = self._nested(plan.spec)
        if nested is not None:
            return f"{text} (:ref:`{self._label(nested)}`)"
        return text

    def _required(self, plan: FieldPlan, owner: type) -> str:
        if owner is Scenario and plan.key in self.schema.get("required", ()):
            return "**required** in every file"
        if plan.required:
            return "**required**" + (
                " (in one file of a folder at least)" if owner is Scenario else ""
            )
        value = plan.default_value()
        if value is None:
            return "none"
        if isinstance(value, enum.Enum):
            return f"``{value.value}``"
        if isinstance(value, bool):
            return f"``{str(value).lower()}``"
        if isinstance(value, (int, float, str)):
            return f"``{value}``"
        if isinstance(value, (tuple, Mapping)) and not value:
            return "empty"
        if isinstance(value, tuple):
            return f"{len(value)} built-in (see :ref:`{plan.key}`)"
        return f"its defaults (see :ref:`{self._label(type(value))}`)"

    def _refers(self, plan: FieldPlan, owner: type) -> str:
        if plan.is_id:
            return "its own id, unique in the scenario"
        ids = [self._link(c) for c in plan.ref or ()]
        ids += [f"``{literal}``" for literal in plan.literals]
        parts = [" or ".join(ids)] if ids else []
        if plan.key_ref:
            parts.append("keys: " + " or ".join(self._link(c) for c in plan.key_ref))
        if self._key_names(owner, plan.key):
            parts.append("keys: listed below the table")
        return "; ".join(parts)

    def _key_names(self, owner: type, key: str) -> list[str]:
        """The keys a mapping field allows, from the JSON Schema (check ids, factors)."""
        schema = self._schema_of(owner).get("properties", {}).get(key, {})
        return list(schema.get("propertyNames", {}).get("enum", ()))

    def _bounds(self, plan: FieldPlan) -> str:
        if plan.is_id:
            return ":ref:`id rules <ids>`"
        low, high = plan.minimum, plan.maximum
        if low is not None and high is not None:
            return f"from {_words(low)} to {_words(high)}"
        if low is not None:
            return (
                f"greater than {_words(low)}"
                if plan.exclusive_minimum
                else f"{_words(low)} or more"
            )
        if high is not None:
            return f"{_words(high)} or less"
        return ""

    # -- output -------------------------------------------------------------------

    def _add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def _title(self, text: str, underline: str, label: str) -> None:
        self._add(f".. _{label}:", "", text, underline * len(text), "")

    def _label(self, cls: type) -> str:
        return self.labels.setdefault(cls, LABELS.get(cls) or _kebab(cls.__name__))

    def _table(self, rows: list[tuple[str, ...]], header: tuple[str, ...] = _HEADER) -> None:
        """A list-table; columns of the standard header that are empty in every row are left out."""
        if len(header) == len(_HEADER):
            keep = [i for i in range(len(header)) if i < 3 or i == 5 or any(row[i] for row in rows)]
            widths = " ".join(_WIDTHS.split()[i] for i in keep)
            header = tuple(header[i] for i in keep)
            rows = [tuple(row[i] for i in keep) for row in rows]
        else:
            widths = "auto"
        self._add(".. list-table::", "   :header-rows: 1", f"   :widths: {widths}", "")
        for row in [header, *rows]:
            first, *rest = row
            self._add(f"   * - {first}".rstrip(), *(f"     - {cell}".rstrip() for cell in rest))
        self._add("")

    def _rows(self, cls: type, plans: tuple[FieldPlan, ...]) -> list[tuple[str, ...]]:
        rows = []
        for plan in plans:
            if plan.inherited:
                continue
            if plan.name == "extensions":
                rows.append(("``x-...``", "any value", "", "", "", _escape(plan.doc)))
                continue
            rows.append(
                (
                    f"``{plan.key}``",
                    self._type(plan, cls),
                    self._required(plan, cls),
                    self._refers(plan, cls),
                    self._bounds(plan),
                    _escape(plan.doc),
                )
            )
        if cls is Scenario:
            for key, (kind, default, refers, see) in LOADER_KEYS.items():
                doc = self.schema["properties"][key]["description"]
                rows.append((f"``{key}``", kind, default, refers, "", f"{_escape(doc)} See {see}."))
        return rows

    def _mapping(self, cls: type, title: str, underline: str, intro: str) -> list[tuple[str, type]]:
        """A section's title and table; returns the nested mappings it uses, by key."""
        plans = plan_of(cls)
        self._cross_check(cls, plans)
        self._title(title, underline, self._label(cls))
        self._add(intro, "")
        self._table(self._rows(cls, plans))
        for plan in plans:
            names = self._key_names(cls, plan.key)
            if names:
                listed = ", ".join(f"``{name}``" for name in names)
                self._add(f"The keys of ``{plan.key}``: {listed}.", "")
        if issubclass(cls, Element):
            self._add("Also the :ref:`keys of every element <element-keys>`.", "")
        elif cls is not Scenario:
            self._add("No other key: not ``source``, ``note``, ``illustrative`` or ``x-``.", "")
        nested = []
        for plan in plans:
            found = self._nested(plan.spec)
            if found is None or found in COLLECTIONS.values() or found in self.documented:
                continue
            if not any(found is other for _, other in nested):
                nested.append((plan.key, found))
        return nested

    def _plain(self, cls: type, title: str, underline: str) -> None:
        """A section for a value written in a plain form (a number or a list)."""
        self._title(title, underline, self._label(cls))
        kind = _escape(str(cls.__config_describe__))
        self._add(f"{_summary(cls, full=True)} Not a mapping: {kind}, whose parts are:", "")
        rows = [
            (
                f"``{plan.key}`` (item {number})",
                _escape(plan.spec.describe()),
                "**required**",
                "",
                self._bounds(plan),
                _escape(plan.doc),
            )
            for number, plan in enumerate(plan_of(cls), start=1)
        ]
        self._table(rows, ("Part", *_HEADER[1:]))

    def _section(
        self, cls: type, title: str, intro: str, underlines: str, after: Any = None
    ) -> None:
        """A section for ``cls``, then (after ``after()``) one for each mapping nested in it."""
        self.documented.add(cls)
        if hasattr(cls, "from_plain"):
            self._plain(cls, title, underlines[0])
            return
        nested = self._mapping(cls, title, underlines[0], intro)
        if after is not None:
            after()
        for key, inner in nested:
            spec = next(plan.spec for plan in plan_of(cls) if plan.key == key)
            what = f"Each item of ``{key}``" if spec.kind == "tuple" else f"The value of ``{key}``"
            self._section(
                inner,
                key,
                f"{_summary(inner)} {what} is a mapping with these keys.",
                underlines[1:],
            )

    def _defaults_table(self, plan: FieldPlan) -> None:
        """The default elements of a collection, such as the four Pudong levels."""
        default = plan.default_value()
        self._add(f"Without a ``{plan.key}`` key a scenario has these {plan.key}:", "")
        self._table(
            [
                (f"``{item.id}``", _escape(item.name), _escape(item.description or ""))
                for item in default
            ],
            ("id", "name", "description"),
        )

    def render(self) -> list[str]:
        scenario = plan_of(Scenario)
        self._mapping(
            Scenario,
            "Top-level keys",
            "-",
            f"{_summary(Scenario)} Each file of a scenario is a mapping with these keys. "
            "A list key left empty (``roles:`` with nothing after it) is the same as leaving it out.",
        )
        top = {p.key for p in scenario if p.key not in COLLECTIONS and p.spec.kind != "object"}
        top |= set(LOADER_KEYS)
        self._example([key for key in self.segments if key in top or key.startswith("x-")])

        self._title("Keys of every element", "-", self._label(Element))
        self._add(
            f"{_summary(Element)} Every element of every list, whatever its kind, also takes "
            "these keys, and so do the nested mappings that say so below.",
            "",
        )
        self._table(self._rows(Element, plan_of(Element)))

        for plan in scenario:
            cls = self._nested(plan.spec)
            if cls is None:
                continue
            if plan.key in COLLECTIONS:
                intro = f"{_summary(cls)} Each item of ``{plan.key}`` is a mapping with these keys."
            else:
                intro = f"{_summary(cls)} ``{plan.key}`` is a single mapping, not a list."

            def after(plan: FieldPlan = plan, cls: type = cls) -> None:
                if plan.key in COLLECTIONS and plan.default_value():
                    self._defaults_table(plan)
                if cls is PrioritySettings:
                    self._add("The default weight of each factor (``cost`` is subtracted):", "")
                    self._table(
                        [(f"``{factor}``", _words(DEFAULT_WEIGHTS[factor])) for factor in FACTORS],
                        ("factor", "default weight"),
                    )
                self._example([plan.key])

            self._section(cls, plan.key, intro, "-~^", after)
        return self.lines


class ConfigReference(SphinxDirective):
    """``.. cio-config-reference::`` with the option ``:example: PATH``."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {"example": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        if "example" not in self.options:
            raise self.error("cio-config-reference needs the option :example: PATH")
        relative, absolute = self.env.relfn2path(self.options["example"], self.env.docname)
        self.env.note_dependency(relative)
        self.env.cio_config_reference_docs.add(self.env.docname)  # type: ignore[attr-defined]
        text = Path(absolute).read_text(encoding="utf-8")
        lines = _Reference(text, relative).render()
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(
            self.state, StringList(lines, source="<cio-config-reference>"), container
        )
        return list(container.children)


def _init_env(app: Any) -> None:
    if not hasattr(app.env, "cio_config_reference_docs"):
        app.env.cio_config_reference_docs = set()


def _purge(app: Any, env: Any, docname: str) -> None:
    env.cio_config_reference_docs.discard(docname)


def _merge(app: Any, env: Any, docnames: Any, other: Any) -> None:
    env.cio_config_reference_docs |= other.cio_config_reference_docs


def _outdated(app: Any, env: Any, added: Any, changed: Any, removed: Any) -> Iterator[str]:
    # The page reflects the installed code, which Sphinx does not track:
    # rebuild it every time.
    return iter(sorted(env.cio_config_reference_docs - set(removed)))


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("cio-config-reference", ConfigReference)
    app.connect("builder-inited", _init_env)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
