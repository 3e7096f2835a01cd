"""The project's import rules, held by walking the AST of src/ (each file parsed once).

Each heavy or external library is imported by one module (or one small
family of modules), so that start-up stays cheap and a layer can be replaced
without touching the rest.  The pure modules do no I/O, so they are tested
with plain values; the terminal code plugs into the wizard through its ports
and never imports the loop that drives it.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "jobdraft"

# library -> modules (relative to src/jobdraft, without .py) allowed to import it
OWNERS = {
    "httpx": {"client"},
    "questionary": {"prompts"},
    "prompt_toolkit": {"prompts"},
    "rich": {"render", "wizard_view", "table_widths"},
    "typer": {"cli", "cli_common", "cli_auth", "cli_sandbox", "completion_install"},
    "waitress": {"sandbox/server"},
}

# Modules that compute and never touch a terminal, a file, a socket or a process.
PURE = {
    "model",
    "fields",
    "questions",
    "planning",
    "ports",
    "errors",
    "inert",
    "hints",
    "retry",
    "wording",
    "json_types",
    "prose",
}
IO_MODULES = (
    "httpx",
    "rich",
    "questionary",
    "prompt_toolkit",
    "typer",
    "click",
    "sqlite3",
    "subprocess",
    "socket",
)

# The wizard loop is driven by fill alone; the terminal adapters implement its ports.
LOOP_USERS = {"fill"}
# (plain_prompts and plain_display are the line-by-line adapters of JOBDRAFT_PROMPTS=plain.)
PORT_USERS = {"wizard", "fill", "prompts", "wizard_view", "plain_prompts", "plain_display"}


def imports_of(tree: ast.Module) -> set[str]:
    """Modules imported at run time (imports under ``if TYPE_CHECKING:`` are for mypy only)."""
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
            # "from jobdraft import operations" imports jobdraft.operations.
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@cache
def modules() -> dict[str, frozenset[str]]:
    """Each module of src/jobdraft and what it imports at run time, parsed once per session."""
    return {
        str(path.relative_to(SRC).with_suffix("")): frozenset(
            imports_of(ast.parse(path.read_text(encoding="utf-8")))
        )
        for path in SRC.rglob("*.py")
    }


def uses(imported: frozenset[str], module: str) -> bool:
    return any(m == module or m.startswith(module + ".") for m in imported)


def test_each_library_has_its_owners() -> None:
    for name, imported in modules().items():
        for library, owners in OWNERS.items():
            if uses(imported, library):
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
        # jobdraft.inert is pure, for every layer: the served access log uses it.
        ours = {
            m
            for m in imported
            if m.startswith("jobdraft.") and m.split(".")[:2] != ["jobdraft", "inert"]
        }
        assert all(m.startswith("jobdraft.sandbox") for m in ours), f"{name}: {ours}"


def test_errors_imports_nothing_of_ours() -> None:
    assert not {m for m in modules()["errors"] if m.startswith("jobdraft")}


def test_pure_modules_import_no_io_and_only_pure_modules_of_ours() -> None:
    found = modules()
    assert set(found) >= PURE, f"a pure module is gone: {sorted(PURE - set(found))}"
    for name in PURE:
        imported = found[name]
        io = [library for library in IO_MODULES if uses(imported, library)]
        assert not io, f"{name} is pure but imports {io}"
        ours = {m.split(".")[1] for m in imported if m.startswith("jobdraft.")}
        assert ours <= PURE, f"{name} is pure but imports {sorted(ours - PURE)}"


def test_only_fill_drives_the_wizard_loop() -> None:
    for name, imported in modules().items():
        if uses(imported, "jobdraft.wizard"):
            assert name in LOOP_USERS, f"{name} imports the wizard loop; use jobdraft.ports"


def test_only_the_wizard_and_its_adapters_import_the_ports() -> None:
    for name, imported in modules().items():
        if uses(imported, "jobdraft.ports"):
            assert name in PORT_USERS, f"{name} imports jobdraft.ports; only {sorted(PORT_USERS)}"
    # The terminal adapters implement the ports and never import the loop.
    for adapter in ("prompts", "wizard_view", "plain_prompts", "plain_display"):
        assert uses(modules()[adapter], "jobdraft.ports")
