// Command go-host is a go-plugin 1.0.1 host that exercises one plugin and reports each check as
// "PASS name" or "FAIL name: reason", then "RESULT <n> passed, <m> failed". The interop tests run it
// against the Java sample plugin.
//
//	go-host [-automtls] [-versions 1,2] -scenario kv|counter|handshake -- <plugin command and args>
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"pluginrpc.io/interop/shared"
)

func main() {
	autoMTLS := flag.Bool("automtls", false, "turn on go-plugin's AutoMTLS")
	scenario := flag.String("scenario", "", "kv, counter or handshake")
	versions := flag.String("versions", "1", "comma-separated protocol versions to offer")
	flag.Parse()
	command := flag.Args()
	run, known := scenarios[*scenario]
	if !known || len(command) == 0 {
		fmt.Fprintln(os.Stderr, "usage: go-host [-automtls] [-versions 1,2] -scenario kv|counter|handshake -- <plugin command...>")
		os.Exit(2)
	}
	offered, err := parseVersions(*versions)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  shared.Handshake,
		VersionedPlugins: offered,
		Cmd:              exec.Command(command[0], command[1:]...),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         *autoMTLS,
		StartTimeout:     60 * time.Second,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "go-host", Level: hclog.Debug, Output: os.Stderr}),
	})
	r := &report{}
	run(r, client)
	r.check("kill", killAndVerify(client))
	fmt.Printf("RESULT %d passed, %d failed\n", r.passed, r.failed)
	if r.failed > 0 {
		os.Exit(1)
	}
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

func parseVersions(list string) (map[int]plugin.PluginSet, error) {
	offered := map[int]plugin.PluginSet{}
	for _, item := range strings.Split(list, ",") {
		v, err := strconv.Atoi(item)
		if err != nil {
			return nil, fmt.Errorf("bad -versions item %q", item)
		}
		offered[v] = shared.PluginSet()
	}
	return offered, nil
}

// killAndVerify stops the plugin the go-plugin way (Shutdown RPC, then SIGKILL after 2 s) and checks
// that the process and its Unix socket are gone. Kill in 1.0.1 can block on pipes held by a
// grandchild, so it gets a deadline.
func killAndVerify(client *plugin.Client) error {
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
	if err := waitGone(reattach.Pid, 5*time.Second); err != nil {
		return err
	}
	if reattach.Addr != nil && reattach.Addr.Network() == "unix" {
		return socketGone(reattach.Addr.String())
	}
	return nil
}
