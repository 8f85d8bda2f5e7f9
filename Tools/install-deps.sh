#!/usr/bin/env bash
# Installs, only when missing, the Debian packages Amana builds and tests with.
# Idempotent: prints nothing when everything is already there.
set -euo pipefail

# libsodium: all cryptography. libsqlite3: the embedded store (GRDB links the system SQLite).
# libyaml: definition files. ncursesw: the TUI. tmux: drives the TUI in end-to-end tests.
packages=(pkg-config libsodium-dev libsqlite3-dev libyaml-dev libncurses-dev tmux)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-deps: need root to install: ${missing[*]}. Run as root or install them with apt-get." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get update -qq >/dev/null; then
  echo "install-deps: 'apt-get update' failed; cannot install ${missing[*]} (is the package mirror reachable?)" >&2
  exit 1
fi
if ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "install-deps: 'apt-get install ${missing[*]}' failed; install them by hand and run again." >&2
  exit 1
fi
