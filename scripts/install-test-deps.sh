#!/usr/bin/env bash
# Installs what the tool-based test suites need on a fresh Debian machine: nginx, xmllint,
# Chromium with CJK fonts, Java for the Nu HTML Checker, Hugo (the benchmark corpus
# generator's test builds its Hugo twin), Node.js and npm (when the machine has none), and
# the npm packages locked in tests/tools/package-lock.json. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
need_apt=()
command -v nginx >/dev/null || need_apt+=(nginx-light)
command -v xmllint >/dev/null || need_apt+=(libxml2-utils)
command -v chromium >/dev/null || need_apt+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
command -v java >/dev/null || need_apt+=(default-jre-headless)
command -v hugo >/dev/null || need_apt+=(hugo)
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi
if [ -f tests/tools/package.json ]; then
  (cd tests/tools && npm ci --no-audit --no-fund --silent)
fi
