#!/usr/bin/env bash
# Runs every test: type checks, the WeBASE-Front conformance check against the devnode, and one vitest
# run (unit, contract, API against a real MariaDB and devnode, browser end-to-end in Debian's Chromium).
# Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/system-deps.sh
source scripts/lib/mariadb.sh

ensure_system_deps --browser
ensure_node_deps

DATA=.data/test
TEST_DB_PORT=${TEST_DB_PORT:-3307}
rm -rf "$DATA" && mkdir -p "$DATA"
passed=0
failed=0
record() { # name, exit code
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "ok    $1"; else failed=$((failed + 1)); echo "FAIL  $1"; fi
}
cleanup() {
  [ -n "${DEVNODE_PID:-}" ] && kill "$DEVNODE_PID" 2>/dev/null
  mariadb_stop "$PWD/$DATA/mysql"
}
trap cleanup EXIT

echo "== build"
npm run build:contracts --silent; record "contracts build" $?
bash scripts/prisma-generate.sh >/dev/null; record "prisma generate" $?
(cd web && npx vite build --logLevel warn >/dev/null); record "portal build" $?

echo "== type check"
npx tsc -p tsconfig.json; record "tsc (contracts, sdk, devnode, deploy, server, tests)" $?
(cd web && npx vue-tsc --noEmit -p tsconfig.json); record "vue-tsc (portal)" $?

echo "== WeBASE-Front conformance against the devnode"
TEST_DEVNODE_PORT=${TEST_DEVNODE_PORT:-5012}
DEVNODE_URL="http://127.0.0.1:$TEST_DEVNODE_PORT/WeBASE-Front"
DEVNODE_DATA_DIR="$DATA/devnode" DEVNODE_PORT=$TEST_DEVNODE_PORT node --import tsx devnode/src/main.ts >"$DATA/devnode.log" 2>&1 &
DEVNODE_PID=$!
if wait_http "$DEVNODE_URL/group0/web3/blockNumber" 60; then
  node ../shared/tools/webase-conformance.mjs "$DEVNODE_URL" group0 >"$DATA/conformance.log"
  grep -v "^ok " "$DATA/conformance.log"
  tail -1 "$DATA/conformance.log" | grep -q " 0 failed$"; record "webase-conformance" $?
else
  cat "$DATA/devnode.log"; record "devnode start" 1
fi
kill "$DEVNODE_PID" 2>/dev/null; wait "$DEVNODE_PID" 2>/dev/null; DEVNODE_PID=

echo "== MariaDB for the tests (port $TEST_DB_PORT)"
mariadb_start "$PWD/$DATA/mysql" "$TEST_DB_PORT" && mariadb_ensure_db "$PWD/$DATA/mysql" yyl_test yyl yyl
record "mariadb start" $?
export TEST_DATABASE_URL="mysql://yyl:yyl@127.0.0.1:$TEST_DB_PORT/yyl_test"

echo "== vitest"
npx vitest run --reporter=default --reporter=json --outputFile.json="$DATA/vitest.json"
vitest_rc=$?
if [ -f "$DATA/vitest.json" ]; then
  read -r vp vf < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0))' "$PWD/$DATA/vitest.json")
  passed=$((passed + vp)); failed=$((failed + vf))
  [ "$vitest_rc" -ne 0 ] && [ "$vf" -eq 0 ] && failed=$((failed + 1)) && echo "FAIL  vitest exited $vitest_rc"
else
  record "vitest run" 1
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
