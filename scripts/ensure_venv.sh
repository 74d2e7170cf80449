#!/usr/bin/env bash
# Debian's python3 comes without venv/ensurepip: install python3-venv when root, else say how.
set -euo pipefail
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
else
  echo "Python's venv module is missing: run 'sudo apt-get install python3-venv' and try again." >&2
  exit 1
fi
