"""The editor path with fake editors: shell scripts this test writes and names in $EDITOR.

Each script does what a person would do in the editor (write text, leave it,
empty it, give up) and records what it was given, so that the file's name,
mode and content are checked as the editor saw them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from jobdraft.editor import EditorMissing, EditRefused, edit_text, editor_command
from jobdraft.errors import ExitCode


def script(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def env_with(**values: str) -> dict[str, str]:
    return {"PATH": os.environ["PATH"], "TERM": "xterm", **values}


def test_the_text_written_in_the_editor_comes_back(tmp_path: Path) -> None:
    log = tmp_path / "log"
    writer = script(
        tmp_path,
        "writer",
        f'echo "$1" > {log}\nstat -c %a "$1" >> {log}\ncat "$1" >> {log}\n'
        'printf "Label 500 photos.\\n\\nBoxes around cars.\\n\\n" > "$1"\n',
    )
    text = edit_text("Label photos", what="the description", env=env_with(EDITOR=str(writer)))
    assert text == "Label 500 photos.\n\nBoxes around cars."  # trailing blank lines trimmed
    name, mode, content = log.read_text().split("\n", 2)
    assert name.endswith(".md")
    assert mode == "600"
    assert content == "Label photos\n"  # the text so far was in the file
    assert not Path(name).exists()  # removed after


def test_an_editor_setting_with_arguments_is_split_like_a_shell(tmp_path: Path) -> None:
    log = tmp_path / "log"
    writer = script(tmp_path, "my editor", f'echo "$1" > {log}\nprintf "new text" > "$2"\n')
    command = f"'{writer}' --wait"
    assert editor_command(env_with(EDITOR=command)).argv == [str(writer), "--wait"]
    assert edit_text(env=env_with(EDITOR=command)) == "new text"
    assert log.read_text() == "--wait\n"


def test_an_unchanged_buffer_is_refused(tmp_path: Path) -> None:
    keeper = script(tmp_path, "keeper", "exit 0\n")
    with pytest.raises(EditRefused) as caught:
        edit_text("Label photos", what="the description", env=env_with(EDITOR=str(keeper)))
    assert caught.value.message == "the description is unchanged: nothing was edited"
    assert caught.value.exit_code == ExitCode.USAGE


def test_an_empty_buffer_is_refused(tmp_path: Path) -> None:
    emptier = script(tmp_path, "emptier", ': > "$1"\n')
    with pytest.raises(EditRefused, match="the description is empty"):
        edit_text("Label photos", what="the description", env=env_with(EDITOR=str(emptier)))
    keeper = script(tmp_path, "keeper", "exit 0\n")
    with pytest.raises(EditRefused, match="the text is empty"):
        edit_text("", env=env_with(EDITOR=str(keeper)))  # nothing to start from, nothing written


def test_an_editor_that_fails_is_refused_and_its_file_removed(tmp_path: Path) -> None:
    log = tmp_path / "log"
    quitter = script(tmp_path, "quitter", f'echo "$1" > {log}\nprintf "half" > "$1"\nexit 1\n')
    with pytest.raises(EditRefused, match="exited with status 1"):
        edit_text("", env=env_with(EDITOR=str(quitter)))
    assert not Path(log.read_text().strip()).exists()


def test_visual_comes_before_editor_except_on_a_dumb_terminal(tmp_path: Path) -> None:
    both = {"VISUAL": "vis", "EDITOR": "ed --plain"}
    assert editor_command(env_with(**both)).argv == ["vis"]
    assert editor_command(env_with(TERM="dumb", **both)).argv == ["ed", "--plain"]
    blank_visual = editor_command(env_with(VISUAL="  ", EDITOR="ed"))
    assert (blank_visual.argv, blank_visual.source) == (["ed"], "$EDITOR")


def test_without_a_setting_the_system_editor_then_nano_then_vi(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    env = {"PATH": str(bin_dir), "TERM": "xterm"}
    with pytest.raises(EditorMissing, match="no editor found") as caught:
        editor_command(env)
    assert caught.value.hint is not None and "EDITOR" in caught.value.hint
    script(bin_dir, "vi", "exit 0\n")
    assert editor_command(env).argv == ["vi"]
    script(bin_dir, "nano", "exit 0\n")
    assert editor_command(env).argv == ["nano"]
    script(bin_dir, "editor", "exit 0\n")
    assert editor_command(env).argv == ["editor"]
    assert editor_command(env).source == "the default editor"


def test_a_dumb_terminal_without_editor_is_refused_rather_than_given_nano(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script(bin_dir, "nano", "exit 0\n")
    with pytest.raises(EditorMissing, match=r"TERM=dumb\) and \$EDITOR is not set"):
        editor_command({"PATH": str(bin_dir), "TERM": "dumb", "VISUAL": "nano"})


def test_a_missing_editor_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EditorMissing) as caught:
        edit_text("x", env=env_with(VISUAL=str(tmp_path / "no-such-editor")))
    assert "no-such-editor" in caught.value.message
    assert "(from $VISUAL) is not installed or not on PATH" in caught.value.message


def test_an_editor_setting_that_is_not_a_command_is_refused() -> None:
    with pytest.raises(EditorMissing, match=r"\$EDITOR cannot be read as a command"):
        editor_command(env_with(EDITOR="code 'unclosed"))


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    latin = script(tmp_path, "latin", 'printf "caf\\351" > "$1"\n')
    with pytest.raises(EditRefused, match="not UTF-8"):
        edit_text("", env=env_with(EDITOR=str(latin)))


def test_a_file_the_editor_made_private_stays_private(tmp_path: Path) -> None:
    # The temporary file is private from its first byte, whatever the umask.
    log = tmp_path / "log"
    writer = script(tmp_path, "writer", f'stat -c %a "$1" > {log}\nprintf "x y" > "$1"\n')
    old = os.umask(0)
    try:
        edit_text("", env=env_with(EDITOR=str(writer)))
    finally:
        os.umask(old)
    assert stat.S_IMODE(int(log.read_text().strip(), 8)) == 0o600
