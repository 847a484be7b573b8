"""The apps' import direction, read from the source (ast): each app imports only the apps below it.

    config  →  portal  →  audit, scim, webhooks, calendars  →  networks, alumni, meetings  →  tours, signin  →  alliance

trends (the reports' monthly history, a store that knows no measure) sits beside alliance at the bottom.

alliance is the people core; tours build on people; signin (company sign-in, two-factor) builds on people
only, and the apps above may show its log; networks, alumni and meetings (the 1:1 workspace: a tour's agenda,
"We met" through the tours' check-in service) build on tours (and not on each other); audit records all of
them; portal assembles pages and commands across apps; config holds the settings and root URLs. An import
inside a function (the usual way to dodge a circle) fails too, unless the
line says why with a comment.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# scim sits beside audit: it provisions people through the alliance and alumni services; only config imports it.
# webhooks and calendars sit with audit: like it they serve every app below (domain events from alliance, the tours,
# insights and events a feed shows) and portal may assemble them; they import neither audit nor each other.
# trends is a store that knows no measure (each app defines its own in its trends.py): beside alliance at the
# bottom, importing neither, so every app with a report may read and write its history.
LAYERS = {
    "alliance": 0,
    "trends": 0,
    "signin": 1,
    "tours": 1,
    "networks": 2,
    "alumni": 2,
    "meetings": 2,
    "audit": 3,
    "scim": 3,
    "webhooks": 3,
    "calendars": 3,
    "portal": 4,
    "config": 5,
}


def modules(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported_apps(node):
    """The project apps this import statement names."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        names = [node.module]
    else:
        return []
    return [name.split(".")[0] for name in names if name.split(".")[0] in LAYERS]


def imports_of(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]


def upward_imports(app):
    found = []
    for path in modules(app):
        for node in imports_of(path):
            for other in imported_apps(node):
                if other != app and LAYERS[other] >= LAYERS[app]:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {other}")
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_the_apps_below_it(app):
    assert upward_imports(app) == []


def hidden_imports(app):
    hidden = []
    for path in modules(app):
        source = path.read_text()
        tree = ast.parse(source)
        lines = source.splitlines()
        for node in ast.walk(tree):
            nested = isinstance(node, ast.Import | ast.ImportFrom) and node not in tree.body
            if nested and "#" not in lines[node.lineno - 1]:
                hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return hidden


@pytest.mark.parametrize("app", LAYERS)
def test_no_import_hides_inside_a_function(app):
    assert hidden_imports(app) == []


def test_the_check_finds_an_upward_import(tmp_path, monkeypatch):
    """The test above is not vacuous: a core module importing tours is reported."""
    monkeypatch.setattr("tests.test_layers.ROOT", tmp_path)
    (tmp_path / "alliance").mkdir()
    (tmp_path / "alliance" / "bad.py").write_text("from tours.models import Tour\nimport portal.views\n")
    (tmp_path / "alliance" / "hiding.py").write_text(
        "def f():\n    from alliance import models\n\n\ndef g():\n    import csv  # why: a comment keeps it\n"
    )
    assert upward_imports("alliance") == ["alliance/bad.py:1 imports tours", "alliance/bad.py:2 imports portal"]
    assert hidden_imports("alliance") == ["alliance/hiding.py:2"]


def test_every_app_is_placed():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"config"}
    assert apps == set(LAYERS)
