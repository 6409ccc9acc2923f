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
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"syscall"

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
	r := &shared.Report{}
	reattach, err := parse(flag.Arg(0))
	if !r.Check("parse reattach JSON", err) {
		r.Finish()
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
		if !r.Check("load TLS material", err) {
			r.Finish()
		}
		config.TLSConfig = tlsConfig
	}
	client := plugin.NewClient(config)
	rpc, err := client.Client()
	if r.Check("attach", err) {
		r.Check("ping", rpc.Ping())
		raw, err := rpc.Dispense("kv")
		if r.Check("dispense kv", err) {
			r.Check("put/get", shared.PutGet(raw.(kvproto.KVClient), "debug", []byte("attached")))
		}
	}
	client.Kill()
	// A test-mode plugin ends on its own: Kill() must not have stopped it.
	r.Check("plugin still running after Kill()", alive(reattach.Pid))
	r.Finish()
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

func alive(pid int) error {
	if err := syscall.Kill(pid, 0); err != nil {
		return fmt.Errorf("process %d: %v", pid, err)
	}
	return nil
}
