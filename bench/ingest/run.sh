#!/usr/bin/env bash
# The ingest benchmark: POST /v1/events/ingest over HTTP from a separate process, next to raw COPY
# of the same rows into the same table. Figures go to docs/BENCHMARKS.md, "Ingest".
#
#   bench/ingest/run.sh [--seconds 30] [--warmup 15] [--batch 1000] [--concurrency 4]
#                       [--pg-port 25532] [--http-port 25580] [--copy-rows 400000]
#
# Self-contained on purpose: it builds only billing-core (pricing, service) and runs
# dev.marginal.billing.bench.IngestBenchmark from the service's test classes. Needs what the
# service's tests need: a JDK 17 and PostgreSQL binaries (installed by the stack on first use).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
if [ "${MARGINAL_BENCH_SKIP_BUILD:-}" != 1 ]; then   # 1: reuse what the last build left in target/
  ./mvnw -q install -pl billing-core/pricing,billing-core/service -DskipTests
fi
./mvnw -q dependency:build-classpath -pl billing-core/service -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/ingest-bench.classpath
service=billing-core/service
classpath="$service/target/test-classes:$service/target/classes:$(cat "$service/target/ingest-bench.classpath")"
exec java -cp "$classpath" dev.marginal.billing.bench.IngestBenchmark "$@"
