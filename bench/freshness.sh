#!/usr/bin/env bash
# End-to-end freshness and stack memory on a running stack (bin/marginal up first).
# usage: bench/freshness.sh [events/s=50] [seconds=60] [batch=10] [raw|rollup] [senders=1]
#   raw: to marginal.raw.events (default); rollup: to analytics.customer_margins (see FreshnessBenchmark)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MARGINAL_HOME="${MARGINAL_HOME:-$ROOT/.marginal}"
[[ -e "$ROOT/bench/target/marginal-bench.jar" ]] || (cd "$ROOT" && ./mvnw -q -DskipTests package -pl bench -am)
exec java -cp "$ROOT/bench/target/marginal-bench.jar:$ROOT/bench/target/lib/*" dev.marginal.bench.FreshnessBenchmark "$@"
