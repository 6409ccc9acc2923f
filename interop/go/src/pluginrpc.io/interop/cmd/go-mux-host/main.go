// Command go-mux-host is a go-plugin 1.6 host with GRPCBrokerMultiplex: it asks the plugin for gRPC broker
// multiplexing (PLUGIN_MULTIPLEX_GRPC=true), so go-plugin refuses a plugin that does not answer "true" in the
// 7th handshake field, then carries every gRPC connection, brokered ones included, over one yamux session.
// It reports each check as "PASS name" or "FAIL name: reason", then "RESULT <n> passed, <m> failed".
// Build it against go-plugin >= 1.6 (the field does not exist in 1.0.1).
//
//	go-mux-host [-automtls] -scenario kv|counter -- <plugin command and args>
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	counterproto "pluginrpc.io/gen/counterproto"
	kvproto "pluginrpc.io/gen/kvproto"
	"pluginrpc.io/interop/shared"
)

func main() {
	autoMTLS := flag.Bool("automtls", false, "turn on go-plugin's AutoMTLS")
	scenario := flag.String("scenario", "", "kv or counter")
	flag.Parse()
	command := flag.Args()
	if (*scenario != "kv" && *scenario != "counter") || len(command) == 0 {
		fmt.Fprintln(os.Stderr, "usage: go-mux-host [-automtls] -scenario kv|counter -- <plugin command...>")
		os.Exit(2)
	}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:     shared.Handshake,
		Plugins:             shared.PluginSet(),
		Cmd:                 exec.Command(command[0], command[1:]...),
		AllowedProtocols:    []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:            *autoMTLS,
		GRPCBrokerMultiplex: true,
		StartTimeout:        60 * time.Second,
		Logger:              hclog.New(&hclog.LoggerOptions{Name: "go-mux-host", Level: hclog.Debug, Output: os.Stderr}),
	})
	r := &report{}
	if rpc := connect(r, client); rpc != nil {
		if *scenario == "kv" {
			kvScenario(r, rpc)
		} else {
			counterScenario(r, rpc)
		}
	}
	r.check("kill", kill(client))
	fmt.Printf("RESULT %d passed, %d failed\n", r.passed, r.failed)
	if r.failed > 0 {
		os.Exit(1)
	}
}

type report struct{ passed, failed int }

func (r *report) check(name string, err error) bool {
	if err != nil {
		r.failed++
		fmt.Printf("FAIL %s: %v\n", name, err)
		return false
	}
	r.passed++
	fmt.Printf("PASS %s\n", name)
	return true
}

func callContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}

func connect(r *report, client *plugin.Client) plugin.ClientProtocol {
	rpc, err := client.Client()
	if !r.check("start with broker multiplexing", err) {
		return nil
	}
	fmt.Printf("INFO negotiated version %d, address %s\n", client.NegotiatedVersion(), client.ReattachConfig().Addr)
	r.check("ping", rpc.Ping())
	return rpc
}

func kvScenario(r *report, rpc plugin.ClientProtocol) {
	raw, err := rpc.Dispense("kv")
	if !r.check("dispense kv", err) {
		return
	}
	kv := raw.(kvproto.KVClient)
	r.check("put/get", putGet(kv, "hello", []byte("world")))
	big := make([]byte, 3<<20)
	for i := range big {
		big[i] = byte(i * 31)
	}
	r.check("3 MiB value (many yamux windows)", putGet(kv, "big", big))
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs <- putGet(kv, fmt.Sprintf("key-%d", i), []byte(fmt.Sprintf("value-%d", i)))
		}(i)
	}
	wg.Wait()
	close(errs)
	var first error
	for err := range errs {
		if err != nil && first == nil {
			first = err
		}
	}
	r.check("100 concurrent calls", first)
}

func putGet(kv kvproto.KVClient, key string, value []byte) error {
	ctx, cancel := callContext()
	defer cancel()
	if _, err := kv.Put(ctx, &kvproto.PutRequest{Key: key, Value: value}); err != nil {
		return fmt.Errorf("put %q: %v", key, err)
	}
	got, err := kv.Get(ctx, &kvproto.GetRequest{Key: key})
	if err != nil {
		return fmt.Errorf("get %q: %v", key, err)
	}
	if !bytes.Equal(got.Value, value) {
		return fmt.Errorf("get %q: %d bytes differ from the %d put", key, len(got.Value), len(value))
	}
	return nil
}

type adder struct{}

func (adder) Sum(_ context.Context, req *counterproto.SumRequest) (*counterproto.SumResponse, error) {
	return &counterproto.SumResponse{R: req.A + req.B}, nil
}

// counterScenario makes the plugin call back the host's AddHelper through the multiplexed broker: the plugin
// knocks for the id, the host acknowledges, and the plugin opens a yamux stream to the host's server.
func counterScenario(r *report, rpc plugin.ClientProtocol) {
	raw, err := rpc.Dispense("counter")
	if !r.check("dispense counter", err) {
		return
	}
	counter := raw.(*shared.CounterClient)
	for _, add := range []int64{5, 7, 30} {
		if !r.check(fmt.Sprintf("put %d through the multiplexed broker", add), putThroughBroker(counter, add)) {
			return
		}
	}
	ctx, cancel := callContext()
	defer cancel()
	got, err := counter.Get(ctx, &counterproto.CounterGetRequest{Key: "c"})
	if err == nil && got.Value != 42 {
		err = fmt.Errorf("counter is %d, want 42", got.Value)
	}
	r.check("get after broker callbacks", err)
}

func putThroughBroker(counter *shared.CounterClient, add int64) error {
	id := counter.Broker.NextId()
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

// kill stops the plugin the go-plugin way and checks the process is gone.
func kill(client *plugin.Client) error {
	reattach := client.ReattachConfig()
	done := make(chan struct{})
	go func() {
		client.Kill()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		return fmt.Errorf("Kill() did not return within 10 s")
	}
	if reattach == nil {
		return nil
	}
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(reattach.Pid, 0) != syscall.ESRCH {
		if time.Now().After(deadline) {
			return fmt.Errorf("plugin process %d still exists 5 s after Kill()", reattach.Pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}
