#!/usr/bin/env bash
# Headless Chromium and a CJK font for the end-to-end browser test (Debian packages).
# Without root and without Chromium the browser test is skipped locally; in CI it fails.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "[setup] apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
elif sudo -n true 2>/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  sudo -n apt-get update -qq >/dev/null
  sudo -n apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "[setup] not root: install ${need[*]} yourself to run the browser test" >&2
fi
