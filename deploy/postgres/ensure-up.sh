#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 (the local server tests default to).
# With DATABASE_URL set, only checks that one answers.
set -euo pipefail

ready() {
  if [ -n "${DATABASE_URL:-}" ]; then pg_isready -d "$DATABASE_URL" -q
  else pg_isready -h 127.0.0.1 -p 5432 -q; fi
}

ready && { echo "PostgreSQL is up"; exit 0; }
[ -n "${DATABASE_URL:-}" ] && { echo "PostgreSQL at DATABASE_URL does not answer" >&2; exit 1; }

if command -v pg_ctlcluster >/dev/null 2>&1; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
else
  echo "PostgreSQL is not running and pg_ctlcluster is not installed" >&2
  exit 1
fi
for _ in $(seq 1 30); do ready && { echo "PostgreSQL is up"; exit 0; }; sleep 1; done
echo "PostgreSQL did not start" >&2
exit 1
