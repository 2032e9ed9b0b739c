"""Architecture contracts: the public zone never reaches into the secure zone."""
from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = ["app.py", "pages", "components", "data", "web"]


def test_import_linter_contracts_hold():
    res = subprocess.run([str(ROOT / ".venv" / "bin" / "lint-imports")], cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 broken" in res.stdout


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_public_module_imports_pipeline():
    """The same rule as a plain walk, covering app.py too (import-linter only takes packages)."""
    files = [ROOT / "app.py"] + [p for d in PUBLIC[1:] for p in (ROOT / d).rglob("*.py")]
    offenders = [str(f.relative_to(ROOT)) for f in files if "pipeline" in imported_modules(f)]
    assert offenders == []


def test_the_walk_would_catch_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from pipeline.generate import generate\n")
    assert "pipeline" in imported_modules(bad)


FETCHES = [
    re.compile(r"url\(\s*['\"]?(https?:)?//", re.I),  # CSS url() to another host
    re.compile(r"@import", re.I),
    re.compile(r"(src|href|geojson|topojsonURL)\s*[=:]\s*f?['\"](https?:)?//", re.I),
]


def test_no_third_party_urls_in_served_code():
    """Nothing the page loads may point at another host (fonts, CDNs, tiles)."""
    files = list((ROOT / "assets").rglob("*.css")) + list((ROOT / "assets").rglob("*.js"))
    files += [p for d in ("pages", "components", "web") for p in (ROOT / d).rglob("*.py")] + [ROOT / "app.py"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern in FETCHES:
            m = pattern.search(text)
            assert m is None, f"{path.name}: …{text[max(0, m.start() - 40):m.end() + 40]}…"


def test_the_fetch_check_would_catch_a_cdn():
    assert any(p.search('html.Link(href="https://cdn.example.org/x.css")') for p in FETCHES)
    assert any(p.search("body{background:url(//tiles.example.org/a.png)}") for p in FETCHES)
