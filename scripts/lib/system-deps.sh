# Installs the Debian packages the project runs on (MariaDB for the mirror database, Chromium and a CJK
# font for the browser tests) when they are missing. Sourced by start.sh and test.sh.
ensure_system_deps() {
  local need=()
  command -v mariadbd >/dev/null 2>&1 || need+=(mariadb-server)
  if [ "${1:-}" = "--browser" ]; then
    command -v chromium >/dev/null 2>&1 || need+=(chromium)
    [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
  fi
  [ ${#need[@]} -eq 0 ] && return 0
  echo "installing Debian packages: ${need[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

# Installs npm dependencies from the lock file when node_modules is missing or older than the lock.
ensure_node_deps() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
}

# Waits (up to $2 seconds, default 60) until GET $1 answers 2xx. Uses node, which every machine here has.
wait_http() {
  local url=$1 seconds=${2:-60} i
  for i in $(seq 1 $((seconds * 10))); do
    node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$url" && return 0
    sleep 0.1
  done
  return 1
}
