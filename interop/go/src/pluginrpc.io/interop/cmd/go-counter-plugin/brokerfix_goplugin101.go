//go:build !goplugin16

package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"os"
	"reflect"
	"unsafe"

	"github.com/hashicorp/go-plugin"
)

// fixBrokerDialTLS works around go-plugin 1.0.1's AutoMTLS bug #109 (fixed upstream in 1.4.4; the
// goplugin16 build, against 1.6.3, uses brokerfix_goplugin16.go instead): the
// plugin's broker dials the host with the server's TLS config, which has neither the host's certificate
// as a root nor the name "localhost", so every plugin-to-host dial fails certificate verification. The
// broker keeps that config in an unexported pointer shared with nobody else that would mind; adding the
// host certificate and server name to it fixes the dial. Without AutoMTLS there is nothing to fix.
func fixBrokerDialTLS(broker *plugin.GRPCBroker) error {
	hostPEM := os.Getenv("PLUGIN_CLIENT_CERT")
	if hostPEM == "" {
		return nil
	}
	field := reflect.ValueOf(broker).Elem().FieldByName("tls")
	if !field.IsValid() || field.Type() != reflect.TypeOf((*tls.Config)(nil)) {
		return errors.New("this go-plugin's GRPCBroker has no 'tls *tls.Config' field")
	}
	config := *(**tls.Config)(unsafe.Pointer(field.UnsafeAddr()))
	if config == nil {
		return errors.New("the broker has no TLS config although PLUGIN_CLIENT_CERT is set")
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM([]byte(hostPEM)) {
		return errors.New("PLUGIN_CLIENT_CERT holds no PEM certificate")
	}
	config.RootCAs = roots
	config.ServerName = "localhost"
	return nil
}
