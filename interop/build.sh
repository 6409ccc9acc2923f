#!/usr/bin/env bash
# Builds the interop peers offline from Debian packages (Go 1.19 + go-plugin 1.0.1 in GOPATH mode,
# python3-grpc-tools), into interop/build/. Fast when nothing changed.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
OUT="$HERE/build"
PROTO="$ROOT/proto/src/main/proto"
SAMPLE_PROTO="$ROOT/plugin-spring-boot-sample-proto/src/main/proto"
GEN="$OUT/gopath/src/pluginrpc.io/gen"

need() { # command, Debian package
  command -v "$1" >/dev/null 2>&1 || { echo "interop/build.sh: '$1' not found; install the Debian package '$2'" >&2; exit 1; }
}
need go golang-go
need protoc protobuf-compiler
need protoc-gen-go protoc-gen-go-1-3
[ -d /usr/share/gocode/src/github.com/hashicorp/go-plugin ] || { echo "interop/build.sh: go-plugin sources missing; install golang-github-hashicorp-go-plugin-dev golang-google-grpc-dev golang-goprotobuf-dev golang-golang-x-net-dev" >&2; exit 1; }
/usr/bin/python3 -c 'import grpc_tools' 2>/dev/null || { echo "interop/build.sh: python3 grpc_tools missing; install python3-grpcio python3-grpc-tools" >&2; exit 1; }

stamp="$OUT/.stamp"
if [ -f "$stamp" ] && [ -z "$(find "$HERE/go" "$HERE/python" "$PROTO" "$SAMPLE_PROTO" "$HERE/build.sh" -newer "$stamp" -type f 2>/dev/null | head -1)" ]; then
  exit 0
fi
mkdir -p "$OUT/bin" "$OUT/python" "$GEN"

# Go stubs: one Go package per proto file (both files are proto package 'proto').
gen_go() { # proto file, go package dir
  local tmp; tmp="$(mktemp -d)"
  protoc -I "$SAMPLE_PROTO" --go_out=plugins=grpc,paths=source_relative:"$tmp" "$1"
  mkdir -p "$GEN/$2"
  find "$tmp" -name '*.pb.go' -exec cp {} "$GEN/$2/" \;
  rm -rf "$tmp"
}
gen_go proto/kv.proto kvproto
gen_go proto/counter.proto counterproto

export GO111MODULE=off GOFLAGS=-mod=mod GOPATH="$OUT/gopath:$HERE/go:/usr/share/gocode" GOCACHE="$OUT/gocache"
unset GOFLAGS
for cmd in go-host go-kv-plugin go-counter-plugin go-bench; do
  if [ -d "$HERE/go/src/pluginrpc.io/interop/cmd/$cmd" ]; then
    go build -o "$OUT/bin/$cmd" "pluginrpc.io/interop/cmd/$cmd"
  fi
done

# Python stubs: KV and Counter, go-plugin's controller, broker and stdio services, and the standard health
# service (Debian ships none for it). AutoMTLS in the Python peers needs python3-cryptography.
/usr/bin/python3 -c 'import cryptography' 2>/dev/null || { echo "interop/build.sh: python3 cryptography missing; install python3-cryptography" >&2; exit 1; }
/usr/bin/python3 -m grpc_tools.protoc -I "$PROTO" -I "$SAMPLE_PROTO" -I "$HERE/python" --python_out="$OUT/python" --grpc_python_out="$OUT/python" \
  proto/kv.proto proto/counter.proto plugin/grpc_controller.proto plugin/grpc_broker.proto plugin/grpc_stdio.proto health.proto
touch "$stamp"
