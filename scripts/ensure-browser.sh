#!/usr/bin/env bash
# Make sure Debian's Chromium is installed for the browser tests (tests/ui):
# Playwright drives /usr/bin/chromium and never downloads a browser of its own.
# Quiet and idempotent: does nothing when it is already there.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
export DEBIAN_FRONTEND=noninteractive

if [ ! -x /usr/bin/chromium ]; then
    echo "installing chromium" >&2
    if ! $SUDO apt-get install -y -qq chromium >/dev/null 2>&1; then
        $SUDO apt-get update -qq >/dev/null
        $SUDO apt-get install -y -qq chromium >/dev/null
    fi
fi
