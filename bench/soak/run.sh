#!/usr/bin/env bash
# The soak benchmark (docs/BENCHMARKS.md, "Soak"): starts a stack of its own, measures its ingest
# capacity, sends usage events at half of it for 10 minutes while one component after another is
# kill -9-ed every 2 minutes (CDC runner, Flink job, Kafka broker, billing-core) and restarted with
# bin/marginal up, then checks availability and `bin/marginal reconcile`; stops the stack after.
#
#   bench/soak/run.sh [--minutes 10] [--kill-every 120] [--share 0.5 | --rate EVENTS/S]
#                     [--capacity-seconds 30] [--batch 500] [--clients 8]
#                     [--kill cdc,flink,kafka,billing-core] [--settle 900]
#
# Its own home and ports (17xxx: apart from a demo's defaults and below Linux's ephemeral range);
# override with MARGINAL_HOME and MARGINAL_*_PORT. SOAK_KEEP=1 leaves the stack running.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export MARGINAL_ROOT="$root"
export MARGINAL_HOME="${MARGINAL_HOME:-/tmp/soak-home}"
export MARGINAL_POSTGRES_PORT="${MARGINAL_POSTGRES_PORT:-17532}"
export MARGINAL_KAFKA_PORT="${MARGINAL_KAFKA_PORT:-17592}"
export MARGINAL_KAFKA_CONTROLLER_PORT="${MARGINAL_KAFKA_CONTROLLER_PORT:-17593}"
export MARGINAL_TRINO_PORT="${MARGINAL_TRINO_PORT:-17588}"
export MARGINAL_BILLING_PORT="${MARGINAL_BILLING_PORT:-17580}"
export MARGINAL_DASHBOARD_PORT="${MARGINAL_DASHBOARD_PORT:-17590}"
export MARGINAL_CDC_HEALTH_PORT="${MARGINAL_CDC_HEALTH_PORT:-17591}"
export MARGINAL_FLINK_HEALTH_PORT="${MARGINAL_FLINK_HEALTH_PORT:-17594}"

[[ -e bench/target/marginal-bench.jar ]] || ./mvnw -q -DskipTests package -pl bench -am
bin/marginal up
if [[ "${SOAK_KEEP:-}" != 1 ]]; then
  trap 'bin/marginal down' EXIT
fi
java -cp "bench/target/marginal-bench.jar:bench/target/lib/*" dev.marginal.bench.SoakBenchmark "$@"
