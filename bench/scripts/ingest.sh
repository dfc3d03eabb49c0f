#!/usr/bin/env bash
# Ingest speed of one collector node on loopback: flow records/s decoded and delivered to the cluster's ingest
# pipeline with zero loss, for TLV over ZeroMQ and NetFlow v9 over UDP, beside nfcapd taking the same NetFlow
# stream in the same run. See bench/README.md.
#   bash bench/scripts/ingest.sh [FLOWS] [RATES]
# FLOWS: records per run (default 1000000). RATES: datagrams/s steps for UDP (default "20000 40000 80000 0", 0 = unpaced).
set -euo pipefail
cd "$(dirname "$0")/../.."
FLOWS=${1:-1000000}
RATES=${2:-"20000 40000 80000 0"}
OUT=.build/bench/ingest
mkdir -p "$OUT"
dotnet build -c Release -v q src/Collector.Node/Collector.Node.csproj >/dev/null
dotnet build -c Release -v q tools/IngestSender/IngestSender.csproj >/dev/null
COLLECTOR=src/Collector.Node/bin/Release/net10.0/flowhive-collector
SENDER=tools/IngestSender/bin/Release/net10.0/flowhive-ingest-sender
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# Starts a collector with one -i; waits for /health. Sets CPID and HTTP.
start_collector() {
  HTTP=$(free_port)
  rm -rf "$OUT/data"; mkdir -p "$OUT/data"
  "$COLLECTOR" -i "$1" -w "127.0.0.1:$HTTP" -d "$OUT/data" -v 1 >"$OUT/collector.log" 2>&1 &
  CPID=$!; PIDS+=("$CPID")
  for _ in $(seq 1 300); do curl -sf "127.0.0.1:$HTTP/health" >/dev/null && return 0; sleep 0.1; done
  echo "collector did not start" >&2; cat "$OUT/collector.log" >&2; exit 1
}

# Waits until the pipeline's flow count stops growing; prints "<flows> <seconds since $1> <drops json>".
settle() {
  local start=$1
  local last=-1 flows=0 same=0 t=$1
  while :; do
    local json; json=$(curl -sf "127.0.0.1:$HTTP/api/v1/interfaces/0")
    flows=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["zmqRecvStats"]["flows"])' "$json")
    if [ "$flows" = "$last" ]; then same=$((same+1)); else same=0; t=$(now); fi
    [ "$flows" -ge "$EXPECTED" ] && { t=$(now); break; }
    [ $same -ge 30 ] && break
    last=$flows; sleep 0.1
  done
  local drops; drops=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); n=d.get("netflowRecvStats"); print(json.dumps({"zmq_msg_drops": d["zmqRecvStats"]["zmq_msg_drops"], **({"netflow": n["netflow"]["drops"]} if n else {})}))' "$json")
  echo "$flows $(echo "$t - $start" | bc -l) $drops"
}

report() { # name flows seconds extra
  python3 - "$1" "$2" "$3" "$4" "$EXPECTED" <<'PY'
import sys
name, flows, seconds, extra, total = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], int(sys.argv[5])
loss = "NO LOSS" if flows == total else f"LOSS {total - flows}"
print(f"{name:34s} {flows:>9d}/{total} flows {seconds:7.2f} s {flows / seconds:>10,.0f} flows/s  {loss}  {extra}")
PY
}

echo "machine: $(nproc) cores, shared with other work; net.core.rmem_max=$(sysctl -n net.core.rmem_max); flows per run: $FLOWS"

# TLV over ZeroMQ: the sender binds (as nProbe), the collector connects.
EXPECTED=$FLOWS
ZPORT=$(free_port)
start_collector "tcp://127.0.0.1:$ZPORT"
"$SENDER" zmq "tcp://127.0.0.1:$ZPORT" "$FLOWS" >"$OUT/sender.log" &
SPID=$!; sleep 3; START=$(now)   # the sender waits 3 s for the subscriber, then sends
read -r F S D < <(settle "$START"); wait $SPID || true
report "flowhive TLV/ZMQ" "$F" "$S" "$D"
kill $CPID; wait $CPID 2>/dev/null || true

# NetFlow v9 over UDP, stepped rates: the collector, then nfcapd, each fed the same pre-encoded datagrams.
# nProbe's default template has no OUT_ counters: each direction of a flow is its own record.
EXPECTED=$((FLOWS * 2))
for RATE in $RATES; do
  UPORT=$(free_port)
  start_collector "udp://127.0.0.1:$UPORT"
  START=$(now)
  "$SENDER" netflow "127.0.0.1:$UPORT" "$FLOWS" "$RATE" >"$OUT/sender.log"
  read -r F S D < <(settle "$START")
  report "flowhive NetFlow v9 @ ${RATE:-0} dg/s" "$F" "$S" "$D $(cat "$OUT/sender.log")"
  kill $CPID; wait $CPID 2>/dev/null || true

  NPORT=$(free_port); rm -rf "$OUT/nfcapd"; mkdir -p "$OUT/nfcapd"
  nfcapd -p "$NPORT" -b 127.0.0.1 -w "$OUT/nfcapd" -B 4194304 >"$OUT/nfcapd.log" 2>&1 &
  NPID=$!; PIDS+=("$NPID"); sleep 1
  START=$(now)
  "$SENDER" netflow "127.0.0.1:$NPORT" "$FLOWS" "$RATE" >"$OUT/sender.log"
  # nfcapd has read everything when its socket's receive queue is empty.
  HEXPORT=$(printf '%04X' "$NPORT")
  while awk -v p="0100007F:$HEXPORT" '$2==p && $5!~/:00000000$/ {found=1} END {exit !found}' /proc/net/udp; do sleep 0.05; done
  END=$(now); kill -TERM $NPID; wait $NPID 2>/dev/null || true
  NF=$(nfdump -R "$OUT/nfcapd" -I | awk -F': ' '$1=="Flows" {print $2}')
  report "nfcapd NetFlow v9 @ ${RATE:-0} dg/s" "${NF:-0}" "$(echo "$END - $START" | bc -l)" ""
done
