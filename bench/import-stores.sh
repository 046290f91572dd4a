#!/usr/bin/env bash
# Times `tambon import households` of one CSV into a new SQLite file and a
# new PostgreSQL database, alternating, RUNS times: wall time, tambon's CPU,
# and on PostgreSQL the CPU of the server sessions (read from /proc while
# they run, so run it on the database's host).
#
#   bench/import-stores.sh RUNS FILE.csv LABEL=BINARY:sqlite|pg ...
#   e.g. bench/import-stores.sh 5 h7001.csv sqlite=./tambon:sqlite pg=./tambon:pg
#
# FILE.csv from `tambon gen --area 7001 --round bmn-2564 --year 2564 --out h7001.csv`.
# PG_ADMIN (default postgres://postgres@127.0.0.1:5432/postgres) must be able
# to create and drop the database tambon_import_bench.
set -euo pipefail
runs=$1 file=$2; shift 2
admin=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pgdb="${admin%/*}/tambon_import_bench?sslmode=disable&application_name=tambon_import_bench"

# watch sums the CPU ticks of the bench's server sessions until $work/stop.
watch() {
  declare -A last
  while [ ! -f "$work/stop" ]; do
    for p in $(psql "$admin" -Atc "SELECT pid FROM pg_stat_activity WHERE application_name = 'tambon_import_bench'" 2>/dev/null) "${!last[@]}"; do
      [ -r "/proc/$p/stat" ] && last[$p]=$(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo "${last[$p]:-0}")
    done
    sleep 0.02
  done
  local s=0; for p in "${!last[@]}"; do s=$((s + last[$p])); done
  echo $((s * 1000 / $(getconf CLK_TCK))) > "$work/server_ms"
}

for i in $(seq 1 "$runs"); do
  for spec in "$@"; do
    label=${spec%%=*} rest=${spec#*=}; bin=${rest%%:*} store=${rest#*:}
    if [ "$store" = pg ]; then
      psql "$admin" -qc "DROP DATABASE IF EXISTS tambon_import_bench" -qc "CREATE DATABASE tambon_import_bench" >/dev/null 2>&1
      db=$pgdb
    else
      rm -f "$work"/bench.db*; db=$work/bench.db
    fi
    "$bin" migrate --db "$db" >/dev/null 2>&1
    "$bin" round --year 2564 --db "$db" >/dev/null 2>&1
    sync
    rm -f "$work/stop" "$work/server_ms"
    [ "$store" = pg ] && { watch & }
    /usr/bin/time -f '%e s wall, %U + %S CPU-s in tambon' -o "$work/time" "$bin" import households "$file" --round bmn-2564 --db "$db" >/dev/null 2>&1
    touch "$work/stop"; wait
    server=""; [ -f "$work/server_ms" ] && server=", server $(cat "$work/server_ms") CPU-ms"
    echo "run $i $label: $(tail -1 "$work/time")$server, load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
[ -n "${pgdb:-}" ] && psql "$admin" -qc "DROP DATABASE IF EXISTS tambon_import_bench" >/dev/null 2>&1 || true
