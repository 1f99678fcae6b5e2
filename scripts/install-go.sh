#!/bin/sh
# Installs Go and golang.org/x/mod (sumdb/note, sumdb/tlog) from Debian apt, for the Go interop
# test (test/e2e/go-interop.test.ts). Idempotent: does nothing when both are already present.
set -eu
MOD=/usr/share/gocode/src/golang.org/x/mod/sumdb/tlog
if command -v go >/dev/null 2>&1 && [ -d "$MOD" ]; then
  echo "install-go: $(go version) and golang.org/x/mod already present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends golang-go golang-golang-x-mod-dev
echo "install-go: $(go version) installed; x/mod at /usr/share/gocode/src/golang.org/x/mod"
