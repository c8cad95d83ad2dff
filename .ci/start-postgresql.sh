#!/usr/bin/env bash
# Starts the local PostgreSQL cluster the tests use (127.0.0.1:5432, trust authentication for local
# TCP connections, database "test", roles postgres and root). Idempotent.
set -euo pipefail
version=$(ls /etc/postgresql | sort -V | tail -1)
conf=/etc/postgresql/$version/main
# Trust loopback connections: the tests log in without a password.
if ! grep -q '^host all all 127.0.0.1/32 trust' "$conf/pg_hba.conf"; then
  sed -i '/^host/d' "$conf/pg_hba.conf"
  printf 'host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' >> "$conf/pg_hba.conf"
  pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
fi
if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi
for i in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
psql_() { su postgres -c "psql -q -h 127.0.0.1 -d postgres -tAc \"$1\""; }
[ "$(psql_ "SELECT 1 FROM pg_roles WHERE rolname = 'root'")" = 1 ] || psql_ "CREATE ROLE root SUPERUSER LOGIN"
[ "$(psql_ "SELECT 1 FROM pg_database WHERE datname = 'test'")" = 1 ] || psql_ "CREATE DATABASE test"
echo "PostgreSQL $version running on 127.0.0.1:5432"
