//go:build !goplugin16

package main

import (
	"errors"

	"github.com/hashicorp/go-plugin"
)

// goPluginVersion is the go-plugin this host is built against (interop/build.sh builds it twice).
const goPluginVersion = "1.0.1"

// applyFeatures sets what only some go-plugin versions have. 1.0.1 has neither broker multiplexing nor
// GRPCStdio.
func applyFeatures(_ *plugin.ClientConfig, multiplex bool, expectStdout string) error {
	if multiplex {
		return errors.New("-multiplex needs go-plugin 1.6 (GRPCBrokerMultiplex); this go-host is built against 1.0.1")
	}
	if expectStdout != "" {
		return errors.New("-expect-stdout needs go-plugin 1.6 (GRPCStdio); this go-host is built against 1.0.1")
	}
	return nil
}

func checkStdout(string) error {
	return errors.New("go-plugin 1.0.1 has no GRPCStdio")
}
