// Command go-reattach-host is a go-plugin 1.6 host that attaches to a plugin already running in debug
// mode (go-plugin's ServeTestConfig, Terraform's -debug) from the reattach configuration the plugin
// printed, in the JSON shape of Terraform's TF_REATTACH_PROVIDERS entries:
//
//	{"Protocol":"grpc","ProtocolVersion":1,"Pid":123,"Test":true,"Addr":{"Network":"unix","String":"/tmp/plugin1"}}
//
// It pings the plugin, runs KV calls, then calls Kill(), which for a test-mode plugin must leave it
// running. Each check prints "PASS name" or "FAIL name: reason", then "RESULT <n> passed, <m> failed".
//
//	go-reattach-host [-cert host.crt -key host.key -ca plugin-ca.crt] '<reattach JSON>'
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	kvproto "pluginrpc.io/gen/kvproto"
	"pluginrpc.io/interop/shared"
)

// reattachJSON is go-plugin's ReattachConfig as Terraform encodes it: net.Addr does not decode, so the
// address travels as its network and string.
type reattachJSON struct {
	Protocol        string
	ProtocolVersion int
	Pid             int
	Test            bool
	Addr            struct {
		Network string
		String  string
	}
}

func main() {
	certFile := flag.String("cert", "", "host certificate (PEM) for explicit TLS")
	keyFile := flag.String("key", "", "host private key (PEM) for explicit TLS")
	caFile := flag.String("ca", "", "certificate(s) (PEM) the plugin's certificate must chain to")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: go-reattach-host [-cert f -key f -ca f] '<reattach JSON>'")
		os.Exit(2)
	}
	r := &report{}
	reattach, err := parse(flag.Arg(0))
	if !r.check("parse reattach JSON", err) {
		r.finish()
	}
	config := &plugin.ClientConfig{
		HandshakeConfig:  shared.Handshake,
		Plugins:          shared.PluginSet(),
		Reattach:         reattach,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "go-reattach-host", Level: hclog.Debug, Output: os.Stderr}),
	}
	if *certFile != "" {
		tlsConfig, err := loadTLS(*certFile, *keyFile, *caFile)
		if !r.check("load TLS material", err) {
			r.finish()
		}
		config.TLSConfig = tlsConfig
	}
	client := plugin.NewClient(config)
	rpc, err := client.Client()
	if r.check("attach", err) {
		r.check("ping", rpc.Ping())
		raw, err := rpc.Dispense("kv")
		if r.check("dispense kv", err) {
			r.check("put/get", putGet(raw.(kvproto.KVClient), "debug", []byte("attached")))
		}
	}
	client.Kill()
	// A test-mode plugin ends on its own: Kill() must not have stopped it.
	r.check("plugin still running after Kill()", alive(reattach.Pid))
	r.finish()
}

func parse(text string) (*plugin.ReattachConfig, error) {
	var in reattachJSON
	decoder := json.NewDecoder(bytes.NewReader([]byte(text)))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&in); err != nil {
		return nil, err
	}
	var addr net.Addr
	var err error
	switch in.Addr.Network {
	case "unix":
		addr, err = net.ResolveUnixAddr("unix", in.Addr.String)
	case "tcp":
		addr, err = net.ResolveTCPAddr("tcp", in.Addr.String)
	default:
		err = fmt.Errorf("unknown network %q", in.Addr.Network)
	}
	if err != nil {
		return nil, err
	}
	if in.Protocol != string(plugin.ProtocolGRPC) || in.Pid <= 0 || !in.Test {
		return nil, fmt.Errorf("expected Protocol grpc, a Pid and Test true, got %+v", in)
	}
	return &plugin.ReattachConfig{Protocol: plugin.Protocol(in.Protocol), ProtocolVersion: in.ProtocolVersion,
		Addr: addr, Pid: in.Pid, Test: in.Test}, nil
}

func loadTLS(certFile, keyFile, caFile string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, err
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no certificate in %s", caFile)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: pool, ServerName: "localhost",
		MinVersion: tls.VersionTLS12}, nil
}

func putGet(kv kvproto.KVClient, key string, value []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := kv.Put(ctx, &kvproto.PutRequest{Key: key, Value: value}); err != nil {
		return err
	}
	got, err := kv.Get(ctx, &kvproto.GetRequest{Key: key})
	if err != nil {
		return err
	}
	if !bytes.Equal(got.Value, value) {
		return fmt.Errorf("got %q, want %q", got.Value, value)
	}
	return nil
}

func alive(pid int) error {
	if err := syscall.Kill(pid, 0); err != nil {
		return fmt.Errorf("process %d: %v", pid, err)
	}
	return nil
}

// report counts and prints checks.
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

func (r *report) finish() {
	fmt.Printf("RESULT %d passed, %d failed\n", r.passed, r.failed)
	if r.failed > 0 {
		os.Exit(1)
	}
	os.Exit(0)
}
