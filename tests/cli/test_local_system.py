"""What the machine refuses: no home folder, a config folder that cannot be
written, a disk that is full.  Each is run as a user meets it, with the real
binary in a process of its own (a user id with no passwd entry, root without
its power to write anywhere, a file size limit of zero), and each ends in
exit 2 with a message naming the file, never in "unexpected error", and never
with a half-written credentials file.
"""

from __future__ import annotations

import ctypes
import json
import os
import pwd
import resource
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.cli.served import JOBDRAFT, Served, serve

pytestmark = pytest.mark.timeout(60)

IS_ROOT = os.geteuid() == 0
XDG_HOMES = ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


def unknown_uid() -> int:
    """A user id with no entry in the password database."""
    for uid in range(54321, 54400):
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid
    raise AssertionError("no free user id")


def as_unknown_user(uid: int) -> Callable[[], None]:
    """The real user id becomes ``uid`` (what ``os.getuid`` and the passwd lookup see);
    the effective one stays root, so the interpreter under /root can still be read."""

    def switch() -> None:
        os.setresuid(uid, 0, 0)

    return switch


PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3


def bound_by_permissions() -> None:
    """Root obeys file modes, as any user does: its override capabilities are dropped."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def can_drop_capabilities() -> bool:
    try:
        subprocess.run(["true"], preexec_fn=bound_by_permissions, check=True, timeout=10)
    except (subprocess.SubprocessError, OSError):
        return False
    return True


def no_bigger_files() -> None:
    # As a full disk does, every write past 0 bytes fails (EFBIG: Python ignores SIGXFSZ).
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with serve() as server:
        yield server


def jobdraft(
    *args: str,
    env: dict[str, str],
    preexec: Callable[[], None] | None = None,
    cwd: Path | None = None,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [JOBDRAFT, *args],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "COLUMNS": "200", **env},
        preexec_fn=preexec,
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )


def assert_refused(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert "unexpected error" not in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not IS_ROOT, reason="needs root to run as a user id with no passwd entry")
def test_no_home_and_no_passwd_entry_is_a_clear_refusal_and_xdg_folders_work(
    served: Served, tmp_path: Path
) -> None:
    uid = unknown_uid()
    server = {"OT_API_TOKEN": served.token, "OT_API_BASE_URL": served.origin}
    here = tmp_path / "cwd"
    here.mkdir()
    result = jobdraft("list", env=server, preexec=as_unknown_user(uid), cwd=here)
    assert_refused(
        result, "cannot tell where your home folder is", "HOME is not set", f"user id {uid}"
    )
    assert "set HOME" in result.stderr
    relative = jobdraft("list", env={**server, "HOME": "."}, preexec=as_unknown_user(uid), cwd=here)
    assert_refused(relative, "HOME is not an absolute path")

    assert list(here.iterdir()) == []  # nothing written under the current folder
    xdg = {name: str(tmp_path / name.lower()) for name in XDG_HOMES}
    listed = jobdraft("list", "--json", env={**server, **xdg}, preexec=as_unknown_user(uid))
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["jobs"] == []
    login = jobdraft(
        "auth", "login", env={**server, **xdg}, preexec=as_unknown_user(uid), input=served.token
    )
    assert login.returncode == 0, login.stderr
    saved = Path(xdg["XDG_CONFIG_HOME"]) / "opentrain" / "cli.json"
    assert json.loads(saved.read_text()) == {"apiToken": served.token, "baseUrl": served.origin}
    assert saved.stat().st_mode & 0o777 == 0o600


def test_login_and_logout_in_a_read_only_config_folder_are_exit_2(tmp_path: Path) -> None:
    # Root writes anywhere: as root, the commands run without that power.
    preexec = bound_by_permissions if IS_ROOT else None
    if preexec is not None and not can_drop_capabilities():
        pytest.skip("root here cannot give up its override capabilities (no CAP_SETPCAP)")
    home = tmp_path / "home"
    config_dir = home / ".config" / "opentrain"
    config_dir.mkdir(parents=True)
    env = {"HOME": str(home)}
    config_dir.chmod(0o555)
    login = jobdraft("auth", "login", "--no-verify", env=env, preexec=preexec, input="ot_pat_a_b")
    assert_refused(login, f"cannot save the login in {config_dir / 'cli.json'}", "denied")
    assert list(config_dir.iterdir()) == []

    config_dir.chmod(0o755)
    path = config_dir / "cli.json"
    content = json.dumps({"apiToken": "ot_pat_a_b", "baseUrl": "https://app.opentrain.ai"})
    path.write_text(content)
    path.chmod(0o644)  # readable, so logout gets as far as removing it
    config_dir.chmod(0o555)
    logout = jobdraft("auth", "logout", env=env, preexec=preexec)
    assert_refused(logout, f"cannot remove {path}", "denied", "check that")
    assert path.read_text() == content


def test_a_full_disk_leaves_the_credentials_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "config" / "opentrain" / "cli.json"
    path.parent.mkdir(parents=True)
    content = json.dumps({"apiToken": "ot_pat_old_x", "claimToken": "ot_clm_y"})
    path.write_text(content)
    path.chmod(0o600)
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    login = jobdraft(
        "auth", "login", "--no-verify", env=env, preexec=no_bigger_files, input="ot_pat_new_z"
    )
    assert_refused(login, f"cannot save the login in {path}", "File too large")
    # Logout keeps the claim, so it rewrites the file: that fails the same way.
    logout = jobdraft("auth", "logout", env=env, preexec=no_bigger_files)
    assert_refused(logout, f"cannot rewrite {path}", "File too large")
    assert path.read_text() == content
    assert sorted(p.name for p in path.parent.iterdir()) == ["cli.json"]  # no temporary file
