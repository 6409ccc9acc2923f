package main

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	counterproto "pluginrpc.io/gen/counterproto"
	kvproto "pluginrpc.io/gen/kvproto"
	"pluginrpc.io/interop/shared"
)

var scenarios = map[string]func(*shared.Report, *plugin.Client){
	"handshake": handshakeScenario,
	"kv":        kvScenario,
	"counter":   counterScenario,
	"automtls":  autoMTLSScenario,
}

func callContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}

// connect starts the plugin and pings it; nil when that failed (already reported).
func connect(r *shared.Report, client *plugin.Client) plugin.ClientProtocol {
	rpc, err := client.Client()
	if !r.Check("start", err) {
		return nil
	}
	fmt.Printf("INFO negotiated version %d, address %s\n", client.NegotiatedVersion(), client.ReattachConfig().Addr)
	r.Check("ping", rpc.Ping())
	return rpc
}

func handshakeScenario(r *shared.Report, client *plugin.Client) {
	connect(r, client)
}

func kvScenario(r *shared.Report, client *plugin.Client) {
	rpc := connect(r, client)
	if rpc == nil {
		return
	}
	raw, err := rpc.Dispense("kv")
	if !r.Check("dispense kv", err) {
		return
	}
	kv := raw.(kvproto.KVClient)
	r.Check("put/get", putGet(kv, "hello", []byte("world")))
	r.Check("empty value", putGet(kv, "empty", []byte{}))
	big := make([]byte, 1<<20)
	for i := range big {
		big[i] = byte(i * 31)
	}
	r.Check("1 MiB value", putGet(kv, "big", big))
	r.Check("missing key", expectValue(kv, "never-put", []byte{}))
	r.Check("200 concurrent calls", concurrent(kv, 200))
}

func putGet(kv kvproto.KVClient, key string, value []byte) error {
	ctx, cancel := callContext()
	defer cancel()
	if _, err := kv.Put(ctx, &kvproto.PutRequest{Key: key, Value: value}); err != nil {
		return fmt.Errorf("put %q: %v", key, err)
	}
	return expectValue(kv, key, value)
}

func expectValue(kv kvproto.KVClient, key string, want []byte) error {
	ctx, cancel := callContext()
	defer cancel()
	got, err := kv.Get(ctx, &kvproto.GetRequest{Key: key})
	if err != nil {
		return fmt.Errorf("get %q: %v", key, err)
	}
	if !bytes.Equal(got.Value, want) {
		return fmt.Errorf("get %q: %d bytes differ from the %d put", key, len(got.Value), len(want))
	}
	return nil
}

func concurrent(kv kvproto.KVClient, n int) error {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if err := putGet(kv, fmt.Sprintf("key-%d", i), []byte(fmt.Sprintf("value-%d", i))); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	failed := 0
	var first error
	for err := range errs {
		if first == nil {
			first = err
		}
		failed++
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d failed, first: %v", failed, n, first)
	}
	return nil
}

// firstID is the broker id of the counter scenario's first Put.
var firstID uint32

// adder is the host's AddHelper, served to the plugin through the broker.
type adder struct{}

func (adder) Sum(_ context.Context, req *counterproto.SumRequest) (*counterproto.SumResponse, error) {
	return &counterproto.SumResponse{R: req.A + req.B}, nil
}

func counterScenario(r *shared.Report, client *plugin.Client) {
	rpc := connect(r, client)
	if rpc == nil {
		return
	}
	raw, err := rpc.Dispense("counter")
	if !r.Check("dispense counter", err) {
		return
	}
	counter := raw.(*shared.CounterClient)
	for _, add := range []int64{5, 7} {
		if !r.Check(fmt.Sprintf("put %d through the broker", add), putThroughBroker(counter, add)) {
			return
		}
	}
	ctx, cancel := callContext()
	defer cancel()
	got, err := counter.Get(ctx, &counterproto.CounterGetRequest{Key: "c"})
	if err == nil && got.Value != 12 {
		err = fmt.Errorf("counter is %d, want 12", got.Value)
	}
	if !r.Check("get after broker callbacks", err) {
		return
	}
	r.Check("a claimed broker id is not served again", reusedIDFails(counter))
}

// reusedIDFails sends a Put naming the broker id of the first Put, which the plugin already dialled and
// nobody announces again: the plugin's dial must fail (after its broker timeout) and nothing be added.
func reusedIDFails(counter *shared.CounterClient) error {
	ctx, cancel := callContext()
	defer cancel()
	if _, err := counter.Put(ctx, &counterproto.CounterPutRequest{AddServer: firstID, Key: "c", Value: 100}); err == nil {
		return fmt.Errorf("a Put naming the claimed broker id %d succeeded", firstID)
	}
	got, err := counter.Get(ctx, &counterproto.CounterGetRequest{Key: "c"})
	if err != nil {
		return err
	}
	if got.Value != 12 {
		return fmt.Errorf("counter is %d after the failed Put, want 12", got.Value)
	}
	return nil
}

// putThroughBroker serves AddHelper under a fresh broker id for the length of one Put, as go-plugin's
// bidirectional example does: a broker announcement is consumed by exactly one dial.
func putThroughBroker(counter *shared.CounterClient, add int64) error {
	id := counter.Broker.NextId()
	if firstID == 0 {
		firstID = id
	}
	served := make(chan *grpc.Server, 1)
	go counter.Broker.AcceptAndServe(id, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		counterproto.RegisterAddHelperServer(s, adder{})
		served <- s
		return s
	})
	ctx, cancel := callContext()
	defer cancel()
	_, err := counter.Put(ctx, &counterproto.CounterPutRequest{AddServer: id, Key: "c", Value: add})
	select {
	case s := <-served:
		s.Stop()
	case <-time.After(5 * time.Second):
	}
	return err
}
