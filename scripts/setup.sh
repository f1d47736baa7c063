#!/usr/bin/env bash
# Doorstep set-up on a fresh Debian machine with Python 3.11.
#   bash scripts/setup.sh demo   install everything, seed the generated demo data, start the demo
#   bash scripts/setup.sh test   install everything, run lint, types, architecture and the whole test suite
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-}"
case "$mode" in demo|test) ;; *) echo "usage: bash scripts/setup.sh demo|test" >&2; exit 2 ;; esac

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- system packages (Debian) -----------------------------------------------------------------
apt_packages=(python3-venv python3-dev build-essential gettext nodejs npm)
if [ "$mode" = test ]; then
  apt_packages+=(chromium fonts-noto-cjk postgresql redis-server)
fi
missing=()
for package in "${apt_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
# Node and npm may come from elsewhere (e.g. nodesource); only ask apt when the commands are absent.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
# A Python 3.11 that already has venv and headers (e.g. pyenv) needs no Debian python packages.
python_bin="$(command -v python3.11 || command -v python3)"
if "$python_bin" -c 'import venv, sysconfig, os; assert os.path.exists(sysconfig.get_paths()["include"] + "/Python.h")' 2>/dev/null; then
  missing=("${missing[@]/python3-venv}"); missing=("${missing[@]/python3-dev}")
fi
wanted=()
for package in "${missing[@]}"; do [ -n "$package" ] && wanted+=("$package"); done
if [ "${#wanted[@]}" -gt 0 ]; then
  say "Installing Debian packages: ${wanted[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${wanted[@]}" >/dev/null
fi
"$python_bin" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
  || { echo "Doorstep needs Python 3.11; found $("$python_bin" --version)" >&2; exit 1; }

# --- Python and front-end packages -------------------------------------------------------------
say "Python packages (.venv)"
[ -x .venv/bin/python ] || "$python_bin" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"
say "Front-end packages (npm ci, from package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error
say "Translations"
.venv/bin/python manage.py compilemessages -v 0 --ignore=.venv --ignore=node_modules

if [ "$mode" = demo ]; then
  say "Demo (SQLite, generated data)"
  export DJANGO_SETTINGS_MODULE=config.settings.local
  exec .venv/bin/doorstep demo run --host "${DOORSTEP_HOST:-127.0.0.1}" --port "${DOORSTEP_PORT:-8000}"
fi

# --- services for the tests: PostgreSQL and Redis ----------------------------------------------
say "PostgreSQL and Redis"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  cluster="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$cluster" ]; then echo "PostgreSQL is not installed" >&2; exit 1; fi
  hba="/etc/postgresql/$cluster/main/pg_hba.conf"
  # A fresh Debian cluster asks for passwords over TCP; the tests connect as postgres without one.
  if ! as_root grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$cluster" main start \
    || as_root pg_ctlcluster --skip-systemctl-redirect "$cluster" main restart
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test" >/dev/null
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
export DOORSTEP_TEST_REDIS_URL="${DOORSTEP_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
export DJANGO_SETTINGS_MODULE=config.settings.test

say "Lint (ruff)"
.venv/bin/ruff check .
say "Types (mypy)"
.venv/bin/mypy doorstep config
say "Architecture (import-linter: every core package is free of Django)"
.venv/bin/lint-imports
say "Migrations are complete"
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null
say "OpenAPI schema"
.venv/bin/python manage.py spectacular --validate --fail-on-warn --file /tmp/doorstep-openapi.yaml
say "Tests (pytest on PostgreSQL)"
.venv/bin/pytest -n 2 --dist loadfile -q "${@:2}"
