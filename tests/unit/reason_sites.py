"""Where app/ gives a reason code, found in the source (for tests/unit/test_translations.py).

A reason travels as ``reason=`` of a DomainError subclass (``ValidationError(field=…,
reason="required")``), as the third field of a checklist template ``Problem``, or as the first
argument of ``DataKeyError``. The code may be written at the call, or reach it through a helper's
parameter (``_invalid(step, "number")``), a helper's return value (``reason=_kind(setting)``), a
``{…}.get(…, "…")`` table, a conditional or an ``or``; all of these are followed. A reason passed
on from a carrier made elsewhere (``error.reason``, ``first.reason_code``) is checked where it
was made. Anything else — an f-string, a variable holding prose — is reported as a site without a
code, so a reason cannot become a sentence again unnoticed.

A DomainError whose sentence does not show ``{reason}`` (DatabaseUnavailable keeps the driver's
words there for the log) is no carrier.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

#: Carriers of a reason code besides the DomainError subclasses: name -> (keyword, position).
OTHER_CARRIERS = {"Problem": ("reason_code", 2), "DataKeyError": ("reason", 0)}
#: Attributes that hold a code already checked where its carrier was made.
FORWARDED = {"reason", "reason_code"}

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Site:
    path: Path
    line: int
    code: str | None  # None: no literal code could be found
    text: str         # the expression as written

    def __str__(self) -> str:
        shown = self.path.relative_to(APP.parent) if self.path.is_relative_to(APP.parent) else self.path.name
        return f"{shown}:{self.line} reason {self.text}"


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _parameters(function: Function) -> list[ast.arg]:
    return function.args.posonlyargs + function.args.args


class _Source:
    """app/ parsed once: classes, functions, and every call with the function it is in."""

    def __init__(self, root: Path) -> None:
        self.classes: dict[str, ast.ClassDef] = {}
        self.functions: dict[str, list[tuple[Path, Function]]] = {}
        self.calls: list[tuple[Path, ast.Call, Function | None]] = []
        for path in sorted(root.rglob("*.py")):
            self._visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), path, None)

    def _visit(self, node: ast.AST, path: Path, function: Function | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                self.classes.setdefault(child.name, child)
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions.setdefault(child.name, []).append((path, child))
                self._visit(child, path, child)
                continue
            if isinstance(child, ast.Call):
                self.calls.append((path, child, function))
            self._visit(child, path, function)

    def _template(self, name: str) -> str:
        node = self.classes.get(name)
        while node is not None:
            for item in node.body:
                if isinstance(item, ast.Assign) and any(getattr(t, "id", "") == "template" for t in item.targets):
                    return ast.unparse(item.value)
            bases = [getattr(b, "id", getattr(b, "attr", "")) for b in node.bases]
            node = self.classes.get(bases[0]) if bases else None
        return ""

    def carriers(self) -> dict[str, tuple[str, int | None]]:
        errors = {"DomainError"}
        grown = True
        while grown:
            found = {name for name, node in self.classes.items()
                     if any(getattr(b, "id", getattr(b, "attr", "")) in errors for b in node.bases)}
            grown = not found <= errors
            errors |= found
        shown = {name: ("reason", None) for name in errors if "{reason}" in self._template(name)}
        return {**shown, **OTHER_CARRIERS}

    # -- following a reason expression to its codes -------------------------------------------

    def codes(self, node: ast.expr, path: Path, function: Function | None,
              seen: frozenset[tuple[int, str]] = frozenset()) -> Iterator[tuple[str | None, str]]:
        """(code, expression) for each code ``node`` can be; (None, expression) where none is found."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value, repr(node.value)
        elif isinstance(node, ast.IfExp):
            yield from self.codes(node.body, path, function, seen)
            yield from self.codes(node.orelse, path, function, seen)
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                yield from self.codes(value, path, function, seen)
        elif isinstance(node, ast.Attribute) and node.attr in FORWARDED:
            return
        elif isinstance(node, ast.Name) and function is not None and \
                node.id in {a.arg for a in _parameters(function) + function.args.kwonlyargs}:
            if (id(function), node.id) not in seen:
                yield from self._arguments(function, node.id, path, seen | {(id(function), node.id)})
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                and isinstance(node.func.value, ast.Dict):
            for value in [*node.func.value.values, *node.args[1:]]:
                yield from self.codes(value, path, function, seen)
        elif isinstance(node, ast.Call) and self._returns(node, path):
            for where, helper, value in self._returns(node, path):
                yield from self.codes(value, where, helper, seen)
        else:
            yield None, ast.unparse(node)

    def _returns(self, call: ast.Call, path: Path) -> list[tuple[Path, Function, ast.expr]]:
        found = []
        for where, helper in self._defined(_callee(call), path):
            for node in ast.walk(helper):
                if isinstance(node, ast.Return) and node.value is not None:
                    found.append((where, helper, node.value))
        return found

    def _defined(self, name: str, path: Path) -> list[tuple[Path, Function]]:
        """The functions a call by ``name`` may reach; a private one only in its own module."""
        return [(where, f) for where, f in self.functions.get(name, []) if not name.startswith("_") or where == path]

    def _arguments(self, function: Function, name: str, path: Path,
                   seen: frozenset[tuple[int, str]]) -> Iterator[tuple[str | None, str]]:
        """The codes passed for parameter ``name`` at every call of ``function`` (or its default)."""
        positional = _parameters(function)
        index = next((i for i, a in enumerate(positional) if a.arg == name), None)
        method = bool(positional) and positional[0].arg in ("self", "cls")
        defaults = dict(zip([a.arg for a in positional][len(positional) - len(function.args.defaults):],
                            function.args.defaults))
        defaults |= {a.arg: d for a, d in zip(function.args.kwonlyargs, function.args.kw_defaults) if d is not None}
        callers = [(where, call, caller) for where, call, caller in self.calls
                   if _callee(call) == function.name and (not function.name.startswith("_") or where == path)]
        if not callers:
            yield None, f"{name} of {function.name}(), which nothing calls"
        for where, call, caller in callers:
            given = next((k.value for k in call.keywords if k.arg == name), None)
            if given is None and index is not None:
                at = index - 1 if method and isinstance(call.func, ast.Attribute) else index
                given = call.args[at] if 0 <= at < len(call.args) else None
            if given is None:
                given = defaults.get(name)
            if given is not None:
                yield from self.codes(given, where, caller, seen)


def reason_sites(root: Path = APP) -> list[Site]:
    """Every reason code (or non-code) app/ gives a carrier, with where it is given.

    The carriers are looked up in app/ whatever ``root`` is (a test passes a folder of samples)."""
    source = _Source(root)
    if root != APP:
        known = _Source(APP)
        source.classes = {**known.classes, **source.classes}
    carriers = source.carriers()
    sites = []
    for path, call, function in source.calls:
        carrier = carriers.get(_callee(call))
        if carrier is None:
            continue
        keyword, position = carrier
        node = next((k.value for k in call.keywords if k.arg == keyword), None)
        if node is None and position is not None and position < len(call.args):
            node = call.args[position]
        if node is None:
            continue
        for code, text in source.codes(node, path, function):
            sites.append(Site(path, call.lineno, code, text))
    return sites
