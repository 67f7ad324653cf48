#!/usr/bin/env bash
# Packs tracegrad and installs the tarball into a scratch app next to a given @opentelemetry/api version, to check
# that npm resolves the peer ranges without warnings and without a second copy of the API.
#   bash scripts/pack-check.sh 1.9.1     # expected: installs cleanly, one copy of @opentelemetry/api
#   bash scripts/pack-check.sh 1.10.0    # expected: ERESOLVE (the OTel SDK 2.x that tracegrad needs requires api < 1.10)
set -uo pipefail
api="${1:-1.9.1}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
cd "$here" && tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
cd "$work" && npm init -y >/dev/null
echo "== npm install tracegrad (packed) @opentelemetry/api@$api @langchain/core"
npm install --no-audit --no-fund "./$tarball" "@opentelemetry/api@$api" @langchain/core@1.4.0 2>&1 | grep -v "install-scripts" | tail -n 15
echo "== copies of @opentelemetry/api"
find node_modules -path '*/@opentelemetry/api/package.json' -not -path '*/node_modules/*/node_modules/*/node_modules/*' | xargs -r grep -H '"version"'
echo "== import the package and its subpaths"
node --input-type=module -e 'const t = await import("tracegrad"); const l = await import("tracegrad/langchain"); const s = await import("tracegrad/testing"); console.log(Object.keys(t).length, "root exports;", Object.keys(l).length, "langchain;", Object.keys(s).length, "testing")'
echo "== files in the tarball"
tar -tzf "$tarball" | sed 's|^package/||' | awk -F/ '{print $1"/"$2}' | sort | uniq -c | sort -rn | head -n 12
