#!/usr/bin/env bash
# The scale benchmark of issues 6 and 7: a data set of N usage events (default 50 M) over 90 days
# and 1,000 organisations, written into a running stack's warehouse tables (Iceberg Java) and
# billing-core's PostgreSQL tables (COPY); then one organisation's customer margins from Trino
# against the same question asked of PostgreSQL, and every dashboard query. Figures go to
# docs/BENCHMARKS.md, "Scale".
#
#   bench/scale/run.sh load    [--events 50000000] [--orgs 1000] [--customers 50000] [--days 90] [--usage-costs]
#   bench/scale/run.sh query   [the same data set options] [--ranks 0,99] [--runs 20] [--dashboard-runs 20]
#                              [--warm-ups 1]   (unmeasured runs per query; a just-started Trino needs dozens to be warm)
#
# Use its own stack, on an empty MARGINAL_HOME, e.g. (ports of your choice):
#   export MARGINAL_HOME=/tmp/scale-home MARGINAL_POSTGRES_PORT=16432 MARGINAL_KAFKA_PORT=16092 \
#          MARGINAL_KAFKA_CONTROLLER_PORT=16093 MARGINAL_TRINO_PORT=16088 MARGINAL_BILLING_PORT=16080 \
#          MARGINAL_DASHBOARD_PORT=16090 MARGINAL_CDC_HEALTH_PORT=16091 MARGINAL_FLINK_HEALTH_PORT=16094
#   MARGINAL_TRINO_HEAP=6G bin/marginal up && bench/scale/run.sh load && bench/scale/run.sh query; bin/marginal down
# (Trino's heap: the stack's 2G default spends ~90 ms a margins query in GC at 50 M events; docs/BENCHMARKS.md.)
#
# `load` first stops the stack's cdc, flink, maintenance and day-close processes and drops the replication
# slot: the data set goes into both stores directly, so CDC must not stream the COPY (it would
# write every event into the warehouse a second time and hold the WAL of the whole load), and
# maintenance must not compact the tables while they are measured. After the load it runs one
# day close (bin/marginal close-days), as the stack's day-close process would, and times it. Pass the same data set options
# (and --last-day, default today UTC, if the load ran on another day) to `query`.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export MARGINAL_HOME="${MARGINAL_HOME:-$root/.marginal}"
cd "$root"
[[ -e bench/target/marginal-bench.jar && -d bench/target/lib ]] || ./mvnw -q -pl bench -am install -DskipTests
classpath="bench/target/marginal-bench.jar:bench/target/lib/*"
db() { PGPASSWORD=marginal psql -h 127.0.0.1 -p "${MARGINAL_POSTGRES_PORT:-15432}" -U marginal -d marginal -Atc "$1"; }

mode="${1:-}"; shift || true
case "$mode" in
  load)
    for service in cdc flink maintenance day-close; do
      pid_file="$MARGINAL_HOME/run/$service.pid"
      if [[ -e "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
        echo "stopping $service (pid $(cat "$pid_file")) for the load"
        kill "$(cat "$pid_file")"
        while kill -0 "$(cat "$pid_file")" 2>/dev/null; do sleep 1; done
      fi
    done
    db "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'marginal_cdc'" >/dev/null
    java -Xmx3g -cp "$classpath" dev.marginal.bench.scale.ScaleLoad "$@"
    # The loader writes the job's per-checkpoint deltas, one file per day (what optimize leaves);
    # the day close then does what the day-close process does to every past day: one sorted row per key.
    started=$(date +%s)
    bin/marginal close-days
    echo "day close of every loaded day: $(( $(date +%s) - started )) s"
    # One analyst login per measured organisation (rank 0 = the biggest, 99 = the 100th).
    for rank in 0 99; do
      org=$(db "SELECT id FROM organizations WHERE slug = 'scale-$(printf %04d $rank)'")
      [[ -n "$org" ]] && bin/marginal analyst "scale-$rank" "$org"
    done
    ;;
  query)
    java -Xmx1g -cp "$classpath" dev.marginal.bench.scale.ScaleQueries "$@"
    ;;
  *)
    sed -n '2,12p' "$0"; exit 2
    ;;
esac
