#!/usr/bin/env bash
# Makes the real Pulumi CLI (and a Node.js language host) available for the real-CLI suites and prints the
# folder that holds them on the last line of stdout. Progress goes to stderr.
#
#   1. `pulumi` on PATH at version >= PINNED, with `pulumi-language-nodejs` beside it or on PATH: use it.
#   2. Otherwise build from the Go module proxy, through our wrapper module tools/pulumi-cli (the engine's go.mod
#      has replace directives, so `go install pkg@version` refuses it):
#        - pulumi: github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at PINNED, version set at link time;
#        - pulumi-language-nodejs: tools/pulumi-cli/language-nodejs, a STAND-IN for the real host, whose module
#          the proxy refuses (see that file's header).
#      Binaries are cached in ${AWS_MQ_GUARDRAILS_CACHE:-~/.cache/aws-mq-guardrails}/pulumi-<version>/, keyed by
#      a hash of the wrapper module, so a second run costs nothing.
# Downloads nothing but Go modules. Needs Go >= 1.26 for a build.
set -euo pipefail
PINNED="3.276.0"
root="$(cd "$(dirname "$0")/.." && pwd)"
wrapper="$root/tools/pulumi-cli"
log() { echo "pulumi-cli: $*" >&2; }

version_ge() { # $1 >= $2 (dotted numeric)
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1)" = "$2" ]
}

if [ "${PULUMI_CLI_FORCE_BUILD:-}" != "1" ] && command -v pulumi >/dev/null 2>&1; then
  have="$(pulumi version 2>/dev/null | sed 's/^v//' | sed 's/[-+].*//' || true)"
  dir="$(dirname "$(command -v pulumi)")"
  if [ -n "$have" ] && version_ge "$have" "$PINNED"; then
    if [ -x "$dir/pulumi-language-nodejs" ] || command -v pulumi-language-nodejs >/dev/null 2>&1; then
      log "using pulumi $have on PATH ($dir)"
      echo "$dir"
      exit 0
    fi
  fi
  log "pulumi on PATH (${have:-unknown version}) is older than $PINNED or has no Node.js language host; building $PINNED"
fi

if ! command -v go >/dev/null 2>&1; then
  log "no pulumi >= $PINNED on PATH and no Go toolchain to build it"
  exit 3
fi

cache="${AWS_MQ_GUARDRAILS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aws-mq-guardrails}/pulumi-$PINNED"
key="$(cat "$wrapper/go.mod" "$wrapper/go.sum" "$wrapper/language-nodejs/main.go" | sha256sum | cut -c1-16)"
if [ -x "$cache/pulumi" ] && [ -x "$cache/pulumi-language-nodejs" ] && [ "$(cat "$cache/.key" 2>/dev/null)" = "$key" ]; then
  log "cached: $cache"
  echo "$cache"
  exit 0
fi

mkdir -p "$cache"
tmp="$(mktemp -d "$cache/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PINNED"
start=$(date +%s)
log "building pulumi v$PINNED from the Go module proxy (several minutes on 2 cores) ..."
( cd "$wrapper" && GOFLAGS=-mod=readonly go build -ldflags "$ldflags" -o "$tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi ) >&2 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  sleep 30
  kill -0 "$pid" 2>/dev/null && log "  still building pulumi ($(( $(date +%s) - start )) s)"
done
wait "$pid" || { log "building pulumi failed"; exit 4; }
log "building the pulumi-language-nodejs stand-in ..."
( cd "$wrapper" && GOFLAGS=-mod=readonly go build -ldflags "-s -w -X main.Version=$PINNED" -o "$tmp/pulumi-language-nodejs" ./language-nodejs ) >&2 \
  || { log "building pulumi-language-nodejs failed"; exit 4; }
mv -f "$tmp/pulumi" "$tmp/pulumi-language-nodejs" "$cache/"
echo "$key" > "$cache/.key"
log "built in $(( $(date +%s) - start )) s: $cache"
echo "$cache"
