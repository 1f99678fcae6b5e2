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
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# The bench starts nginx itself, with a configuration of its own: the package's service must not
# start (Debian's policy-rc.d, exit 101: no service starts during this install).
policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  policy=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
fi
status=0
$SUDO apt-get update -qq || status=$?
# shellcheck disable=SC2086 # the package list is meant to split
[ "$status" -ne 0 ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing || status=$?
[ -z "$policy" ] || $SUDO rm -f "$policy"
[ "$status" -eq 0 ] || exit "$status"
echo "install-bench-tools: installed$missing"
