#!/usr/bin/env bash
# Installs the Debian packages the tests start themselves (Prometheus, Alertmanager, Chromium),
# when they are missing. Harmless where they are present; without apt the affected tests report it.
set -u
missing=()
command -v prometheus >/dev/null || missing+=(prometheus)
command -v prometheus-alertmanager >/dev/null || missing+=(prometheus-alertmanager)
command -v chromium >/dev/null || missing+=(chromium)
command -v nats-server >/dev/null || missing+=(nats-server)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if ! command -v apt-get >/dev/null; then
  echo "ensure-packages: missing ${missing[*]} and no apt-get to install them" >&2
  exit 0
fi
echo "ensure-packages: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
  echo "ensure-packages: apt-get install ${missing[*]} failed" >&2
exit 0
