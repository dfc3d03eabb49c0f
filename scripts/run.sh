#!/usr/bin/env bash
# Builds Flowhive and runs it on this machine: one collector (embedded SQLite store) and one probe feeding
# it over ZeroMQ, the probe binding and the collector connecting as with nProbe and ntopng.
#
#   scripts/run.sh                  the probe replays samples/sample.pcap in a loop at its own pace
#   scripts/run.sh -i eth0          the probe captures eth0 live instead (needs root)
#
# Options: -i IFACE   -w HTTP_PORT (3000)   -z ZMQ_PORT (5556)   -d DATA_DIR (.build/run/data)
# Stop with Ctrl-C.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

iface=""; http=3000; zmq=5556; data="$root/.build/run/data"
while getopts "i:w:z:d:h" opt; do
  case $opt in
    i) iface=$OPTARG ;; w) http=$OPTARG ;; z) zmq=$OPTARG ;; d) data=$OPTARG ;;
    *) sed -n '2,10p' "$0"; exit 2 ;;
  esac
done

scripts/deps.sh run
echo "building (Release)..." >&2
dotnet build src/Collector.Node/Collector.Node.csproj -c Release -v quiet -nologo >/dev/null
dotnet build src/Probe.Node/Probe.Node.csproj -c Release -v quiet -nologo >/dev/null
collector="$root/src/Collector.Node/bin/Release/net10.0/flowhive-collector"
probe="$root/src/Probe.Node/bin/Release/net10.0/flowhive-probe"

mkdir -p "$data"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

"$collector" -i "tcp://127.0.0.1:$zmq" -w "$http" -d "$data" --flush-interval 10 &
pids+=($!)

if [ -n "$iface" ]; then
  "$probe" -i "$iface" --zmq "tcp://127.0.0.1:$zmq" -d 15 -t 60 --dpi ndpi &
else
  # Paced at the file's own speed and looped, so the pages stay alive; timestamps follow the wall clock.
  "$probe" -i "$root/samples/sample.pcap" --replay-speed 1x --replay-loop 0 --zmq "tcp://127.0.0.1:$zmq" -d 15 -t 60 --dpi ndpi &
fi
pids+=($!)

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$http/health" >/dev/null 2>&1 && break
  sleep 0.5
done
echo
echo "Flowhive is running: open http://localhost:$http/  (Ctrl-C stops it)"
echo
wait -n "${pids[@]}"
