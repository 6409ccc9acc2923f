package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// waitGone polls until no process has the pid (go-plugin has reaped its child by the time Kill returns).
func waitGone(pid int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("plugin process %d still exists %s after Kill()", pid, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// socketGone checks the plugin removed its socket, and the private directory around it when the
// plugin made one (Java plugins use /tmp/pluginNNN/plugin.sock; Go 1.0.1 plugins /tmp/pluginNNN).
func socketGone(path string) error {
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		return fmt.Errorf("socket %s still exists after Kill()", path)
	}
	dir := filepath.Dir(path)
	if strings.HasPrefix(filepath.Base(dir), "plugin") {
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			return fmt.Errorf("socket directory %s still exists after Kill()", dir)
		}
	}
	return nil
}
