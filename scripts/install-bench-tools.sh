#!/bin/sh
# Installs, from Debian apt, the outside tools `npm run bench:peers` measures with and against:
# wrk (the load generator: autocannon, in Node, cannot take large bodies fast enough to measure
# a file server — on this kind of machine it capped every server near 70 MB/s on 1 MiB
# downloads) and nginx (the static file server of the 10 MB baseline). Idempotent: installs only
# what is missing. Without apt the bench says so and falls back to autocannon and a Node static
# server, and its download ratios then measure the load generator, not the servers.
set -eu
missing=""
[ -x /usr/bin/wrk ] || [ -x /usr/local/bin/wrk ] || missing="$missing wrk"
[ -x /usr/sbin/nginx ] || [ -x /usr/bin/nginx ] || missing="$missing nginx-light"
if [ -z "$missing" ]; then
  echo "install-bench-tools: wrk and nginx already present"
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || { echo "install-bench-tools: no apt-get here" >&2; exit 1; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# The bench starts nginx itself, with a configuration of its own: the package's service must not
# start. Debian's policy-rc.d (exit 101) says so for this install, written only where none is
# (nor a link) and removed on any exit; a policy-rc.d already there decides as it always does.
policy=""
if [ ! -e /usr/sbin/policy-rc.d ] && [ ! -L /usr/sbin/policy-rc.d ]; then
  policy=/usr/sbin/policy-rc.d
  trap '$SUDO rm -f "$policy"' EXIT
  trap 'exit 130' INT TERM
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
fi
# An unreachable mirror fails in seconds, not minutes: the bench then falls back.
apt="-o Acquire::Retries=0 -o Acquire::http::Timeout=20"
# shellcheck disable=SC2086 # the option and package lists are meant to split
$SUDO apt-get $apt update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get $apt install -y -qq --no-install-recommends $missing
echo "install-bench-tools: installed$missing"
