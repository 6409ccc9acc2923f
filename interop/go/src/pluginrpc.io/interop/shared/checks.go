package shared

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"time"

	kvproto "pluginrpc.io/gen/kvproto"
)

// Report prints each check of a Go host as "PASS name" or "FAIL name: reason" and counts them; the Java
// tests read those lines and the final "RESULT n passed, m failed".
type Report struct{ Passed, Failed int }

// Check records one check; it returns whether the check passed, so a host can skip what depends on it.
func (r *Report) Check(name string, err error) bool {
	if err != nil {
		r.Failed++
		fmt.Printf("FAIL %s: %v\n", name, err)
		return false
	}
	r.Passed++
	fmt.Printf("PASS %s\n", name)
	return true
}

// Finish prints the result line and exits, with status 1 when a check failed.
func (r *Report) Finish() {
	fmt.Printf("RESULT %d passed, %d failed\n", r.Passed, r.Failed)
	if r.Failed > 0 {
		os.Exit(1)
	}
	os.Exit(0)
}

// PutGet stores a value through the KV service and checks that a Get returns it unchanged.
func PutGet(kv kvproto.KVClient, key string, value []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := kv.Put(ctx, &kvproto.PutRequest{Key: key, Value: value}); err != nil {
		return err
	}
	got, err := kv.Get(ctx, &kvproto.GetRequest{Key: key})
	if err != nil {
		return err
	}
	if !bytes.Equal(got.Value, value) {
		return fmt.Errorf("got %q, want %q", got.Value, value)
	}
	return nil
}
