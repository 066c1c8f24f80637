#!/bin/sh
# npm start: build once if there is no build, then hand the process over to the server
# (exec, so Ctrl-C and SIGTERM reach it and it can stop the embedded database in order).
set -e
cd "$(dirname "$0")/.."
export NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
if [ ! -f dist/server.js ] || [ ! -f .next/BUILD_ID ]; then
  echo "m2m-pulse: no build found; building first (about a minute)…"
  npm run build
fi
exec node --enable-source-maps dist/server.js
