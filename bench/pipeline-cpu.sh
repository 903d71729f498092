#!/usr/bin/env bash
# Each component's CPU (% of one core) every N seconds on a running stack, with the CDC runner's lag
# and records sent, to see which component a backlog sits in while bench/freshness.sh runs.
# usage: bench/pipeline-cpu.sh [seconds=5]   (same MARGINAL_HOME / MARGINAL_CDC_HEALTH_PORT as bin/marginal)
set -uo pipefail
N=${1:-5}
HOME_DIR="${MARGINAL_HOME:?set MARGINAL_HOME to the stack\'s home}"
CDC_PORT="${MARGINAL_CDC_HEALTH_PORT:-8091}"
TICK=$(getconf CLK_TCK)
declare -A prev
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null; }
while true; do
  declare -A cur=()
  for pid in $(pgrep -f -- "$HOME_DIR") $(pgrep -f FreshnessBenchmark); do
    args=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null) || continue
    case "$args" in
      *postgres*) name=postgres;; *kafka*) name=kafka;; *trino*|*Trino*) name=trino;;
      *billing-service*) name=billing;; *" cdc"*) name=cdc;; *raw-events*) name=flink;;
      *FreshnessBenchmark*) name=bench;; *) name=other;;
    esac
    t=$(ticks "$pid") && cur[$name]=$(( ${cur[$name]:-0} + t ))
  done
  # PostgreSQL's backends and WAL sender do not carry the home in their command line.
  if pg=$(pgrep -f -- "postgres -D $HOME_DIR" | head -1) && [[ -n $pg ]]; then
    for c in $(pgrep -P "$pg"); do t=$(ticks "$c") && cur[postgres]=$(( ${cur[postgres]:-0} + t )); done
  fi
  line="$(date +%T) load=$(cut -d' ' -f1 /proc/loadavg)"
  for k in postgres kafka billing cdc flink trino bench other; do
    # A process that exited takes its ticks with it: show 0 rather than a negative share.
    d=$(( ${cur[$k]:-0} - ${prev[$k]:-${cur[$k]:-0}} )); (( d < 0 )) && d=0
    [[ -n ${prev[$k]:-} ]] && line+=" $k=$(( d * 100 / TICK / N ))%"
    prev[$k]=${cur[$k]:-0}
  done
  cdc=$(curl -s "127.0.0.1:$CDC_PORT/metrics" | awk '/^marginal_cdc_lag_seconds/{l=$2} /^marginal_cdc_records_total/{n=$2} END{print "cdc_lag=" l "s cdc_sent=" n}')
  echo "$line $cdc"
  sleep "$N"
done
