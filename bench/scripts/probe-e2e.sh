#!/usr/bin/env bash
# End-to-end probe throughput beside the open peers, in one run, on the same capture.
#
#   bench/scripts/probe-e2e.sh [CAPTURE] [RUNS]
#
# CAPTURE defaults to .build/bench/bench-5m.pcap, generated with ../shared/bench/gen-pcap.py (5 M packets,
# 200 k flows) when missing. Each command runs RUNS times (default 3) with the file in the page cache; the
# median wall time gives packets/s. Peers (Debian packages): softflowd, nfpcapd (nfdump), ndpiReader
# (libndpi-bin); the C floor programs from ../shared/bench (pcapcount: libpcap read only; pcapflow:
# libpcap + parse + 5-tuple hash table). NetFlow exporters send to an nfcapd on 127.0.0.1 whose CPU is not
# counted. Prints one table: tool, median wall s, Mpps, peak RSS, and the ratio of Flowhive to each peer.
# flowhive-probe runs with --dpi none, micro (the default) and ndpi (the system's libndpi), beside ndpiReader -i on
# the same capture.
# FLOWHIVE_BENCH_ONLY=dpi runs only that comparison (ndpiReader and flowhive-probe with and without --dpi ndpi).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "$root/../shared" 2>/dev/null && pwd || true)
work="$root/.build/bench"
mkdir -p "$work"
capture=${1:-$work/bench-5m.pcap}
runs=${2:-3}

need() { command -v "$1" >/dev/null || { echo "probe-e2e: $1 is missing (apt-get install $2)" >&2; exit 1; }; }
need softflowd softflowd; need nfcapd nfdump; need nfpcapd nfdump; need ndpiReader libndpi-bin; need gcc gcc

if [ ! -f "$capture" ]; then
  [ -n "$shared" ] || { echo "probe-e2e: no capture and no ../shared/bench to generate one" >&2; exit 1; }
  echo "generating $capture (about a minute)..." >&2
  python3 "$shared/bench/gen-pcap.py" --flows 200000 --packets 5000000 --seed 1 --out "$capture" >&2
fi
packets=$(python3 - "$capture" <<'PY'
import json, sys, os
meta = sys.argv[1] + ".json"
print(json.load(open(meta))["packets"] if os.path.exists(meta) else 0)
PY
)
if [ "$packets" = 0 ]; then packets=$(tshark -r "$capture" -T fields -e frame.number 2>/dev/null | wc -l); fi

for tool in pcapcount pcapflow; do
  [ -x "$work/$tool" ] || gcc -O2 -o "$work/$tool" "$shared/bench/$tool.c" -lpcap
done

# Published ReadyToRun, as a deployment would be: the runtime then starts from precompiled code instead of
# JIT-compiling Akka, the host and the engine on the way up (1.1 s of start-up becomes 0.8 s on this machine).
# Composite: the app's assemblies are precompiled as one, so the engine's precompiled code inlines the shared
# types (IpAddr, MacAddr, FlowRecord) it calls per packet until the runtime recompiles the hot methods.
dotnet publish "$root/src/Probe.Node/Probe.Node.csproj" -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o "$work/probe" -nologo -v quiet >/dev/null
probe="$work/probe/flowhive-probe"

cat "$capture" >/dev/null  # page cache
port=$((20000 + RANDOM % 20000))
sink="$work/nfcapd"
results="$work/results.tsv"
: >"$results"

# measure NAME CMD...: RUNS runs, median wall seconds and max peak RSS appended to the results.
measure() {
  local name=$1; shift
  local walls=() rss=0
  for _ in $(seq 1 "$runs"); do
    rm -rf "$sink"; mkdir -p "$sink"
    nfcapd -w "$sink" -p "$port" -b 127.0.0.1 -B 4194304 >/dev/null 2>&1 & local nfpid=$!
    sleep 0.3
    /usr/bin/time -o "$work/time" -f "%e %M" "$@" >/dev/null 2>"$work/stderr" || { echo "probe-e2e: $name failed:" >&2; tail -n 5 "$work/stderr" >&2; exit 1; }
    local t; t=$(tail -n 1 "$work/time")
    kill "$nfpid" 2>/dev/null || true; wait "$nfpid" 2>/dev/null || true
    walls+=("$(echo "$t" | awk '{print $1}')")
    local r; r=$(echo "$t" | awk '{print $2}'); [ "$r" -gt "$rss" ] && rss=$r
  done
  local median; median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%s\t%s\t%s\n' "$name" "$median" "$rss" >>"$results"
  echo "$name: ${walls[*]} s (median $median), peak RSS ${rss} KB" >&2
}

only=${FLOWHIVE_BENCH_ONLY:-}
if [ "$only" != dpi ]; then
  measure "pcapcount (libpcap read)" "$work/pcapcount" "$capture"
  measure "pcapflow (libpcap+parse+hash)" "$work/pcapflow" "$capture"
  measure "softflowd -m 1048576 (v9)" softflowd -r "$capture" -n "127.0.0.1:$port" -v 9 -m 1048576 -d -c none -p "$work/sf.pid"
  measure "softflowd default (v9)" softflowd -r "$capture" -n "127.0.0.1:$port" -v 9 -d -c none -p "$work/sf.pid"
  measure "nfpcapd" sh -c "rm -rf '$work/nfp' && mkdir -p '$work/nfp' && nfpcapd -r '$capture' -w '$work/nfp'"
fi
# ndpiReader -i: libpcap read, its own flow table and nDPI on every flow's first packets, one thread.
measure "ndpiReader" ndpiReader -q -i "$capture"
probe_export=${FLOWHIVE_BENCH_EXPORT:-"--zmq tcp://127.0.0.1:$((port + 1)) --zmq-wait-collector 0"}
for workers in 1 2; do
  for dpi in none micro ndpi; do
    # shellcheck disable=SC2086
    measure "flowhive-probe -O $workers --dpi $dpi" "$probe" -i "$capture" -O "$workers" --dpi "$dpi" $probe_export
  done
done

echo
python3 - "$results" "$packets" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
packets = int(sys.argv[2])
mpps = {name: packets / float(wall) / 1e6 for name, wall, _ in rows}
print(f"{'tool':34} {'wall s':>8} {'Mpps':>7} {'peak RSS MB':>12}")
for name, wall, rss in rows:
    print(f"{name:34} {float(wall):8.2f} {mpps[name]:7.2f} {int(rss)/1024:12.0f}")
print()
for ours in [n for n in mpps if n.startswith("flowhive")]:
    for peer in [n for n in mpps if not n.startswith("flowhive")]:
        print(f"{ours} / {peer}: {mpps[ours] / mpps[peer]:.2f}x")
PY
