#!/usr/bin/env bash
# Install what the completion tests drive, when it is missing: bash-completion,
# zsh and fish (tests/completion/test_completion_shells.py skips a shell that is
# not installed, so CI must have them all).  Idempotent and quiet: nothing to do
# prints nothing; apt's output is shown only if it fails.  Debian/Ubuntu, as root.
set -euo pipefail

missing=()
[ -f /usr/share/bash-completion/bash_completion ] || missing+=(bash-completion)
command -v zsh >/dev/null 2>&1 || missing+=(zsh)
command -v fish >/dev/null 2>&1 || missing+=(fish)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "install-shells: need root to install ${missing[*]} (the completion tests use them)" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-shells: no apt-get; install ${missing[*]} by hand" >&2
    exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! {
    DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
} >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-shells: could not install ${missing[*]}" >&2
    exit 1
fi
echo "install-shells: installed ${missing[*]}"
