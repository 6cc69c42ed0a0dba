#!/usr/bin/env bash
# Builds the embedded database engine (FerretDB v1.24.2; PostgreSQL or SQLite storage) into .tools/bin/ferretdb.
# Pinned by scripts/ferretdb/go.mod + go.sum; skipped when the binary was built from the same pins.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=.tools/bin/ferretdb
stamp=.tools/bin/ferretdb.stamp
want=$(cat scripts/ferretdb/go.mod scripts/ferretdb/go.sum scripts/ferretdb/*.go | sha256sum | cut -d' ' -f1)

if [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "FerretDB: already built ($bin)"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "FerretDB: the Go toolchain is needed to build the embedded database engine (go 1.24 or newer)." >&2
  echo "          Install Go, or set MONGODB_URI to an existing MongoDB server and skip the engine." >&2
  exit 1
fi

echo "FerretDB: building v1.24.2 with $(go version | cut -d' ' -f3) — the first build downloads modules and takes a few minutes…"
mkdir -p .tools/bin
start=$SECONDS
# -mod=readonly: go.sum is the pin; a build never rewrites it.
(cd scripts/ferretdb && GOFLAGS=-mod=readonly CGO_ENABLED=0 go build -trimpath -o ../../"$bin" .)
echo "$want" > "$stamp"
echo "FerretDB: built in $((SECONDS - start)) s"
