#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a fresh, unlocked gnome-keyring (its
# files in a temp dir), so keytar talks to a real Secret Service, headless.
# Already inside one (SEPTET_KEYRING=1)? Just run the command.
set -euo pipefail
if [ "${SEPTET_KEYRING:-}" = "1" ]; then exec "$@"; fi
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export SEPTET_KEYRING_HOME="$keyring_home"
dbus-run-session -- bash -c '
  echo -n septet-test | XDG_DATA_HOME="$SEPTET_KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  export SEPTET_KEYRING=1
  exec "$@"
' with-keyring "$@" 2> >(grep -v -e "Failed to set fd limit" -e "SystemPrompter" -e "cannot open display" >&2)
