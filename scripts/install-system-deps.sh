#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Septet's build and tests need, when they are missing:
# Chromium (e2e tests and the browser-host app window), libsecret headers (keytar builds
# against them), gnome-keyring + dbus (a real Secret Service for the vault tests).
set -euo pipefail

packages=(chromium libsecret-1-dev gnome-keyring dbus dbus-daemon libnss3 fonts-dejavu-core)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

# Ubuntu names Debian's chromium package chromium-browser.
if ! apt-cache show chromium >/dev/null 2>&1 && apt-cache show chromium-browser >/dev/null 2>&1; then
  missing=("${missing[@]/#chromium/chromium-browser}")
fi

cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive "${cmd[@]}"
  else
    echo "missing system packages: ${missing[*]}" >&2
    echo "run as root: apt-get update && ${cmd[*]}" >&2
    exit 1
  fi
else
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${cmd[@]}"
fi
echo "system packages: installed ${missing[*]}"
