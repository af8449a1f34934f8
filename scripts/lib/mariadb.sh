# Starts a private MariaDB server without systemd: its own data directory, socket and pid file.
#   mariadb_start DIR PORT   creates the data directory on first use, starts, waits until it answers
#   mariadb_ensure_db DIR DB USER PASSWORD   creates the database and the application user, who may also
#                                            create databases named DB_* (each test file makes its own)
#   mariadb_stop DIR         stops it by its pid file and waits for it to exit
mariadb_start() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  if [ ! -d "$dir/mysql" ]; then
    mariadb-install-db --datadir="$dir" --user="$(id -un)" --auth-root-authentication-method=normal \
      --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log"; return 1; }
  fi
  if [ -f "$dir/mysqld.pid" ] && kill -0 "$(cat "$dir/mysqld.pid")" 2>/dev/null; then
    return 0
  fi
  mariadbd --no-defaults --datadir="$dir" --socket="$dir/mysqld.sock" --port="$port" \
    --bind-address=127.0.0.1 --user="$(id -un)" --pid-file="$dir/mysqld.pid" --log-error="$dir/mysqld.err" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci >/dev/null 2>&1 &
  local i
  for i in $(seq 1 300); do
    mariadb-admin --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "MariaDB did not start; its log:" >&2
  tail -20 "$dir/mysqld.err" >&2
  return 1
}

mariadb_ensure_db() {
  local dir=$1 db=$2 user=$3 password=$4
  mariadb --socket="$dir/mysqld.sock" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON \`$db\`.* TO '$user'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`$db\`.* TO '$user'@'localhost';
GRANT ALL PRIVILEGES ON \`${db}\\_%\`.* TO '$user'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`${db}\\_%\`.* TO '$user'@'localhost';
FLUSH PRIVILEGES;
SQL
}

mariadb_stop() {
  local dir=$1 pid
  [ -f "$dir/mysqld.pid" ] || return 0
  pid=$(cat "$dir/mysqld.pid")
  kill "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}
