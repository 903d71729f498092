#!/usr/bin/env bash
# The renewal benchmark: N paid monthly subscriptions in a real PostgreSQL, the clock moved a month,
# the renewal sweep timed. Figures go to docs/BENCHMARKS.md, "Renewal sweep".
#
#   bench/renewal/run.sh [--subscriptions 10000] [--pg-port 25462]
#
# Builds only billing-core (pricing, service) in the reactor — nothing is installed into ~/.m2 — and
# runs dev.marginal.billing.bench.RenewalBenchmark from the service's test classes.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
classpath_file="$root/billing-core/service/target/renewal-bench.classpath"
./mvnw -q -pl billing-core/service -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$classpath_file"
service=billing-core/service
classpath="$service/target/test-classes:$service/target/classes:$(cat "$classpath_file")"
exec java -cp "$classpath" dev.marginal.billing.bench.RenewalBenchmark "$@"
