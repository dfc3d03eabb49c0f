#!/usr/bin/env bash
# Installs the Debian packages Flowhive needs, only those missing.
#   scripts/deps.sh run    what the probe and collector need to build and run: libpcap, and nDPI (--dpi ndpi):
#                          libndpi4.2 plus its headers, gcc and the C library headers, because the probe's
#                          nDPI shim is compiled against the installed headers at build time
#   scripts/deps.sh test   plus what the tests use: tshark (independent capture totals), PostgreSQL,
#                          nfdump (nfcapd/nfdump: a NetFlow collector independent of Flowhive), softflowd
#                          (a NetFlow v5/v9/IPFIX exporter reading capture files), nfdump-sflow (sfcapd) and
#                          pmacct (pmacctd's sfprobe: an sFlow v5 exporter reading capture files),
#                          libndpi-bin (ndpiReader: nDPI's own reader, the reference for --list-protocols),
#                          iproute2, iptables and curl (network-namespace tests of the ZeroMQ directions),
#                          fprobe (a live-capture NetFlow v5 probe) and tcpreplay (replays the sample capture onto
#                          a veth in a test's network namespace for fprobe to capture)
set -euo pipefail

want=(libpcap0.8 libndpi4.2 libndpi-dev gcc libc6-dev)
if [ "${1:-run}" = "test" ]; then
  want+=(tshark postgresql nfdump libndpi-bin iproute2 iptables curl softflowd nfdump-sflow pmacct fprobe tcpreplay)
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "deps.sh: missing Debian packages ${missing[*]}; run as root or install them with apt-get" >&2; exit 1; fi
else
  SUDO=
fi

echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections 2>/dev/null || true
$SUDO apt-get update -qq >/dev/null || true
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
