#!/usr/bin/env bash
# `npm run bench [gas|api ...]`: builds what the benchmarks need, starts a MariaDB of their own (the API
# benchmark uses a real database), runs them and stops it again. Results go to bench/results/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/system-deps.sh
source scripts/lib/mariadb.sh

ensure_system_deps
ensure_node_deps
npm run build:contracts --silent
bash scripts/prisma-generate.sh >/dev/null

DATA=.data/bench
BENCH_DB_PORT=${BENCH_DB_PORT:-3309}
rm -rf "$DATA" && mkdir -p "$DATA"
trap 'mariadb_stop "$PWD/$DATA/mysql"' EXIT
mariadb_start "$PWD/$DATA/mysql" "$BENCH_DB_PORT"
mariadb_ensure_db "$PWD/$DATA/mysql" yyl_test yyl yyl
TEST_DATABASE_URL="mysql://yyl:yyl@127.0.0.1:$BENCH_DB_PORT/yyl_test" npx tsx scripts/bench/main.ts "$@"
