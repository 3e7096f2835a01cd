"""The import rules of design.md, held by walking the AST of src/.

Each heavy or external library is imported by one module (or one small
family of modules), so that start-up stays cheap and a layer can be replaced
without touching the rest.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "jobdraft"

# library -> modules (relative to src/jobdraft, without .py) allowed to import it
OWNERS = {
    "httpx": {"client"},
    "questionary": {"prompts"},
    "prompt_toolkit": {"prompts"},
    "rich": {"render", "wizard_view"},
    "typer": {"cli", "cli_common", "cli_auth", "cli_sandbox", "completion_install"},
    "waitress": {"sandbox/server"},
}


def imports_of(path: Path) -> set[str]:
    """Modules imported at run time (imports under ``if TYPE_CHECKING:`` are for mypy only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only: set[int] = set()
    for node in ast.walk(tree):
        is_guard = isinstance(node, ast.If) and isinstance(node.test, ast.Name)
        if is_guard and node.test.id == "TYPE_CHECKING":  # type: ignore[attr-defined]
            type_only.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules() -> dict[str, set[str]]:
    return {
        str(path.relative_to(SRC).with_suffix("")): imports_of(path) for path in SRC.rglob("*.py")
    }


def test_each_library_has_its_owners() -> None:
    for name, imported in modules().items():
        for library, owners in OWNERS.items():
            uses = any(m == library or m.startswith(library + ".") for m in imported)
            if uses:
                assert name in owners, f"{name} imports {library}; only {sorted(owners)} may"


def test_nothing_imports_the_cli() -> None:
    for name, imported in modules().items():
        if name in ("__main__", "entry"):  # the two ways the command starts
            continue
        assert "jobdraft.cli" not in imported, f"{name} imports jobdraft.cli"


def test_the_sandbox_imports_nothing_from_the_client_side() -> None:
    for name, imported in modules().items():
        if not name.startswith("sandbox/"):
            continue
        ours = {m for m in imported if m.startswith("jobdraft.")}
        assert all(m.startswith("jobdraft.sandbox") for m in ours), f"{name}: {ours}"


def test_errors_imports_nothing_of_ours() -> None:
    assert not {m for m in modules()["errors"] if m.startswith("jobdraft")}
