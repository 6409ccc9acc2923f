// Command go-bench is the Go side of bench/run.sh: a go-plugin 1.0.1 host that times one plugin and
// prints one "BENCH <name> <value> <unit>" line per figure, in the format the Java host bench prints.
//
//	go-bench -mode launch      [-automtls] [-n 10]                -name P -- <plugin command...>
//	go-bench -mode unary       [-automtls] [-n 10000] [-warmup N] -name P -- <plugin command...>
//	go-bench -mode concurrency [-callers 64] [-duration 5s]       -name P -- <plugin command...>
//	go-bench -mode overhead    [-plugins 10] [-idle 10s]          -name P -- <plugin command...>
package main

import (
	"context"
	"flag"
	"fmt"
	"io/ioutil"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	kvproto "pluginrpc.io/gen/kvproto"
	"pluginrpc.io/interop/shared"
)

func main() {
	mode := flag.String("mode", "", "launch, unary or concurrency")
	name := flag.String("name", "", "prefix of the figure names")
	autoMTLS := flag.Bool("automtls", false, "turn on go-plugin's AutoMTLS")
	n := flag.Int("n", 0, "iterations (launch: 10, unary: 10000)")
	warmup := flag.Int("warmup", 2000, "unary: calls before measuring")
	callers := flag.Int("callers", 64, "concurrency: concurrent callers")
	duration := flag.Duration("duration", 5*time.Second, "concurrency: how long to call")
	plugins := flag.Int("plugins", 10, "overhead: how many plugins")
	idle := flag.Duration("idle", 10*time.Second, "overhead: how long to measure idle CPU")
	flag.Parse()
	command := flag.Args()
	if len(command) == 0 || *name == "" {
		fail("usage: go-bench -mode launch|unary|concurrency -name P [flags] -- <plugin command...>")
	}
	switch *mode {
	case "launch":
		launch(*name, command, *autoMTLS, orDefault(*n, 10))
	case "unary":
		unary(*name, command, *autoMTLS, orDefault(*n, 10000), *warmup)
	case "concurrency":
		concurrency(*name, command, *autoMTLS, *callers, *duration)
	case "overhead":
		overhead(*name, command, *plugins, *idle)
	default:
		fail("unknown -mode " + *mode)
	}
}

// launch times NewClient to the first successful Get, n times, each with a fresh plugin process.
func launch(name string, command []string, autoMTLS bool, n int) {
	samples := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		began := time.Now()
		client, kv := start(command, autoMTLS)
		get(kv)
		samples = append(samples, time.Since(began))
		client.Kill()
	}
	sortDurations(samples)
	report(name+".median", millis(samples[len(samples)/2]), "ms")
	report(name+".min", millis(samples[0]), "ms")
}

// unary times n sequential Gets on one plugin after a warm-up.
func unary(name string, command []string, autoMTLS bool, n, warmup int) {
	client, kv := start(command, autoMTLS)
	defer client.Kill()
	put(kv)
	for i := 0; i < warmup; i++ {
		get(kv)
	}
	samples := make([]time.Duration, n)
	var total time.Duration
	pid := client.ReattachConfig().Pid
	hostBefore, pluginBefore := cpuTicks(os.Getpid()), cpuTicks(pid)
	switchesBefore := contextSwitches(pid)
	for i := range samples {
		began := time.Now()
		get(kv)
		samples[i] = time.Since(began)
		total += samples[i]
	}
	hostTicks, pluginTicks := cpuTicks(os.Getpid())-hostBefore, cpuTicks(pid)-pluginBefore
	switches := contextSwitches(pid) - switchesBefore
	sortDurations(samples)
	report(name+".mean", micros(total/time.Duration(n)), "us")
	report(name+".p50", micros(percentile(samples, 50)), "us")
	report(name+".p99", micros(percentile(samples, 99)), "us")
	// CPU time per call on each side (1/100 s ticks over n calls): what a call costs, much less sensitive
	// than latency to other load on the machine.
	report(name+".host_cpu_per_call", float64(hostTicks)*1e4/float64(n), "us")
	report(name+".plugin_cpu_per_call", float64(pluginTicks)*1e4/float64(n), "us")
	// Voluntary thread switches in the plugin per call: its threads waiting for each other or for the socket.
	report(name+".plugin_switches_per_call", float64(switches)/float64(n), "switches")
}

// contextSwitches sums the voluntary context switches (a thread waiting for another: a hand-off) of all
// threads of a process; involuntary ones depend on other load and are left out.
func contextSwitches(pid int) int64 {
	tasks, err := ioutil.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		fail(err.Error())
	}
	var total int64
	for _, task := range tasks {
		data, err := ioutil.ReadFile(fmt.Sprintf("/proc/%d/task/%s/status", pid, task.Name()))
		if err != nil {
			continue // the thread ended
		}
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "voluntary_ctxt_switches:") {
				value, _ := strconv.ParseInt(strings.TrimSpace(line[strings.Index(line, ":")+1:]), 10, 64)
				total += value
			}
		}
	}
	return total
}

// concurrency runs callers goroutines doing Gets on one client for the duration.
func concurrency(name string, command []string, autoMTLS bool, callers int, duration time.Duration) {
	client, kv := start(command, autoMTLS)
	defer client.Kill()
	put(kv)
	for i := 0; i < 1000; i++ {
		get(kv)
	}
	var mu sync.Mutex
	var all []time.Duration
	var wg sync.WaitGroup
	began := time.Now()
	deadline := began.Add(duration)
	for c := 0; c < callers; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, 4096)
			for time.Now().Before(deadline) {
				t := time.Now()
				get(kv)
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	sortDurations(all)
	report(name+".calls_per_s", float64(len(all))/elapsed.Seconds(), "calls/s")
	report(name+".p99", micros(percentile(all, 99)), "us")
}

// overhead reports the heap and goroutines one more managed plugin costs this host, and the CPU the
// host and its plugins use while all are idle.
func overhead(name string, command []string, plugins int, idle time.Duration) {
	warm, kv := start(command, false)
	get(kv)
	warm.Kill()
	heapBefore, goroutinesBefore := settledHeap(), runtime.NumGoroutine()
	clients := make([]*plugin.Client, 0, plugins)
	defer func() {
		for _, c := range clients {
			c.Kill()
		}
	}()
	for i := 0; i < plugins; i++ {
		client, kv := start(command, false)
		get(kv)
		clients = append(clients, client)
	}
	heapAfter, goroutinesAfter := settledHeap(), runtime.NumGoroutine()
	report(name+".heap_per_plugin", float64(int64(heapAfter)-int64(heapBefore))/float64(plugins)/1024, "KiB")
	report(name+".goroutines_per_plugin", float64(goroutinesAfter-goroutinesBefore)/float64(plugins), "goroutines")

	pids := make([]int, 0, plugins)
	for _, c := range clients {
		pids = append(pids, c.ReattachConfig().Pid)
	}
	hostBefore, pluginsBefore := cpuTicks(os.Getpid()), sumTicks(pids)
	began := time.Now()
	time.Sleep(idle)
	seconds := time.Since(began).Seconds()
	report(name+".idle_host_cpu", float64(cpuTicks(os.Getpid())-hostBefore)/100/seconds*100, "%")
	report(name+".idle_plugins_cpu", float64(sumTicks(pids)-pluginsBefore)/100/seconds*100, "%")
}

func settledHeap() uint64 {
	var stats runtime.MemStats
	for i := 0; i < 3; i++ {
		runtime.GC()
		time.Sleep(200 * time.Millisecond)
	}
	runtime.ReadMemStats(&stats)
	return stats.HeapAlloc
}

// cpuTicks is utime+stime of a process in USER_HZ (1/100 s), from /proc/<pid>/stat.
func cpuTicks(pid int) int64 {
	data, err := ioutil.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		fail(err.Error())
	}
	text := string(data)
	fields := strings.Fields(text[strings.LastIndex(text, ")")+2:])
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return utime + stime
}

func sumTicks(pids []int) int64 {
	var total int64
	for _, pid := range pids {
		total += cpuTicks(pid)
	}
	return total
}

func start(command []string, autoMTLS bool) (*plugin.Client, kvproto.KVClient) {
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  shared.Handshake,
		Plugins:          shared.PluginSet(),
		Cmd:              exec.Command(command[0], command[1:]...),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         autoMTLS,
		StartTimeout:     60 * time.Second,
		// Plugin logs are not part of what is measured; drop them as a quiet host would.
		Logger: hclog.New(&hclog.LoggerOptions{Name: "go-bench", Level: hclog.Error, Output: ioutil.Discard}),
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		fail("start: " + err.Error())
	}
	raw, err := rpc.Dispense("kv")
	if err != nil {
		client.Kill()
		fail("dispense: " + err.Error())
	}
	return client, raw.(kvproto.KVClient)
}

func put(kv kvproto.KVClient) {
	if _, err := kv.Put(context.Background(), &kvproto.PutRequest{Key: "bench", Value: []byte("value")}); err != nil {
		fail("put: " + err.Error())
	}
}

func get(kv kvproto.KVClient) {
	if _, err := kv.Get(context.Background(), &kvproto.GetRequest{Key: "bench"}); err != nil {
		fail("get: " + err.Error())
	}
}

func sortDurations(d []time.Duration) { sort.Slice(d, func(i, j int) bool { return d[i] < d[j] }) }

// percentile uses the nearest-rank method on sorted samples.
func percentile(sorted []time.Duration, p int) time.Duration {
	rank := (len(sorted)*p + 99) / 100
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}

func millis(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }
func micros(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }

func report(name string, value float64, unit string) { fmt.Printf("BENCH %s %.3f %s\n", name, value, unit) }

func fail(message string) {
	fmt.Fprintln(os.Stderr, "go-bench: "+message)
	os.Exit(1)
}

func orDefault(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}
