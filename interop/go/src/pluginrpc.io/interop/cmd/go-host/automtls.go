package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"time"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	kvproto "pluginrpc.io/gen/kvproto"
	"pluginrpc.io/interop/shared"
)

// autoMTLSScenario runs with -automtls: the KV calls work over go-plugin's own mutual TLS, and the
// plugin's listener turns away a plaintext client and a client with a certificate the host did not send.
func autoMTLSScenario(r *shared.Report, client *plugin.Client) {
	rpc := connect(r, client)
	if rpc == nil {
		return
	}
	raw, err := rpc.Dispense("kv")
	if !r.Check("dispense kv", err) {
		return
	}
	r.Check("put/get over AutoMTLS", putGet(raw.(kvproto.KVClient), "secret", []byte("over mTLS")))
	addr := client.ReattachConfig().Addr
	r.Check("plaintext client rejected", rejected(addr, grpc.WithInsecure()))
	stranger, err := selfSigned()
	if !r.Check("stranger certificate", err) {
		return
	}
	// The stranger skips verifying the plugin: what is under test is that the plugin verifies the client.
	creds := credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{stranger}, InsecureSkipVerify: true})
	r.Check("client with another certificate rejected", rejected(addr, grpc.WithTransportCredentials(creds)))
}

// rejected dials the plugin's address with the given credentials and expects a KV call to fail as
// UNAVAILABLE, without hanging.
func rejected(addr net.Addr, option grpc.DialOption) error {
	dialer := func(ctx context.Context, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, addr.Network(), addr.String())
	}
	conn, err := grpc.Dial("plugin", option, grpc.WithContextDialer(dialer))
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := callContext()
	defer cancel()
	_, err = kvproto.NewKVClient(conn).Get(ctx, &kvproto.GetRequest{Key: "secret"})
	if err == nil {
		return fmt.Errorf("the call succeeded")
	}
	if status.Code(err) != codes.Unavailable {
		return fmt.Errorf("the call failed with %v, want UNAVAILABLE", err)
	}
	return nil
}

// selfSigned makes a client certificate that nobody trusts.
func selfSigned() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "stranger"},
		NotBefore:    time.Now().Add(-time.Minute),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
