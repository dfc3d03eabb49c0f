#!/usr/bin/env bash
# Memory per active flow of the probe.
#
#   bench/scripts/probe-memory.sh [CAPTURE]
#
# CAPTURE defaults to .build/bench/bench-600kflows.pcap (gen-pcap.py --flows 600000 --packets 4000000 --seed 2),
# generated when missing. The probe runs with idle and lifetime timeouts of an hour, so flows stay until they
# end by FIN/RST or the end of the file. Prints: peak active flows (from the probe's own count), flow-table
# bytes per flow, and (peak RSS - baseline RSS) / peak active flows, where the baseline is the same probe on
# the 2,656-packet sample capture. The second figure includes everything the process holds at its peak,
# including the end-of-file burst of exported flows.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "$root/../shared" 2>/dev/null && pwd || true)
work="$root/.build/bench"
mkdir -p "$work"
capture=${1:-$work/bench-600kflows.pcap}
if [ ! -f "$capture" ]; then
  [ -n "$shared" ] || { echo "probe-memory: no capture and no ../shared/bench to generate one" >&2; exit 1; }
  echo "generating $capture (several minutes)..." >&2
  python3 "$shared/bench/gen-pcap.py" --flows 600000 --packets 4000000 --seed 2 --out "$capture" >&2
fi

dotnet build "$root/src/Probe.Node/Probe.Node.csproj" -c Release -nologo -v quiet >/dev/null
probe="$root/src/Probe.Node/bin/Release/net10.0/flowhive-probe"
port=$((20000 + RANDOM % 20000))
run() { /usr/bin/time -o "$work/time" -f "%M" "$probe" -i "$1" --zmq "tcp://127.0.0.1:$port" --zmq-wait-collector 0 -d 3600 -t 3600 2>&1 | grep "done:" | tail -n 1; }

base_line=$(run "$root/samples/sample.pcap"); base=$(cat "$work/time")
cat "$capture" >/dev/null
line=$(run "$capture"); peak=$(cat "$work/time")
flows=$(echo "$line" | sed -E 's/.*peak ([0-9]+) active flows.*/\1/')
table=$(echo "$line" | sed -E 's/.*\(([0-9]+) MB flow tables\).*/\1/')
python3 - "$base" "$peak" "$flows" "$table" <<'PY'
import sys
base, peak, flows, table = (int(x) for x in sys.argv[1:])
print(f"baseline RSS {base/1024:.0f} MB, peak RSS {peak/1024:.0f} MB, peak active flows {flows:,}")
print(f"flow tables: {table} MB = {table*1048576/flows:.0f} bytes per active flow")
print(f"process: ({peak/1024:.0f} - {base/1024:.0f}) MB / {flows:,} = {(peak-base)*1024/flows:.0f} bytes per active flow")
PY
