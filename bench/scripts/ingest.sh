#!/usr/bin/env bash
# Ingest speed of one collector node on loopback: flow records/s decoded and delivered to the cluster's interface
# state with zero loss, for TLV over ZeroMQ and NetFlow v9 over UDP, beside nfcapd (nfdump) and nfacctd (pmacct)
# taking the same NetFlow stream in the same run. See bench/README.md.
#   [FLOWHIVE_BENCH_NODES=3] [FLOWHIVE_BENCH_ONLY=tlv] bash bench/scripts/ingest.sh [FLOWS] [RATES] [WARMUP]
# FLOWS: measured flows per run (default 1000000). RATES: datagrams/s steps for UDP (default "20000 40000 60000 80000 0",
# 0 = unpaced). WARMUP: flows every receiver takes first, untimed (default 500000), so that the collector's hot paths
# run the runtime's optimised code, as they do minutes after start; the clock starts when the warm-up is all in.
set -euo pipefail
cd "$(dirname "$0")/../.."
FLOWS=${1:-1000000}
RATES=${2:-"20000 40000 60000 80000 0"}
WARMUP=${3:-500000}
NODES=${FLOWHIVE_BENCH_NODES:-1}   # collector nodes: 1, or 3 for the ingest node plus two state nodes
ONLY=${FLOWHIVE_BENCH_ONLY:-}      # "tlv": skip the NetFlow steps
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

# Starts a collector with one -i; waits for /health. Sets CPID and HTTP. With NODES > 1, also starts NODES - 1
# state-only nodes that join it (their own SQLite checkpoint stores) and waits for all to be up: the host entities
# then spread over the nodes, and every host delta but a third crosses the cluster.
start_collector() {
  HTTP=$(free_port); local cport; cport=$(free_port)
  rm -rf "$OUT"/data*; mkdir -p "$OUT/data"
  "$COLLECTOR" -i "$1" -w "127.0.0.1:$HTTP" -d "$OUT/data" --cluster-port "$cport" -v 1 >"$OUT/collector.log" 2>&1 &
  CPID=$!; PIDS+=("$CPID"); EXTRA=()
  for _ in $(seq 1 300); do curl -sf "127.0.0.1:$HTTP/health" >/dev/null && break; sleep 0.1; done
  curl -sf "127.0.0.1:$HTTP/health" >/dev/null || { echo "collector did not start" >&2; cat "$OUT/collector.log" >&2; exit 1; }
  for n in $(seq 2 "$NODES"); do
    mkdir -p "$OUT/data$n"
    "$COLLECTOR" --cluster-roles state,writer --seed-nodes "127.0.0.1:$cport" -w "127.0.0.1:$(free_port)" -d "$OUT/data$n" -v 1 >"$OUT/collector$n.log" 2>&1 &
    EXTRA+=($!); PIDS+=($!)
  done
  for _ in $(seq 1 600); do
    [ "$(curl -sf "127.0.0.1:$HTTP/api/v1/cluster" | grep -o '"status":"up"' | wc -l)" -ge "$NODES" ] && return 0; sleep 0.1
  done
  echo "the cluster did not reach $NODES members" >&2; exit 1
}

stop_collector() { kill $CPID "${EXTRA[@]}" 2>/dev/null || true; wait $CPID "${EXTRA[@]}" 2>/dev/null || true; }

# Flows the interface entity has applied (flows_seen: delivered to cluster state, not just decoded), read without a python per poll.
flows_now() { curl -sf "127.0.0.1:$HTTP/api/v1/interfaces/0" | grep -o '"flows_seen":[0-9]*' | head -1 | cut -d: -f2; }

# Starts the sender in the background with its stdin on a fifo (it waits there for the go after its warm-up). Sets SPID.
start_sender() {
  rm -f "$OUT/go"; mkfifo "$OUT/go"; exec 3<>"$OUT/go"
  "$SENDER" "$@" "$WARMUP" <"$OUT/go" >"$OUT/sender.log" 2>"$OUT/sender.err" &
  SPID=$!; PIDS+=("$SPID")
}

# Waits for the sender's "warm", then until the receiver check "$@" succeeds, then says go. Prints the sender's
# "start=<unix seconds>": when its first measured message left.
go_when() {
  for _ in $(seq 1 1200); do grep -q '^warm' "$OUT/sender.err" 2>/dev/null && break; sleep 0.05; done
  for _ in $(seq 1 1200); do "$@" && break; sleep 0.1; done
  sleep 2 # the runtime's background compiler finishes the optimised code of what the warm-up ran
  echo go >&3
  for _ in $(seq 1 600); do grep -q '^start=' "$OUT/sender.err" && break; sleep 0.05; done
  sed -n 's/^start=//p' "$OUT/sender.err"
}

warm_in_collector() { [ "$(flows_now || echo 0)" -ge "$1" ]; }

# True while a UDP socket on 127.0.0.1:$1 has datagrams queued: a peer has read everything once it is false.
udp_queued() { awk -v p="0100007F:$(printf '%04X' "$1")" '$2==p && $5!~/:00000000$/ {found=1} END {exit !found}' /proc/net/udp; }
udp_drained() { sleep 0.5; ! udp_queued "$1"; }

# Feeds the peer just started in the background ($! is its pid; UDP port $1) the same warm-up and measured
# datagrams; it has read everything once its socket's queue is empty. Stops it with signal $2; sets PEER_SECONDS.
run_peer() {
  local pid=$! start end; PIDS+=("$pid"); sleep 1
  start_sender netflow "127.0.0.1:$1" "$FLOWS" "$RATE"
  start=$(go_when udp_drained "$1")
  wait $SPID || true
  while udp_queued "$1"; do sleep 0.05; done
  end=$(now); kill "-$2" "$pid"; wait "$pid" 2>/dev/null || true
  PEER_SECONDS=$(echo "$end - $start" | bc -l)
}

# Waits until the collector's flow count reaches EXPECTED or stops growing for 3 s;
# prints "<flows> <unix time of the last increase> <drops json>".
settle() {
  local last=-1 flows=0 same=0 t; t=$(now)
  while :; do
    flows=$(flows_now); flows=${flows:-0}
    if [ "$flows" = "$last" ]; then same=$((same+1)); else same=0; t=$(now); fi
    [ "$flows" -ge "$EXPECTED" ] && break
    [ $same -ge 60 ] && break
    last=$flows; sleep 0.05
  done
  local json; json=$(curl -sf "127.0.0.1:$HTTP/api/v1/interfaces/0")
  local drops; drops=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); n=d.get("netflowRecvStats"); print(json.dumps({"zmq_msg_drops": d["zmqRecvStats"]["zmq_msg_drops"], **({"netflow": n["netflow"]["drops"]} if n else {})}))' "$json")
  echo "$flows $t $drops"
}

report() { # name delivered-including-warm-up seconds extra
  python3 - "$1" "$2" "$3" "$4" "$EXPECTED" "$WARM_RECORDS" <<'PY'
import sys
name, delivered, seconds, extra, total, warm = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
measured, expected = delivered - warm, total - warm
loss = "NO LOSS" if delivered == total else f"LOSS {total - delivered}"
print(f"{name:34s} {measured:>9d}/{expected} records {seconds:7.2f} s {measured / seconds:>10,.0f} records/s  {loss}  {extra}")
PY
}

echo "machine: $(nproc) cores; net.core.rmem_max=$(sysctl -n net.core.rmem_max); measured flows per run: $FLOWS; warm-up flows: $WARMUP"

# TLV over ZeroMQ: the sender binds (as nProbe), the collector connects. One record per flow.
WARM_RECORDS=$WARMUP
EXPECTED=$((FLOWS + WARMUP))
ZPORT=$(free_port)
start_collector "tcp://127.0.0.1:$ZPORT"
start_sender zmq "tcp://127.0.0.1:$ZPORT" "$FLOWS" 0   # waits 3 s for the subscriber; holds its socket open after sending
START=$(go_when warm_in_collector "$WARM_RECORDS")
read -r F T D < <(settle)
kill $SPID; wait $SPID 2>/dev/null || true
report "flowhive TLV/ZMQ, $NODES node(s)" "$F" "$(echo "$T - $START" | bc -l)" "$D"
curl -sf "127.0.0.1:$HTTP/api/v1/cluster" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("  host entities per node:", {r["address"].rsplit(":",1)[1]: r["entities"] for r in d["sharding"]["host"]}, "checkpoints saved here:", d["checkpoints"]["saved"])'
stop_collector
[ "$ONLY" = tlv ] && exit 0

# NetFlow v9 over UDP, stepped rates: the collector, nfcapd and nfacctd, each fed the same pre-encoded datagrams
# (~29 records per 1400-byte datagram). nProbe's default template has no OUT_ counters: each direction of a flow
# is its own record.
WARM_RECORDS=$((WARMUP * 2))
EXPECTED=$(((FLOWS + WARMUP) * 2))
for RATE in $RATES; do
  UPORT=$(free_port)
  start_collector "udp://127.0.0.1:$UPORT"
  start_sender netflow "127.0.0.1:$UPORT" "$FLOWS" "$RATE"
  START=$(go_when warm_in_collector "$WARM_RECORDS")
  wait $SPID || true
  read -r F T D < <(settle)
  report "flowhive NetFlow v9 @ $RATE dg/s" "$F" "$(echo "$T - $START" | bc -l)" "$D $(cat "$OUT/sender.log")"
  stop_collector

  # nfcapd: the records it wrote, read back with nfdump.
  NPORT=$(free_port); rm -rf "$OUT/nfcapd"; mkdir -p "$OUT/nfcapd"
  nfcapd -p "$NPORT" -b 127.0.0.1 -w "$OUT/nfcapd" -B 4194304 >"$OUT/nfcapd.log" 2>&1 &
  run_peer "$NPORT" TERM
  report "nfcapd NetFlow v9 @ $RATE dg/s" "$(nfdump -R "$OUT/nfcapd" -I | awk -F': ' '$1=="Flows" {print $2}')" "$PEER_SECONDS" ""

  # nfacctd: aggregates by protocol; records = packets / 9 (every synthetic flow is 10 packets one way, 8 back).
  APORT=$(free_port); rm -rf "$OUT/nfacctd"; mkdir -p "$OUT/nfacctd"
  cat >"$OUT/nfacctd/nfacctd.conf" <<EOF
daemonize: false
nfacctd_ip: 127.0.0.1
nfacctd_port: $APORT
nfacctd_pipe_size: 4194304
plugins: print
aggregate: proto
print_output: csv
print_output_file: $PWD/$OUT/nfacctd/out.csv
print_refresh_time: 3600
plugin_pipe_size: 268435456
plugin_buffer_size: 65536
EOF
  nfacctd -f "$OUT/nfacctd/nfacctd.conf" >"$OUT/nfacctd.log" 2>&1 &
  run_peer "$APORT" INT # the print plugin writes its totals on SIGINT
  report "nfacctd NetFlow v9 @ $RATE dg/s" "$(awk -F, 'NR>1 {p+=$2} END {printf "%d", p/9}' "$OUT/nfacctd/out.csv" 2>/dev/null || echo 0)" "$PEER_SECONDS" ""
done
