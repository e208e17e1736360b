"""A JSON Schema (draft 2020-12) of the scenario format, generated from the model.

Editors use it through yaml-language-server for completion and inline
errors. It checks structure, types, enumerations and bounds; what a schema
cannot say (that an id refers to an existing role, that ids are unique) is
left to :func:`cio_framework.load`, and said in the descriptions.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..model import CHECK_INFO, COLLECTIONS, FACTORS, FORMAT_VERSION, READ_VERSIONS, Scenario
from ..model.landscape import MAX_WEIGHT
from ._plan import FieldPlan, TypeSpec, plan_of
from ._structure import SINGULAR, _article

__all__ = ["SCHEMA_ID", "json_schema"]

#: The ``$id`` of the generated schema.
SCHEMA_ID = f"https://cio-framework.invalid/schema/scenario-{FORMAT_VERSION}.json"

_EXTENSIONS = {
    "^x-": {"description": "Extension data: kept and written back, ignored by analyses."}
}


def _spec_schema(spec: TypeSpec, plan: FieldPlan | None, defs: dict[str, Any]) -> dict[str, Any]:
    kind = spec.kind
    schema: dict[str, Any]
    if kind == "str":
        schema = {"type": "string"}
        if plan is not None and plan.is_id:
            schema.update(minLength=1, maxLength=200, pattern=r"^\S(.*\S)?$")
        if plan is not None and plan.literals:
            schema = {"anyOf": [schema, {"enum": list(plan.literals)}]}
    elif kind == "int":
        schema = {"type": "integer"}
    elif kind == "float":
        schema = {"type": "number"}
    elif kind == "bool":
        schema = {"type": "boolean"}
    elif kind == "date":
        schema = {"type": "string", "format": "date"}
    elif kind == "enum":
        values: list[Any] = [m.value for m in spec.cls]
        if "off" in values:
            values.append(False)  # YAML 1.1 reads a bare off as false
        schema = {"enum": values}
    elif kind == "tuple":
        assert spec.item is not None
        schema = {"type": "array", "items": _spec_schema(spec.item, plan, defs)}
    elif kind == "map":
        assert spec.item is not None
        item_plan = attrs.evolve(plan, ref=None) if plan is not None else None
        schema = {
            "type": "object",
            "additionalProperties": _spec_schema(spec.item, item_plan, defs),
        }
    elif kind == "object":
        schema = {"$ref": f"#/$defs/{_define(spec.cls, defs)}"}
    else:
        schema = {}
    if plan is not None and kind in ("int", "float"):
        if plan.minimum is not None:
            schema["exclusiveMinimum" if plan.exclusive_minimum else "minimum"] = plan.minimum
        if plan.maximum is not None:
            schema["maximum"] = plan.maximum
    if spec.optional:
        if isinstance(schema.get("type"), str):
            schema["type"] = [schema["type"], "null"]
        elif "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
        else:
            schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


def _describe(plan: FieldPlan) -> str:
    text = plan.doc
    refs = plan.ref or plan.key_ref
    if refs:
        where = " or ".join(SINGULAR[r] for r in refs)
        what = "Keys are ids" if plan.key_ref and not plan.ref else "An id"
        text += f" ({what} of {_article(where)}, checked when the scenario loads.)"
    if not plan.required:
        default = plan.default_value()
        if default not in (None, (), {}) and not attrs.has(type(default)):
            shown = getattr(default, "value", default)
            text += f" Default: {shown!r}."
    return text


def _define(cls: type, defs: dict[str, Any]) -> str:
    name = cls.__name__
    if name in defs:
        return name
    defs[name] = {}  # reserve against recursion
    if hasattr(cls, "from_plain"):
        defs[name] = {
            "description": (cls.__doc__ or "").strip().splitlines()[0],
            "oneOf": [
                {"type": "integer", "minimum": 0},
                {
                    "type": "array",
                    "items": {"type": "integer", "minimum": 0},
                    "minItems": 2,
                    "maxItems": 2,
                },
            ],
        }
        return name
    properties: dict[str, Any] = {}
    required = []
    has_extensions = False
    for plan in plan_of(cls):
        if plan.name == "extensions":
            has_extensions = True
            continue
        schema = _spec_schema(plan.spec, plan, defs)
        properties[plan.key] = {**schema, "description": _describe(plan)}
        if plan.required:
            required.append(plan.key)
    definition: dict[str, Any] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        definition["required"] = required
    if has_extensions:
        definition["patternProperties"] = _EXTENSIONS
    if name == "Change":
        definition["minProperties"] = 1
        definition["maxProperties"] = 1
    defs[name] = definition
    return name


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file, generated from the model.

    Returns
    -------
    dict
        A draft 2020-12 schema; ``json.dumps`` it to save.

    Examples
    --------
    >>> schema = json_schema()
    >>> schema["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    >>> schema["properties"]["cio_framework"]
    {'enum': [1, 2], 'description': 'Format version: 2, or 1 without jurisdictions.'}
    >>> sorted(schema["$defs"]["Role"]["required"])
    ['id', 'level', 'title']
    """
    defs: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    for plan in plan_of(Scenario):
        if plan.name == "extensions":
            continue
        if plan.name == "format_version":
            properties[plan.key] = {"enum": list(READ_VERSIONS), "description": plan.doc}
            continue
        if plan.key in COLLECTIONS:
            item = _define(COLLECTIONS[plan.key], defs)
            properties[plan.key] = {
                "type": "array",
                "items": {"$ref": f"#/$defs/{item}"},
                "description": plan.doc,
            }
            continue
        properties[plan.key] = {
            **_spec_schema(plan.spec, plan, defs),
            "description": _describe(plan),
        }
    properties["checks"]["propertyNames"] = {"enum": list(CHECK_INFO)}
    weights = defs["PrioritySettings"]["properties"]["weights"]
    weights["propertyNames"] = {"enum": list(FACTORS)}
    weights["additionalProperties"] = {"type": "number", "minimum": 0, "maximum": MAX_WEIGHT}
    raci = defs["Responsibility"]["properties"]["raci"]
    raci["additionalProperties"] = {
        "type": "string",
        "pattern": "^[RACIraci/, ]*[RACIraci][RACIraci/, ]*$",
    }
    properties["uses"] = {
        "type": "array",
        "description": "Reference packs to pull in, by name or as {pack, roles}.",
        "items": {
            "anyOf": [
                {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
                {
                    "type": "object",
                    "properties": {
                        "pack": {"type": "string"},
                        "roles": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                    "required": ["pack"],
                    "additionalProperties": False,
                },
            ]
        },
    }
    properties["extends"] = {
        "type": "string",
        "minLength": 1,
        "description": "The base scenario: builtin:NAME, or a relative path beside this "
        "file, below it, in the folder above or in a sibling folder.",
    }
    properties["remove"] = {
        "type": "array",
        "description": "Ids of the base's elements to leave out (with 'extends').",
        "items": {"type": "string"},
    }
    properties["pack"] = {
        "type": "object",
        "description": "Only in reference pack files: the pack's header.",
        "properties": {
            "name": {"type": "string"},
            "description": {"type": "string"},
            "source": {"type": "string"},
            "roles": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "cio_framework scenario",
        "description": "A government CIO system and its information landscape "
        "(one file of a scenario; a folder's files are merged).",
        "type": "object",
        "properties": properties,
        "required": ["cio_framework"],
        "additionalProperties": False,
        "patternProperties": _EXTENSIONS,
        "$defs": defs,
    }
