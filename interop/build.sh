#!/usr/bin/env bash
# Builds the interop peers offline into interop/build/, fast when nothing changed:
#  - bin/1.0.1/: our Go peers (go-host, go-kv-plugin, go-counter-plugin) against Debian's go-plugin 1.0.1,
#    plus go-bench; bin/<name> links to them (the paths older tests and bench/run.sh use);
#  - bin/1.6.3/: the same Go peers against go-plugin v1.6.3 (build tag goplugin16), the 1.6-only hosts
#    go-reattach-host (attaches to a plugin in debug mode) and go-tls-host (explicit TLSConfig, times Kill()),
#    and in bin/1.6.3/examples/
#    go-plugin's own examples built unmodified from its source: kv (examples/grpc host), kv-go-grpc (its
#    plugin), counter (examples/bidirectional host), counter-go-grpc (its plugin);
#  - python/: the Python peer's stubs.
# Go 1.19 in GOPATH mode, everything from Debian packages, except go-plugin v1.6.3's source: a tarball read from
# $GO_PLUGIN_1_6_3_TARBALL (default <repo>/../shared/peers/go-plugin-1.6.3.tar.gz), and github.com/golang/protobuf
# 1.5.2 unpacked from Debian's golang-github-golang-protobuf-1-5-dev .deb into a private GOPATH (installing it
# would replace the 1.3.5 that the go-plugin 1.0.1 builds need; see shared/peers/README.md).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
OUT="$HERE/build"
PROTO="$ROOT/proto/src/main/proto"
SAMPLE_PROTO="$ROOT/plugin-spring-boot-sample-proto/src/main/proto"
GEN="$OUT/gopath/src/pluginrpc.io/gen"
GP16="$OUT/go-plugin-1.6.3/gopath"
DEBS="$OUT/debs"
TARBALL="${GO_PLUGIN_1_6_3_TARBALL:-$ROOT/../shared/peers/go-plugin-1.6.3.tar.gz}"
PROTOBUF_15_DEB_PACKAGE=golang-github-golang-protobuf-1-5-dev

fail() { echo "interop/build.sh: $*" >&2; exit 1; }
need() { # command, Debian package
  command -v "$1" >/dev/null 2>&1 || fail "'$1' not found; install the Debian package '$2'"
}
need go golang-go
need protoc protobuf-compiler
need protoc-gen-go protoc-gen-go-1-3
need dpkg-deb dpkg
[ -d /usr/share/gocode/src/github.com/hashicorp/go-plugin ] || fail "go-plugin 1.0.1 sources missing; install golang-github-hashicorp-go-plugin-dev golang-google-grpc-dev golang-goprotobuf-dev golang-golang-x-net-dev"
for dir in google.golang.org/protobuf google.golang.org/genproto github.com/hashicorp/yamux github.com/oklog/run golang.org/x/sys golang.org/x/text; do
  [ -d "/usr/share/gocode/src/$dir" ] || fail "/usr/share/gocode/src/$dir missing (go-plugin 1.6.3 needs it); install golang-google-protobuf-dev golang-google-genproto-dev golang-github-hashicorp-yamux-dev golang-github-oklog-run-dev golang-golang-x-sys-dev golang-golang-x-text-dev"
done
/usr/bin/python3 -c 'import grpc_tools' 2>/dev/null || fail "python3 grpc_tools missing; install python3-grpcio python3-grpc-tools"
[ -f "$TARBALL" ] || fail "go-plugin v1.6.3 source not found at $TARBALL.
  The interop tests build go-plugin v1.6.3 from its source (MPL-2.0). Get it as a tarball with the prefix go-plugin-1.6.3/,
  e.g. 'git archive --prefix=go-plugin-1.6.3/ -o go-plugin-1.6.3.tar.gz v1.6.3' in a clone of
  github.com/hashicorp/go-plugin (tag v1.6.3, commit 5b05b3e78c6c3e4e0b8f21a9921cbd739ba72f2a), or GitHub's source
  archive of that tag, and put it at shared/peers/go-plugin-1.6.3.tar.gz beside this repository or set
  GO_PLUGIN_1_6_3_TARBALL to its path."

# Rebuild when a source, this script or the tarball changed.
mkdir -p "$OUT"
inputs="$(sha256sum "$TARBALL" | cut -d' ' -f1) $TARBALL"
stamp="$OUT/.stamp"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ] \
  && [ -z "$(find "$HERE/go" "$HERE/python" "$PROTO" "$SAMPLE_PROTO" "$HERE/build.sh" -newer "$stamp" -type f 2>/dev/null | head -1)" ]; then
  exit 0
fi
rm -f "$stamp"
mkdir -p "$OUT/bin/1.0.1" "$OUT/bin/1.6.3/examples" "$OUT/python" "$GEN" "$DEBS"

# go-plugin v1.6.3's source and github.com/golang/protobuf 1.5.2 in a GOPATH that only the 1.6.3 builds see.
rm -rf "$GP16"
mkdir -p "$GP16/src/github.com/hashicorp/go-plugin" "$GP16/src/github.com/golang"
tar -xzf "$TARBALL" -C "$GP16/src/github.com/hashicorp/go-plugin" --strip-components=1 \
  || fail "cannot extract $TARBALL"
grep -q '^module github.com/hashicorp/go-plugin$' "$GP16/src/github.com/hashicorp/go-plugin/go.mod" 2>/dev/null \
  || fail "$TARBALL does not hold go-plugin's source under one top directory (go-plugin-1.6.3/go.mod)"
[ -f "$GP16/src/github.com/hashicorp/go-plugin/grpc_stdio.go" ] || fail "$TARBALL is not go-plugin 1.6 (no grpc_stdio.go)"
deb="$(ls "$DEBS"/${PROTOBUF_15_DEB_PACKAGE}_1.5.*_all.deb 2>/dev/null | tail -1 || true)"
if [ -z "$deb" ]; then
  # .ci/run downloads it beforehand; a developer machine with Debian's package lists can fetch it here.
  (cd "$DEBS" && apt-get download "$PROTOBUF_15_DEB_PACKAGE" >/dev/null 2>&1) || true
  deb="$(ls "$DEBS"/${PROTOBUF_15_DEB_PACKAGE}_1.5.*_all.deb 2>/dev/null | tail -1 || true)"
  [ -n "$deb" ] || fail "github.com/golang/protobuf 1.5.2 for the go-plugin 1.6.3 build is missing: run
  (mkdir -p $DEBS && cd $DEBS && apt-get download $PROTOBUF_15_DEB_PACKAGE)
  (after 'apt-get update'; do not install that package: it conflicts with golang-goprotobuf-dev, which the 1.0.1 build needs)"
fi
unpacked="$(mktemp -d)"
dpkg-deb -x "$deb" "$unpacked"
cp -r "$unpacked/usr/share/gocode/src/github.com/golang/protobuf" "$GP16/src/github.com/golang/"
rm -rf "$unpacked"

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

export GO111MODULE=off GOCACHE="$OUT/gocache"
unset GOFLAGS
GOPATH_101="$OUT/gopath:$HERE/go:/usr/share/gocode"
GOPATH_163="$GP16:$OUT/gopath:$HERE/go:/usr/share/gocode"
for cmd in go-host go-kv-plugin go-counter-plugin go-bench; do
  GOPATH="$GOPATH_101" go build -o "$OUT/bin/1.0.1/$cmd" "pluginrpc.io/interop/cmd/$cmd"
  ln -sfn "1.0.1/$cmd" "$OUT/bin/$cmd"
done
for cmd in go-host go-kv-plugin go-counter-plugin go-reattach-host go-tls-host; do
  GOPATH="$GOPATH_163" go build -tags goplugin16 -o "$OUT/bin/1.6.3/$cmd" "pluginrpc.io/interop/cmd/$cmd"
done
# go-plugin's examples as they ship (each binary links one example's protos, so no registry conflict).
examples=github.com/hashicorp/go-plugin/examples
GOPATH="$GOPATH_163" go build -o "$OUT/bin/1.6.3/examples/kv" "$examples/grpc"
GOPATH="$GOPATH_163" go build -o "$OUT/bin/1.6.3/examples/kv-go-grpc" "$examples/grpc/plugin-go-grpc"
GOPATH="$GOPATH_163" go build -o "$OUT/bin/1.6.3/examples/counter" "$examples/bidirectional"
GOPATH="$GOPATH_163" go build -o "$OUT/bin/1.6.3/examples/counter-go-grpc" "$examples/bidirectional/plugin-go-grpc"

# Python stubs: KV and Counter, go-plugin's controller, broker and stdio services, and the standard health
# service (Debian ships none for it). AutoMTLS in the Python peers needs python3-cryptography.
/usr/bin/python3 -c 'import cryptography' 2>/dev/null || { echo "interop/build.sh: python3 cryptography missing; install python3-cryptography" >&2; exit 1; }
/usr/bin/python3 -m grpc_tools.protoc -I "$PROTO" -I "$SAMPLE_PROTO" -I "$HERE/python" --python_out="$OUT/python" --grpc_python_out="$OUT/python" \
  proto/kv.proto proto/counter.proto plugin/grpc_controller.proto plugin/grpc_broker.proto plugin/grpc_stdio.proto health.proto
echo "$inputs" > "$stamp"
