#!/usr/bin/env bash
# Starts the local PostgreSQL, MariaDB and Redis the tests talk to, if they are installed but down.
# Harmless where they already run; on a machine without them the affected tests report it.
set -u
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! up 5432 && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! up 3306 && [ -x /usr/sbin/mariadbd ]; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
fi
if ! up 6379 && command -v redis-server >/dev/null; then
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
for _ in $(seq 1 30); do
  if up 5432 && up 3306 && up 6379; then exit 0; fi
  sleep 1
done
echo "ensure-services: not every service answered (postgres 5432, mariadb 3306, redis 6379)" >&2
exit 0
