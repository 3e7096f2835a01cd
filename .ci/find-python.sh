#!/usr/bin/env bash
# Print the path of a Python X.Y interpreter (the version is the one argument),
# or print nothing and exit 1 if this machine has none.  CI cannot download a
# Python, so it looks where one may already be: pyenv (its command, or its
# versions folder when pyenv is not on PATH), then pythonX.Y on PATH.  A found
# interpreter is asked its version, so a stale shim or a broken build is not
# taken for the real thing.
set -euo pipefail

want=${1:?usage: find-python.sh X.Y}

is_wanted() {
    [ -x "$1" ] &&
        [ "$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$want" ]
}

candidates=()
if command -v pyenv >/dev/null 2>&1; then
    prefix=$(pyenv prefix "$want" 2>/dev/null | head -n 1 || true)
    [ -n "$prefix" ] && candidates+=("$prefix/bin/python$want")
fi
# Newest patch release first: sort -V orders 3.10.9 before 3.10.13.
while IFS= read -r dir; do
    candidates+=("$dir/bin/python$want")
done < <(ls -d "${PYENV_ROOT:-$HOME/.pyenv}/versions/$want".* 2>/dev/null | sort -rV)
if found=$(command -v "python$want" 2>/dev/null); then
    candidates+=("$found")
fi

for python in "${candidates[@]}"; do
    if is_wanted "$python"; then
        echo "$python"
        exit 0
    fi
done
exit 1
