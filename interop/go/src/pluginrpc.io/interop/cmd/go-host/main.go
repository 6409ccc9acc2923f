// Command go-host is a go-plugin host, built against go-plugin 1.0.1 and (build tag goplugin16) 1.6.3,
// that exercises one plugin and reports each check as "PASS name" or "FAIL name: reason", then
// "RESULT <n> passed, <m> failed". The interop tests run it against the Java sample plugin.
//
//	go-host [-automtls] [-multiplex] [-expect-stdout TEXT] [-versions 1,2] -scenario handshake|kv|counter|automtls -- <plugin command and args>
//
// -multiplex (1.6 only) asks for gRPC broker multiplexing; -expect-stdout TEXT (1.6 only) checks that the
// plugin sends TEXT over GRPCStdio.
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
	scenario := flag.String("scenario", "", "handshake, kv, counter or automtls")
	versions := flag.String("versions", "1", "comma-separated protocol versions to offer")
	multiplex := flag.Bool("multiplex", false, "ask for gRPC broker multiplexing (go-plugin 1.6 only)")
	expectStdout := flag.String("expect-stdout", "", "check that the plugin sends this text over GRPCStdio (go-plugin 1.6 only)")
	flag.Parse()
	command := flag.Args()
	run, known := scenarios[*scenario]
	if !known || len(command) == 0 {
		fmt.Fprintln(os.Stderr, "usage: go-host [-automtls] [-multiplex] [-expect-stdout TEXT] [-versions 1,2] -scenario handshake|kv|counter|automtls -- <plugin command...>")
		os.Exit(2)
	}
	offered, err := parseVersions(*versions)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	cmd := exec.Command(command[0], command[1:]...)
	config := &plugin.ClientConfig{
		HandshakeConfig:  shared.Handshake,
		VersionedPlugins: offered,
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         *autoMTLS,
		// A bound against a hang, not a performance check: a JVM plugin on a busy 2-core CI machine
		// can take more than go-plugin's default minute to print its handshake.
		StartTimeout: 3 * time.Minute,
		Logger:       hclog.New(&hclog.LoggerOptions{Name: "go-host", Level: hclog.Debug, Output: os.Stderr}),
	}
	if err := applyFeatures(config, *multiplex, *expectStdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Printf("INFO go-plugin %s host, AutoMTLS %t, multiplex %t\n", goPluginVersion, *autoMTLS, *multiplex)
	client := plugin.NewClient(config)
	r := &shared.Report{}
	run(r, client)
	if *expectStdout != "" && client.ReattachConfig() != nil {
		r.Check("stdout over GRPCStdio", checkStdout(*expectStdout))
	}
	r.Check("kill", killAndVerify(client, cmd))
	r.Finish()
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
// grandchild, so it gets a deadline. When the plugin never completed its handshake (a version or cookie
// mismatch) there is no reattach config: the process started from cmd is checked instead, and a socket it
// may have made is left to the caller to look for.
func killAndVerify(client *plugin.Client, cmd *exec.Cmd) error {
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
	pid := 0
	switch {
	case reattach != nil:
		pid = reattach.Pid
	case cmd.Process != nil:
		pid = cmd.Process.Pid
	default:
		fmt.Println("INFO the plugin process was never started")
		return nil
	}
	if err := waitGone(pid, 30*time.Second); err != nil {
		return err
	}
	if reattach != nil && reattach.Addr != nil && reattach.Addr.Network() == "unix" {
		return socketGone(reattach.Addr.String())
	}
	return nil
}
