//go:build goplugin16

package main

import "github.com/hashicorp/go-plugin"

// goPluginVersion is the go-plugin this host is built against (interop/build.sh builds it twice).
const goPluginVersion = "1.6.3"

// applyFeatures sets what only some go-plugin versions have: -multiplex asks the plugin for gRPC
// broker multiplexing (PLUGIN_MULTIPLEX_GRPC=true), which go-plugin 1.6 hosts do only when configured.
func applyFeatures(config *plugin.ClientConfig, multiplex bool) error {
	config.GRPCBrokerMultiplex = multiplex
	return nil
}
