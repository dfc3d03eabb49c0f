#!/usr/bin/env bash
# Runs every test on a fresh Debian machine with the .NET SDK: installs the Debian packages the tests use
# (libpcap, tshark, PostgreSQL, libndpi and what builds the nDPI shim), starts a private PostgreSQL (port 55432, data under .build/pg), builds,
# runs all test projects, and stops PostgreSQL again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/deps.sh test
scripts/postgres.sh start
trap 'scripts/postgres.sh stop >/dev/null 2>&1 || true' EXIT
export FLOWHIVE_TEST_PG="$(scripts/postgres.sh url)"

dotnet build Cluster.sln -c Release -nologo -v quiet
results="$root/.build/test-results"
rm -rf "$results"
dotnet test Cluster.sln -c Release --no-build -nologo --logger "console;verbosity=normal" --results-directory "$results" "$@"
