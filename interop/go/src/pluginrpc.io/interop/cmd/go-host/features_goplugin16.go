//go:build goplugin16

package main

import (
	"bytes"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/hashicorp/go-plugin"
)

// goPluginVersion is the go-plugin this host is built against (interop/build.sh builds it twice).
const goPluginVersion = "1.6.3"

// applyFeatures sets what only some go-plugin versions have: multiplex asks the plugin for gRPC broker
// multiplexing (PLUGIN_MULTIPLEX_GRPC=true), which go-plugin 1.6 hosts do only when configured; what the
// plugin sends over GRPCStdio is printed with the prefix "STDOUT " or "STDERR ", and kept for
// checkStdout.
func applyFeatures(config *plugin.ClientConfig, multiplex bool, expectStdout string) error {
	config.GRPCBrokerMultiplex = multiplex
	config.SyncStdout = &grpcStdout
	config.SyncStderr = prefixed{"STDERR "}
	return nil
}

// checkStdout waits until the plugin's GRPCStdio stdout holds the text, within a bound against a hang.
func checkStdout(text string) error {
	deadline := time.Now().Add(60 * time.Second)
	for !grpcStdout.contains(text) {
		if time.Now().After(deadline) {
			return fmt.Errorf("%q did not arrive over GRPCStdio within 60 s", text)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

// grpcStdout is the plugin's stdout as go-plugin receives it over GRPCStdio.
var grpcStdout recorded

type recorded struct {
	mu   sync.Mutex
	data bytes.Buffer
}

func (r *recorded) Write(data []byte) (int, error) {
	r.mu.Lock()
	r.data.Write(data)
	r.mu.Unlock()
	return prefixed{"STDOUT "}.Write(data)
}

func (r *recorded) contains(text string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return bytes.Contains(r.data.Bytes(), []byte(text))
}

// prefixed writes each chunk go-plugin received over GRPCStdio to stdout behind a prefix.
type prefixed struct{ prefix string }

func (p prefixed) Write(data []byte) (int, error) {
	if _, err := os.Stdout.Write(append([]byte(p.prefix), data...)); err != nil {
		return 0, err
	}
	return len(data), nil
}
