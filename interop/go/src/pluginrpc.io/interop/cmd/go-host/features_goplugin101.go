//go:build !goplugin16

package main

import (
	"errors"

	"github.com/hashicorp/go-plugin"
)

// goPluginVersion is the go-plugin this host is built against (interop/build.sh builds it twice).
const goPluginVersion = "1.0.1"

// applyFeatures sets what only some go-plugin versions have. 1.0.1 has no broker multiplexing.
func applyFeatures(_ *plugin.ClientConfig, multiplex bool) error {
	if multiplex {
		return errors.New("-multiplex needs go-plugin 1.6 (GRPCBrokerMultiplex); this go-host is built against 1.0.1")
	}
	return nil
}
