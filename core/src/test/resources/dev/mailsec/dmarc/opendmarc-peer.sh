#!/bin/bash
# Runs opendmarc's cases for DmarcPeerInteropTest inside `unshare --net --mount --pid --fork`:
# a loopback of its own where dnsmasq answers on port 53, and a private bind mount of
# /etc/resolv.conf, so opendmarc's libresolv asks the test's zone and the host's resolver is
# untouched. When this script (PID 1 of the namespace) ends, every process in it ends too.
set -euo pipefail
dir=$1
ip link set lo up
mount --bind "$dir/resolv.conf" /etc/resolv.conf
mapfile -t zone < "$dir/zone.args"
dnsmasq --no-daemon --port=53 --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
  --conf-file=/dev/null --pid-file="$dir/peer-dnsmasq.pid" --log-queries \
  --log-facility="$dir/peer-dnsmasq.log" "${zone[@]}" &
dns=$!
trap 'kill $dns; wait $dns || true' EXIT
for _ in $(seq 1 200); do
  grep -q started "$dir/peer-dnsmasq.log" 2>/dev/null && break
  sleep 0.05
done
miltertest -s "$dir/cases.lua"
