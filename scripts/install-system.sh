#!/usr/bin/env bash
# Debian packages Greenlight needs beyond Node: chromium (browser tests, playwright-core
# drives the system build since browser downloads are impossible here), fonts-dejavu-core
# (fonts Chromium renders the portal with, and the proof watermark), poppler-utils (pdfinfo and
# pdftoppm: proof rendering) and qpdf (tests make an encrypted PDF with it).
# apt-get update runs only when something is missing; without root this only explains.
set -euo pipefail

packages=(chromium fonts-dejavu-core poppler-utils qpdf)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "[system] not a Debian-like system: please install ${missing[*]} yourself (browser tests need Chromium)." >&2
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "[system] missing ${missing[*]}; not root, so skipping. Run: sudo apt-get install -y ${missing[*]}" >&2
    exit 0
  fi
else
  as_root=()
fi

echo "[system] installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
