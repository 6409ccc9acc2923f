// Command go-counter-plugin is go-plugin's bidirectional Counter example written against go-plugin
// 1.0.1: Put calls the host's AddHelper through the broker.
package main

import (
	"context"
	"os"
	"sync"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	counterproto "pluginrpc.io/gen/counterproto"
	"pluginrpc.io/interop/shared"
)

// counter adds through the host's AddHelper, reached under the broker id the host sends.
type counter struct {
	mu     sync.Mutex
	values map[string]int64
	broker *plugin.GRPCBroker
	log    hclog.Logger
}

func (c *counter) Put(ctx context.Context, req *counterproto.CounterPutRequest) (*counterproto.CounterEmpty, error) {
	conn, err := c.broker.Dial(req.AddServer)
	if err != nil {
		c.log.Error("broker dial failed", "id", req.AddServer, "error", err)
		return nil, err
	}
	defer conn.Close()
	c.mu.Lock()
	defer c.mu.Unlock()
	sum, err := counterproto.NewAddHelperClient(conn).Sum(ctx, &counterproto.SumRequest{A: c.values[req.Key], B: req.Value})
	if err != nil {
		return nil, err
	}
	c.values[req.Key] = sum.R
	return &counterproto.CounterEmpty{}, nil
}

func (c *counter) Get(_ context.Context, req *counterproto.CounterGetRequest) (*counterproto.CounterGetResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return &counterproto.CounterGetResponse{Value: c.values[req.Key]}, nil
}

func main() {
	log := hclog.New(&hclog.LoggerOptions{Name: "go-counter-plugin", Level: hclog.Debug, Output: os.Stderr, JSONFormat: true})
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: shared.Handshake,
		Plugins: map[string]plugin.Plugin{"counter": &shared.CounterPlugin{NewImpl: func(b *plugin.GRPCBroker) counterproto.CounterServer {
			if err := fixBrokerDialTLS(b); err != nil {
				log.Error("cannot apply the AutoMTLS broker fix", "error", err)
			}
			return &counter{values: map[string]int64{}, broker: b, log: log}
		}}},
		GRPCServer: plugin.DefaultGRPCServer,
		Logger:     log,
	})
}
