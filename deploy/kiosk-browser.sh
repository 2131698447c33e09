#!/usr/bin/env bash
# Start Chromium as the office's report kiosk: full screen, silent receipt printing, and a fresh
# profile on every start (no history, autofill, passwords or first-run screens carried over).
# Usage: deploy/kiosk-browser.sh [URL]   (default http://127.0.0.1:8000/kiosk)
# Run it from the kiosk user's graphical session, e.g. by deploy/pojok-laporan-kiosk.desktop.
set -euo pipefail
URL="${1:-http://127.0.0.1:8000/kiosk}"
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser)}"
PROFILE="$(mktemp -d /tmp/pojok-kiosk.XXXXXX)"
trap 'rm -rf "$PROFILE"' EXIT

# A new profile that never saves what people type into forms.
mkdir -p "$PROFILE/Default"
cat > "$PROFILE/Default/Preferences" <<'JSON'
{"autofill": {"profile_enabled": false, "credit_card_enabled": false},
 "credentials_enable_service": false, "profile": {"password_manager_enabled": false},
 "translate": {"enabled": false}, "browser": {"check_default_browser": false}}
JSON

# Wait for the server (it may still be starting at boot).
for _ in $(seq 60); do
  curl -fs -o /dev/null "${URL%/kiosk}/healthz" && break
  sleep 1
done

# --lang=id: Chromium's own words (a file picker, a print error) and Accept-Language in Indonesian, so the
# first page a visitor sees is Indonesian whatever the machine's locale.
exec "$CHROMIUM" \
  --kiosk --kiosk-printing --lang=id \
  --user-data-dir="$PROFILE" \
  --no-first-run --no-default-browser-check \
  --disable-background-networking --disable-component-update --disable-sync \
  --disable-translate --disable-features=Translate,AutofillServerCommunication \
  --disable-session-crashed-bubble --disable-infobars --noerrdialogs \
  --overscroll-history-navigation=0 --disable-pinch \
  --password-store=basic \
  "$URL"
