#!/usr/bin/env bash
# Idempotent set-up used by every `make` target: a virtualenv in .venv, fazhi installed
# into it (editable) with the requested extras, and the "fazhi" Jupyter kernel that the
# notebooks and papermill use. Re-running is cheap: pip only runs when pyproject.toml changes.
set -euo pipefail
cd "$(dirname "$0")/.."

extras="${1:-}"
venv=".venv"
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  echo "fazhi needs Python >= 3.10 (found: $("$python" --version 2>&1)). Set PYTHON=/path/to/python3." >&2
  exit 1
fi

# Debian's system Python ships venv without ensurepip until python3-venv is installed.
if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[setup] apt-get install python3-venv"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  else
    echo "fazhi needs Python's venv module: install it (Debian/Ubuntu: sudo apt-get install python3-venv)." >&2
    exit 1
  fi
fi

if [ ! -x "$venv/bin/python" ]; then
  echo "[setup] creating virtualenv $venv"
  "$python" -m venv "$venv"
fi

stamp="$venv/.fazhi-installed${extras:+-$extras}"
want="$(sha1sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "[setup] installing fazhi${extras:+[$extras]} into $venv (first run downloads the dependencies)"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".${extras:+[$extras]}"
  echo "$want" > "$stamp"
fi

# The kernel lives inside the virtualenv, so papermill and `make lab` find it without
# touching the user's global Jupyter set-up.
if [ ! -f "$venv/share/jupyter/kernels/fazhi/kernel.json" ]; then
  "$venv/bin/python" -m ipykernel install --sys-prefix --name fazhi --display-name "Python (fazhi)" >/dev/null
fi
