"""What a callback receives, checked at the edge.

A Dash callback's arguments are whatever JSON the browser (or anyone else) posts to
/_dash-update-component: a select's value may arrive as a number, a list or a dict. Each
callback passes its arguments through these small helpers first and answers no_update or
its page's message for anything they refuse; `envelope_problem` is the app's safety net
for the request around them (app.py).
"""
from __future__ import annotations

MAX_DEPTH = 32  # nesting of a whole callback request; a real one (clickData inside the envelope) is under 10
# Dash's own page router (not ours to validate) reads these as strings, the path under the app's root.
ROUTER, ROUTER_TEXT, ROOT = "_pages_location", ("pathname", "search"), "/"


def as_text(value, max_len: int) -> str | None:
    """A free-text input cut to max_len characters (what the field's maxLength lets a browser
    send), or None when it is not text at all."""
    return value[:max_len] if isinstance(value, str) else None


def as_choice(value, allowed) -> str | None:
    """value when it is one of `allowed` (strings), else None; never raises on lists or dicts."""
    return value if isinstance(value, str) and value in allowed else None


def as_year(value, years) -> int | None:
    """A select's year ("2024") when the view has it, else None."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 4:
        return None
    return int(value) if int(value) in years else None


def depth(value) -> int:
    """How deeply lists and dicts nest in value, counted without recursion (a hostile body
    is exactly what would exhaust Python's stack)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, level)
            todo += [(child, level + 1) for child in (item.values() if isinstance(item, dict) else item)]
    return deepest


def envelope_problem(body, callback_map: dict) -> str | None:
    """Why a callback request cannot be run, or None when it has the shape dash-renderer sends:
    {"output": a server callback's key, "outputs": its outputs, "inputs": [{"id", "property",
    "value"}, ...] as declared, "state": likewise, "changedPropIds": [str, ...]}."""
    if not isinstance(body, dict):
        return "body is not a JSON object"
    if depth(body) > MAX_DEPTH:
        return f"nested deeper than {MAX_DEPTH}"
    key = body.get("output")
    cb = callback_map.get(key) if isinstance(key, str) else None
    if cb is None or "callback" not in cb:  # unknown, or a clientside callback: nothing to run here
        return "no such server callback"
    if not cb.get("no_output") and not _same_outputs(body.get("outputs"), declared_outputs(key)):
        return "outputs do not match the callback"
    for part in ("inputs", "state"):
        problem = _dependency_problem(body.get(part, []), cb[part], part)
        if problem:
            return problem
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(p, str) for p in changed):
        return "changedPropIds is not a list of strings"
    return None


def declared_outputs(key: str):
    """The outputs in Dash's key for a callback: "id.prop", or "..id.prop...id.prop.." for several."""
    if key.startswith(".."):
        return [declared_outputs(k) for k in key[2:-2].split("...")]
    id_, prop = key.rsplit(".", 1)
    return {"id": id_, "property": prop}


def _same_outputs(sent, declared) -> bool:
    if isinstance(declared, dict):
        return _is_dependency(sent, declared)
    return isinstance(sent, list) and len(sent) == len(declared) and all(map(_is_dependency, sent, declared))


def _is_dependency(sent, declared: dict) -> bool:
    """sent names the declared component and property (an allow_duplicate output's @hash aside)."""
    if isinstance(declared["id"], dict) or declared["id"].startswith("{"):  # a pattern-matching id: its concrete ids vary, check the shape only
        items = sent if isinstance(sent, list) else [sent]
        return all(isinstance(i, dict) and isinstance(i.get("id"), dict) and isinstance(i.get("property"), str) for i in items)
    return (isinstance(sent, dict) and sent.get("id") == declared["id"] and isinstance(sent.get("property"), str)
            and sent["property"].split("@")[0] == declared["property"].split("@")[0])


def _dependency_problem(sent, declared: list[dict], part: str) -> str | None:
    if not isinstance(sent, list) or len(sent) != len(declared) or not all(map(_is_dependency, sent, declared)):
        return f"{part} do not match the callback"
    for item in sent:
        if isinstance(item, dict) and item["id"] == ROUTER and item["property"] in ROUTER_TEXT:
            value = item.get("value")
            if not isinstance(value, str) or (item["property"] == "pathname" and not value.startswith(ROOT)):
                return f"{item['id']}.{item['property']} is not a path under {ROOT}"
    return None
