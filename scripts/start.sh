#!/usr/bin/env bash
# Starts the whole system with local defaults: MariaDB, the devnode (WeBASE-Front REST on a local EVM),
# the contracts, migrations, demo data, and the API serving the portal. Ctrl-C stops everything.
#   PORT (8080)  DB_PORT (3306)  DEVNODE_PORT (5002)  DATA_DIR (.data)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/system-deps.sh
source scripts/lib/mariadb.sh

ensure_system_deps
ensure_node_deps

DATA=${DATA_DIR:-.data}
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
export PORT=${PORT:-8080}
DB_PORT=${DB_PORT:-3306}
DEVNODE_PORT=${DEVNODE_PORT:-5002}
export DATABASE_URL="mysql://yyl:yyl@127.0.0.1:$DB_PORT/yyl"
export WEBASE_URL="http://127.0.0.1:$DEVNODE_PORT/WeBASE-Front"
PIDS=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  # Only the server and the devnode: a bare `wait` would also wait for MariaDB, a child of this shell too.
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  mariadb_stop "$DATA/mysql"
  exit 0
}
trap cleanup EXIT INT TERM

echo "== building contracts, database client and portal"
npm run build:contracts --silent
bash scripts/prisma-generate.sh >/dev/null
(cd web && npx vite build --logLevel warn)

echo "== MariaDB on 127.0.0.1:$DB_PORT ($DATA/mysql)"
mariadb_start "$DATA/mysql" "$DB_PORT"
mariadb_ensure_db "$DATA/mysql" yyl yyl yyl
npx tsx scripts/migrate.ts

echo "== devnode on $WEBASE_URL ($DATA/devnode)"
DEVNODE_DATA_DIR="$DATA/devnode" DEVNODE_PORT=$DEVNODE_PORT node --import tsx devnode/src/main.ts >"$DATA/devnode.log" 2>&1 &
PIDS+=($!)
wait_http "$WEBASE_URL/group0/web3/blockNumber" 120 || { tail -20 "$DATA/devnode.log"; exit 1; }

echo "== contracts"
ALLIANCE_ADMINS=${ALLIANCE_ADMINS:-$(npx tsx scripts/demo.ts --print-admin)} npx tsx deploy/src/main.ts

echo "== API and portal on http://127.0.0.1:$PORT"
node --import tsx server/src/main.ts > >(tee -a "$DATA/server.log" | grep -v '"level":30' ) 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PORT/api/health" 120 || { tail -20 "$DATA/server.log"; exit 1; }
API_URL="http://127.0.0.1:$PORT" npx tsx scripts/demo.ts

cat <<MSG

医元疗 is running:
  portal      http://127.0.0.1:$PORT/
  API docs    http://127.0.0.1:$PORT/api/docs   (OpenAPI: /api/openapi.json)
  WeBASE-Front (devnode)  $WEBASE_URL
  MariaDB     127.0.0.1:$DB_PORT (database yyl, user yyl)
Import a demo key above in the portal (登录 → 导入密钥) or create your own. Ctrl-C stops everything.
MSG
wait "${PIDS[@]}"
