#!/bin/sh
# certbot deploy hook: runs after each successful renewal, with RENEWED_LINEAGE naming
# /etc/letsencrypt/live/<name>. Install as
# /etc/letsencrypt/renewal-hooks/deploy/conclave.sh (mode 0755, owned by root).
#
# nginx reads the certificate from the lineage itself; the apps, which serve the same
# certificate on loopback (nginx verifies it), get a copy they can read as the
# conclave user. Then nginx is reloaded and both apps get SIGHUP, which makes them load
# the new certificate and key without dropping a connection.
set -eu

: "${RENEWED_LINEAGE:?certbot sets RENEWED_LINEAGE}"
TLS_DIR="${CONCLAVE_TLS_DIR:-/etc/conclave/tls}"
SERVICE_USER="${CONCLAVE_SERVICE_USER:-conclave}"
SERVICE_GROUP="${CONCLAVE_SERVICE_GROUP:-$SERVICE_USER}"
UNITS="${CONCLAVE_UNITS:-conclave-ws-server.service conclave-web.service}"

# Written beside the old files, then renamed: an app reloading meanwhile reads either
# the old pair or the new one, never half of each file.
install -m 0644 -o root -g root "$RENEWED_LINEAGE/fullchain.pem" "$TLS_DIR/.fullchain.pem.new"
install -m 0600 -o "$SERVICE_USER" -g "$SERVICE_GROUP" "$RENEWED_LINEAGE/privkey.pem" "$TLS_DIR/.privkey.pem.new"
mv -f "$TLS_DIR/.privkey.pem.new" "$TLS_DIR/privkey.pem"
mv -f "$TLS_DIR/.fullchain.pem.new" "$TLS_DIR/fullchain.pem"

nginx -t -q
systemctl reload nginx.service
# ExecReload= in each unit sends SIGHUP to the app.
# shellcheck disable=SC2086
systemctl reload $UNITS
