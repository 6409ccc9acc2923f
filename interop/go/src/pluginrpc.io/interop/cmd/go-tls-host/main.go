// Command go-tls-host is a go-plugin 1.6 host that launches a plugin with explicit TLS (ClientConfig.TLSConfig,
// the host side of a plugin's TLSProvider) instead of AutoMTLS, runs KV calls, and stops it with Kill():
// the Shutdown RPC, then SIGKILL if the plugin is still running 2 s later. It reports how long Kill() took
// and fails when go-plugin had to kill the plugin (it logs "plugin failed to exit gracefully"). Without -cert it runs in plaintext, to measure the same
// stop without TLS. Each check prints "PASS name" or "FAIL name: reason", then "RESULT <n> passed, <m> failed".
//
//	go-tls-host [-cert host.crt -key host.key -ca plugin-ca.crt] -- <plugin command and args>
package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	kvproto "pluginrpc.io/gen/kvproto"
	"pluginrpc.io/interop/shared"
)

// goPluginKillGrace is how long go-plugin's Kill() waits after the Shutdown RPC before SIGKILL.
const goPluginKillGrace = 2 * time.Second

func main() {
	certFile := flag.String("cert", "", "host certificate (PEM)")
	keyFile := flag.String("key", "", "host private key (PEM)")
	caFile := flag.String("ca", "", "certificate(s) (PEM) the plugin's certificate must chain to")
	flag.Parse()
	command := flag.Args()
	if len(command) == 0 {
		fmt.Fprintln(os.Stderr, "usage: go-tls-host [-cert f -key f -ca f] -- <plugin command...>")
		os.Exit(2)
	}
	r := &shared.Report{}
	logs := &syncBuffer{}
	config := &plugin.ClientConfig{
		HandshakeConfig:  shared.Handshake,
		Plugins:          shared.PluginSet(),
		Cmd:              exec.Command(command[0], command[1:]...),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		StartTimeout:     60 * time.Second,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "go-tls-host", Level: hclog.Debug, Output: io.MultiWriter(os.Stderr, logs)}),
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
	if r.Check("start", err) {
		r.Check("ping", rpc.Ping())
		raw, err := rpc.Dispense("kv")
		if r.Check("dispense kv", err) {
			r.Check("put/get", shared.PutGet(raw.(kvproto.KVClient), "tls", []byte("explicit")))
		}
	}
	pid := 0
	if reattach := client.ReattachConfig(); reattach != nil {
		pid = reattach.Pid
	}
	began := time.Now()
	client.Kill()
	took := time.Since(began)
	fmt.Printf("INFO kill took %d ms\n", took.Milliseconds())
	if pid != 0 {
		r.Check("plugin exited on Shutdown, before go-plugin's SIGKILL", exitedGracefully(pid, logs.String()))
	}
	r.Finish()
}

func exitedGracefully(pid int, logs string) error {
	if err := syscall.Kill(pid, 0); err != syscall.ESRCH {
		return fmt.Errorf("process %d still exists after Kill()", pid)
	}
	if strings.Contains(logs, "plugin failed to exit gracefully") {
		return fmt.Errorf("the plugin did not exit within go-plugin's %s after Shutdown and was killed", goPluginKillGrace)
	}
	return nil
}

// syncBuffer collects the host's log lines, written from go-plugin's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
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
	// The host's broker servers use the same configuration, so it also verifies the plugin's client
	// certificate there.
	return &tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: pool, ClientCAs: pool,
		ServerName: "localhost", MinVersion: tls.VersionTLS12}, nil
}
