// Command go-kv-plugin is go-plugin's gRPC KV example written against go-plugin 1.0.1: the Go peer the
// Java host loads in the interop tests.
package main

import (
	"context"
	"os"
	"sync"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	kvproto "pluginrpc.io/gen/kvproto"
	"pluginrpc.io/interop/shared"
)

// store keeps values in memory; a missing key reads as an empty value.
type store struct {
	mu     sync.Mutex
	values map[string][]byte
	log    hclog.Logger
}

func (s *store) Get(_ context.Context, req *kvproto.GetRequest) (*kvproto.GetResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &kvproto.GetResponse{Value: s.values[req.Key]}, nil
}

func (s *store) Put(_ context.Context, req *kvproto.PutRequest) (*kvproto.Empty, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values[req.Key] = req.Value
	s.log.Debug("stored a value", "key", req.Key, "bytes", len(req.Value))
	return &kvproto.Empty{}, nil
}

func main() {
	log := hclog.New(&hclog.LoggerOptions{Name: "go-kv-plugin", Level: hclog.Debug, Output: os.Stderr, JSONFormat: true})
	log.Info("go-kv-plugin starting", "pid", os.Getpid())
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: shared.Handshake,
		Plugins:         map[string]plugin.Plugin{"kv": &shared.KVPlugin{Impl: &store{values: map[string][]byte{}, log: log}}},
		GRPCServer:      plugin.DefaultGRPCServer,
		Logger:          log,
	})
}
