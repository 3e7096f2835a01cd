"""Our shell scripts and the Typer hook that serves them.

Typer's own scripts miss three things we need (docs/completion.md says how): bash splits
words at ``=`` so ``--set experienceLevel=<TAB>`` completes file names; its
zsh file does nothing on the first TAB when autoloaded from ``$fpath``; and
empty answers fall back to file names in bash and zsh.  So each shell gets a
script of ours that sends the command line up to the cursor, and a
``ShellComplete`` class of ours that answers with a first line saying what to
do (``words``, ``nospace``, ``files``, ``dirs``) and then the candidates.

``register()`` puts both in place; ``cli.main`` calls it after building the
command, so that ``_JOBDRAFT_COMPLETE=source_<shell>``, ``complete_<shell>``,
``--show-completion`` and ``--install-completion`` all use them.  This module
is imported on every run: it only touches modules Typer has already loaded.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
from pathlib import Path
from typing import Any, ClassVar

from typer import _completion_shared
from typer._click.core import Parameter, ParameterSource
from typer._click.shell_completion import (
    CompletionItem,
    ShellComplete,
    _resolve_context,
    _resolve_incomplete,
    add_completion_class,
)
from typer.models import TyperPath

from jobdraft.completion import DEFAULT_WORDBREAKS, OFFERED, bash_word, one_line
from jobdraft.completion_table import GLOBAL_FLAGS, GLOBAL_VALUED
from jobdraft.inert import has_control, inert

PROG_NAME = "jobdraft"
COMPLETE_VAR = "_JOBDRAFT_COMPLETE"
SHELLS = ("bash", "zsh", "fish")


# A first line for each answer: what the shell script should do.
WORDS, NOSPACE, FILES, DIRS = "words", "nospace", "files", "dirs"
# A str option whose metavar says it takes a path completes file names.
PATH_METAVARS = frozenset({"PATH", "FILE"})

GENERATED = "Generated from the app by scripts/gen_completions.py: do not edit."

BASH_SCRIPT = """\
# bash completion for {prog}                                -*- shell-script -*-
# {generated}
# Install: copy to ~/.local/share/bash-completion/completions/{prog}
# (needs the bash-completion package), or source it from ~/.bashrc.

{func}() {{
    local line
    local -a reply=()
    # bash cuts words at '=' and ':'.  {prog} reads the line up to the cursor
    # and answers with what replaces the text after the last word break.
    while IFS= read -r line; do
        reply+=("$line")
    done < <(env {var}=complete_bash \\
        _TYPER_COMPLETE_ARGS="${{COMP_LINE:0:COMP_POINT}}" \\
        _JOBDRAFT_WORDBREAKS="${{COMP_WORDBREAKS-}}" \\
        "$1" 2>/dev/null)
    COMPREPLY=()
    case ${{reply[0]-}} in
        # File names in bash's own (sorted) order: nosort is for ids only.
        files) compopt -o default +o nosort 2>/dev/null || compopt -o default 2>/dev/null ;;
        dirs) compopt -o dirnames +o nosort 2>/dev/null || compopt -o dirnames 2>/dev/null ;;
        nospace | words)
            [[ ${{reply[0]}} == nospace ]] && compopt -o nospace 2>/dev/null
            # Quoted as printf %q quotes: a value from a server ('$(...)', ';',
            # a space) goes onto the line as text, never as shell syntax.  A
            # word of letters, digits and _,.:=@%+/- means the same quoted or
            # not, and stays as typed (%q would put a backslash before a comma).
            for line in "${{reply[@]:1}}"; do
                [[ -n $line ]] || continue
                if [[ $line == *[![:alnum:]_,.:=@%+/-]* ]]; then
                    printf -v line %q "$line"
                fi
                COMPREPLY+=("$line")
            done
            ;;
    esac
    return 0
}}

# -o nosort (bash 4.4+) keeps draft ids newest first.
complete -o nosort -F {func} {prog} 2>/dev/null || complete -F {func} {prog}
"""

ZSH_SCRIPT = """\
#compdef {prog}
# zsh completion for {prog}.
# {generated}
# Install: save as _{prog} in a folder of $fpath before compinit runs,
# or source it after compinit.

_{prog}() {{
  local -a reply specs
  local kind line value
  reply=("${{(@f)$({var}=complete_zsh _TYPER_COMPLETE_ARGS="${{words[1,CURRENT]}}" \\
    {prog} 2>/dev/null)}}")
  kind=${{reply[1]}}
  shift reply
  case $kind in
    (files) _files; return ;;
    (dirs) _files -/; return ;;
    (words|nospace) ;;
    (*) return 1 ;;
  esac
  (( ${{#reply}} )) || return 1
  # key=VALUE and --opt=VALUE: list the values alone, keep what comes before.
  local -i cut=${{#IPREFIX}}
  compset -P '*[=,]'
  cut=$(( ${{#IPREFIX}} - cut ))
  for line in "${{reply[@]}}"; do
    value=${{line%%$'\\t'*}}
    value=${{value[cut+1,-1]}}
    value=${{value//:/\\\\:}}
    if [[ $line == *$'\\t'* ]]; then
      specs+=("$value:${{line#*$'\\t'}}")
    else
      specs+=("$value")
    fi
  done
  if [[ $kind == nospace ]]; then
    _describe -V -t {prog} {prog} specs -M 'm:{{a-zA-Z}}={{A-Za-z}}' -S ''
  else
    _describe -V -t {prog} {prog} specs -M 'm:{{a-zA-Z}}={{A-Za-z}}'
  fi
}}

# Autoloaded from $fpath this file is the body of _{prog}: run it at once, so
# that the first TAB completes too.  Sourced, it registers the function.
if [[ $funcstack[1] == _{prog} ]]; then
  _{prog} "$@"
else
  compdef _{prog} {prog}
fi
"""

FISH_SCRIPT = """\
# fish completion for {prog}.
# {generated}
# Install: copy to ~/.config/fish/completions/{prog}.fish

function __{prog}_complete
    set -l reply (env {var}=complete_fish _TYPER_COMPLETE_ARGS=(commandline -cp) {prog} 2>/dev/null)
    set -l kind $reply[1]
    set -e reply[1]
    switch "$kind"
        case files
            __fish_complete_path (commandline -ct)
        case dirs
            __fish_complete_directories (commandline -ct)
        case words nospace
            printf '%s\\n' $reply
    end
end

complete --command {prog} --no-files --keep-order --arguments '(__{prog}_complete)'
"""

_TEMPLATES = {"bash": BASH_SCRIPT, "zsh": ZSH_SCRIPT, "fish": FISH_SCRIPT}


def script(shell: str, prog: str = PROG_NAME, complete_var: str = COMPLETE_VAR) -> str:
    """The completion script for ``shell``, as the files in ``completions/`` hold it."""
    func = "_" + "".join(c if c.isalnum() else "_" for c in prog) + "_completion"
    return _TEMPLATES[shell].format(prog=prog, var=complete_var, func=func, generated=GENERATED)


# -- answering a TAB ---------------------------------------------------------------------


def split_line(line: str) -> tuple[list[str], str]:
    """The words of a command line up to the cursor: complete ones, and the one being typed."""
    lex = shlex.shlex(line, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    words: list[str] = []
    open_quote = False
    try:
        words.extend(lex)
    except ValueError:  # an open quote or a trailing backslash: the word goes on
        words.append(lex.token)
        open_quote = True
    ends_word = bool(line) and line[-1].isspace() and not line.endswith("\\" + line[-1])
    if len(words) > 1 and (open_quote or not ends_word):
        return words[1:-1], words[-1]
    return words[1:], ""


class LineComplete(ShellComplete):
    """Reads the whole line up to the cursor; answers with a directive, then candidates."""

    name: ClassVar[str] = ""
    source_template: ClassVar[str] = ""

    def source_vars(self) -> dict[str, Any]:
        return {}

    def source(self) -> str:
        # echo adds the last newline back
        return script(self.name, self.prog_name, self.complete_var).rstrip("\n")

    def line(self) -> str:
        return os.environ.get("_TYPER_COMPLETE_ARGS", "")

    def get_completion_args(self) -> tuple[list[str], str]:
        return split_line(self.line())

    def collect(self, args: list[str], incomplete: str) -> tuple[str, list[CompletionItem]]:
        """What to do, and the candidates as whole words (``--opt=value`` included)."""
        ctx = _resolve_context(self.cli, self.ctx_args, self.prog_name, args)
        obj, value = _resolve_incomplete(ctx, args, incomplete)
        items = obj.shell_complete(ctx, value)
        if not isinstance(obj, Parameter) and value.startswith("-") and ctx.parent is not None:
            items.extend(global_options_after_command(ctx, value))
        offered = ctx.meta.pop(OFFERED, None)
        if isinstance(offered, list):  # our callback's own case-insensitive answer
            items = [CompletionItem(str(v)) for v in offered]
        # A value with a control character (from a server or a cache) is never
        # offered: no shell can be trusted to insert or show it harmlessly.
        items = [item for item in items if not has_control(str(item.value))]
        if isinstance(obj, Parameter):
            kind = path_kind(obj)
            if kind is not None and not items:
                return kind, []
        if value != incomplete and incomplete.startswith("-") and "=" in incomplete:
            prefix = incomplete.partition("=")[0] + "="
            items = [CompletionItem(prefix + item.value, help=item.help) for item in items]
        if items and all(str(item.value).endswith("=") for item in items):
            return NOSPACE, items
        return WORDS, items

    def complete(self) -> str:
        try:
            args, incomplete = self.get_completion_args()
            # An eager callback (--version) may print while the line is parsed.
            with contextlib.redirect_stdout(io.StringIO()):
                kind, items = self.collect(args, incomplete)
            lines = [kind, *(self.format_item(item, incomplete) for item in items)]
        except Exception:  # a TAB never shows a traceback: no answer instead
            return WORDS
        return "\n".join(lines)

    def format_item(self, item: CompletionItem, incomplete: str) -> str:
        value = one_line(str(item.value))
        if item.help:
            return f"{value}\t{inert(one_line(str(item.help)))}"
        return value

    def format_completion(self, item: CompletionItem) -> str:
        return self.format_item(item, "")


def global_options_after_command(ctx: Any, incomplete: str) -> list[CompletionItem]:
    """The global options matching ``incomplete``, offered after a command too.

    The app takes them after the command as before it (``cli_common`` moves
    them in front), so a TAB offers them there, as click offers a command's
    own: not one given already, not one the command has an option of its own
    for.
    """
    root = ctx.find_root()
    own = {name for param in ctx.command.params for name in getattr(param, "opts", ())}
    found: list[CompletionItem] = []
    for param in root.command.params:
        names = [name for name in param.opts if name in GLOBAL_FLAGS + GLOBAL_VALUED]
        if not names or getattr(param, "hidden", False):
            continue
        if root.get_parameter_source(param.name) is ParameterSource.COMMANDLINE:
            continue
        found.extend(
            CompletionItem(name, help=getattr(param, "help", None))
            for name in names
            if name.startswith(incomplete) and name not in own
        )
    return found


def path_kind(param: Parameter) -> str | None:
    if isinstance(param.type, TyperPath):
        return DIRS if not param.type.file_okay else FILES
    if getattr(param, "metavar", None) in PATH_METAVARS:
        return FILES
    return None


class BashComplete(LineComplete):
    """bash shows no descriptions, and replaces only the text after the last word break."""

    name = "bash"

    def format_item(self, item: CompletionItem, incomplete: str) -> str:
        wordbreaks = os.environ.get("_JOBDRAFT_WORDBREAKS") or DEFAULT_WORDBREAKS
        return bash_word(str(item.value), incomplete, self.line(), wordbreaks)


class ZshComplete(LineComplete):
    name = "zsh"


class FishComplete(LineComplete):
    name = "fish"


def install_fish(*, prog_name: str, complete_var: str, shell: str) -> Path:
    """As Typer's, but where fish looks: ``$XDG_CONFIG_HOME/fish``, not always ``~/.config``."""
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    path = Path(config_home) / "fish" / "completions" / f"{prog_name}.fish"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script("fish", prog=prog_name, complete_var=complete_var) + "\n")
    return path


def register() -> None:
    """Use our classes and scripts for bash, zsh and fish, from now on in this process."""
    _completion_shared.install_fish = install_fish
    for cls in (BashComplete, ZshComplete, FishComplete):
        add_completion_class(cls, cls.name)
    for shell in SHELLS:
        # Typer formats these with "%" for --show-completion and --install-completion.
        _completion_shared._completion_scripts[shell] = script(shell).replace("%", "%%")
