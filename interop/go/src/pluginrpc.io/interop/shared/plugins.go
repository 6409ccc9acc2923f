// Package shared holds the go-plugin glue of the interop peers: the plugin types a host dispenses and a
// plugin serves, for go-plugin's KV and bidirectional Counter examples.
package shared

import (
	"context"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	counterproto "pluginrpc.io/gen/counterproto"
	kvproto "pluginrpc.io/gen/kvproto"
)

// Handshake is the handshake of go-plugin's examples; the Java sample plugin uses the same.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "BASIC_PLUGIN",
	MagicCookieValue: "hello",
}

// KVPlugin serves or dispenses proto.KV. Impl is only needed on the plugin side.
type KVPlugin struct {
	plugin.Plugin
	Impl kvproto.KVServer
}

// GRPCServer registers the implementation on the plugin's server.
func (p *KVPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	kvproto.RegisterKVServer(s, p.Impl)
	return nil
}

// GRPCClient returns the generated client for the host.
func (p *KVPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return kvproto.NewKVClient(c), nil
}

// CounterPlugin serves or dispenses proto.Counter. The broker travels with the client so that the host
// can serve AddHelper callbacks.
type CounterPlugin struct {
	plugin.Plugin
	// NewImpl builds the plugin-side implementation once the broker is known.
	NewImpl func(*plugin.GRPCBroker) counterproto.CounterServer
}

// GRPCServer registers the implementation on the plugin's server.
func (p *CounterPlugin) GRPCServer(broker *plugin.GRPCBroker, s *grpc.Server) error {
	counterproto.RegisterCounterServer(s, p.NewImpl(broker))
	return nil
}

// CounterClient is what a host dispenses: the generated client plus the broker for callbacks.
type CounterClient struct {
	counterproto.CounterClient
	Broker *plugin.GRPCBroker
}

// GRPCClient returns the client for the host.
func (p *CounterPlugin) GRPCClient(_ context.Context, broker *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return &CounterClient{CounterClient: counterproto.NewCounterClient(c), Broker: broker}, nil
}

// PluginSet lists every plugin the peers know, by the names go-plugin's examples use.
func PluginSet() map[string]plugin.Plugin {
	return map[string]plugin.Plugin{"kv": &KVPlugin{}, "counter": &CounterPlugin{}}
}
