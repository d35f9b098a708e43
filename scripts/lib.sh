# Shell helpers shared by scripts/test, scripts/browser-test and scripts/fuzz.
# Sourced, not run: it defines functions and one variable (APT_UPDATED) and
# changes nothing else.

# shellcheck shell=bash

step() { printf '\n== %s ==\n' "$*"; }
note() { printf '%s\n' "$*"; }

# Runs a command as root: directly when we are root, else through sudo without
# a password prompt (CI has no terminal to answer one).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    echo "need root for: $*" >&2
    return 1
  fi
}

# Installs Debian packages; the package lists are fetched once per script.
APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

# Prints a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
  else
    node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
  fi
}
