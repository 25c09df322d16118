#!/usr/bin/env bash
# Starts a throwaway Redis on 127.0.0.1 for the dspy4j-cache-redis tests, installing Debian's
# redis-server first when it is missing. Nothing is persisted (no RDB, no AOF).
#
#   scripts/redis-server.sh [--port N]        start (default port 6399); prints the URL
#   eval "$(scripts/redis-server.sh --export)" start and export DSPY4J_REDIS_URL in this shell
#   scripts/redis-server.sh --stop [--port N] shut that server down
#
# Output: the last line of stdout is the URL (redis://127.0.0.1:N), or with --export the line
# `export DSPY4J_REDIS_URL=redis://127.0.0.1:N`. Progress and errors go to stderr.
set -euo pipefail

port=6399
mode=start
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    --export) mode=export; shift ;;
    --stop) mode=stop; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "redis-server.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
case "$port" in
  ''|*[!0-9]*) echo "redis-server.sh: --port must be a number, was '$port'" >&2; exit 2 ;;
esac

url="redis://127.0.0.1:$port"

if [ "$mode" = stop ]; then
  if command -v redis-cli >/dev/null 2>&1; then
    redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
  fi
  exit 0
fi

if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server.sh: redis-server not found; installing Debian's redis-server" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "redis-server.sh: need root (or sudo) to apt-get install redis-server" >&2; exit 1
    fi
  fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >&2
  # Debian's package may start a system service on 6379; it is not ours and is left alone.
fi

ping() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = "PONG" ]
  else
    # bash's /dev/tcp: send an inline PING and expect +PONG
    exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null || return 1
    printf 'PING\r\n' >&3
    local reply=""
    read -r -t 1 reply <&3 || true
    exec 3>&- 3<&-
    [ "${reply%$'\r'}" = "+PONG" ]
  fi
}

if ping; then
  echo "redis-server.sh: a Redis already answers on 127.0.0.1:$port; reusing it" >&2
else
  workdir="${TMPDIR:-/tmp}/dspy4j-redis-$port"
  mkdir -p "$workdir"
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
    --dir "$workdir" --pidfile "$workdir/redis.pid" --logfile "$workdir/redis.log" >&2
  for _ in $(seq 1 100); do
    if ping; then break; fi
    sleep 0.1
  done
  if ! ping; then
    echo "redis-server.sh: Redis did not answer PING on 127.0.0.1:$port within 10 s; log:" >&2
    tail -n 20 "$workdir/redis.log" >&2 || true
    exit 1
  fi
  echo "redis-server.sh: Redis is up on 127.0.0.1:$port (pid $(cat "$workdir/redis.pid" 2>/dev/null || echo '?'))" >&2
fi

export DSPY4J_REDIS_URL="$url"
if [ "$mode" = export ]; then
  echo "export DSPY4J_REDIS_URL=$url"
else
  echo "$url"
fi
