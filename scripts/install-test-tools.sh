#!/bin/sh
# Installs, from Debian apt, the outside tools the tests compare the registry against: Go and
# golang.org/x/mod (sumdb/note, sumdb/tlog) for the Go interop test and the differential tar test,
# bsdtar (libarchive-tools) for the differential tar test, and Debian's Chromium (with a font) for
# the web UI's browser tests (test/e2e/web-browser.test.ts; never a browser download). Idempotent:
# installs only what is missing. Without apt the tests that need a tool say they skipped it, and why.
set -eu
MOD=/usr/share/gocode/src/golang.org/x/mod/sumdb/tlog
missing=""
command -v go >/dev/null 2>&1 && [ -d "$MOD" ] || missing="$missing golang-go golang-golang-x-mod-dev"
command -v bsdtar >/dev/null 2>&1 || missing="$missing libarchive-tools"
[ -x /usr/bin/chromium ] || missing="$missing chromium fonts-dejavu-core"
if [ -z "$missing" ]; then
  echo "install-test-tools: $(go version), golang.org/x/mod, $(bsdtar --version | head -n 1) and chromium already present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # the package list is meant to split
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
echo "install-test-tools: installed$missing"
