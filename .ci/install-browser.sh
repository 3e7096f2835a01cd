#!/usr/bin/env bash
# Install Debian's chromium when it is missing: the web page tests drive it
# headless.  Idempotent and quiet, like install-shells.sh: nothing to do prints
# nothing; apt's output is shown only if it fails.  Debian/Ubuntu, as root, no
# stdin (DEBIAN_FRONTEND=noninteractive, -y).
set -euo pipefail

command -v chromium >/dev/null 2>&1 && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "install-browser: need root to install chromium (the web page tests use it)" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no apt-get; install chromium by hand" >&2
    exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Without recommends: a headless browser needs no desktop integration, and the
# recommended extras would triple the download.
if ! {
    DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium
} </dev/null >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-browser: could not install chromium" >&2
    exit 1
fi
echo "install-browser: installed chromium ($(chromium --version 2>/dev/null || echo 'version unknown'))"
