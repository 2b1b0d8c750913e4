#!/usr/bin/env bash
# The distributed profile's services on loopback: a private Postgres cluster (Dagster's run and
# event storage) and a Redis (the Celery broker and result store), both under one folder.
#
#   scripts/services.sh start [DIR]   install what is missing, start both, write DIR/services.env
#   scripts/services.sh stop [DIR]    stop both (the data stays in DIR)
#
# DIR defaults to data/services. Ports: $VEILLE_PG_PORT (55432) and $VEILLE_REDIS_PORT (56379).
# Postgres refuses to run as root: as root, the cluster runs as the `postgres` user.
set -euo pipefail
cd "$(dirname "$0")/.."
ACTION="${1:-}"
DIR="$(realpath -m "${2:-data/services}")"
PG_PORT="${VEILLE_PG_PORT:-55432}"
REDIS_PORT="${VEILLE_REDIS_PORT:-56379}"
PG_DIR="$DIR/postgres"
REDIS_DIR="$DIR/redis"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"

as_pg() {
    # Run a Postgres command as the cluster's owner: `postgres` when we are root.
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_missing() {
    local packages=()
    [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || packages+=(postgresql)
    command -v redis-server >/dev/null || packages+=(redis-server)
    if [ ${#packages[@]} -gt 0 ]; then
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo=sudo
        $sudo apt-get update -qq
        $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
        PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    fi
    if ! .venv/bin/python -c "import dagster_celery, dagster_postgres, redis" 2>/dev/null; then
        .venv/bin/python -m pip install --quiet -e ".[distributed]"
    fi
}

start_postgres() {
    mkdir -p "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_DIR"; fi
    chmod 700 "$PG_DIR"
    if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
        # A password generated here, readable by this user only; scram on loopback.
        umask 077
        head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$DIR/pg_password"
        cp "$DIR/pg_password" "$PG_DIR/pwfile"
        [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR/pwfile"
        as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U veille --pwfile="$PG_DIR/pwfile" \
            --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log"
        rm -f "$PG_DIR/pwfile"
        umask 022
    fi
    if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=''" start \
            >/dev/null
    fi
    export PGPASSWORD
    PGPASSWORD="$(cat "$DIR/pg_password")"
    if ! psql -h 127.0.0.1 -p "$PG_PORT" -U veille -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'dagster'" | grep -q 1; then
        psql -h 127.0.0.1 -p "$PG_PORT" -U veille -d postgres -qc "CREATE DATABASE dagster"
    fi
}

start_redis() {
    mkdir -p "$REDIS_DIR"
    if [ ! -f "$DIR/redis_password" ]; then
        (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$DIR/redis_password")
    fi
    if [ -f "$REDIS_DIR/redis.pid" ] && kill -0 "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null; then
        return
    fi
    # Broker only: nothing to persist across restarts of the machine.
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --daemonize yes \
        --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --save '' \
        --appendonly no --requirepass "$(cat "$DIR/redis_password")"
    for _ in $(seq 100); do
        [ -f "$REDIS_DIR/redis.pid" ] && break
        sleep 0.1
    done
}

write_env() {
    local redis="redis://:$(cat "$DIR/redis_password")@127.0.0.1:$REDIS_PORT"
    (
        umask 077
        cat >"$DIR/services.env" <<EOF
VEILLE_PG_HOST=127.0.0.1
VEILLE_PG_PORT=$PG_PORT
VEILLE_PG_USER=veille
VEILLE_PG_PASSWORD=$(cat "$DIR/pg_password")
VEILLE_PG_DB=dagster
VEILLE_CELERY_BROKER=$redis/0
VEILLE_CELERY_BACKEND=$redis/1
EOF
    )
}

stop_all() {
    if [ -n "$PG_BIN" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null || true
    fi
    if [ -f "$REDIS_DIR/redis.pid" ]; then
        local pid
        pid="$(cat "$REDIS_DIR/redis.pid")"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        rm -f "$REDIS_DIR/redis.pid"
    fi
}

case "$ACTION" in
    start)
        install_missing
        mkdir -p "$DIR"
        start_postgres
        start_redis
        write_env
        echo "postgres on 127.0.0.1:$PG_PORT, redis on 127.0.0.1:$REDIS_PORT; settings in $DIR/services.env"
        ;;
    stop)
        stop_all
        echo "services under $DIR stopped"
        ;;
    *)
        echo "usage: $0 start|stop [DIR]" >&2
        exit 2
        ;;
esac
