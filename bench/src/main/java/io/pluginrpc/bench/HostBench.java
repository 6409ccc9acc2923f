package io.pluginrpc.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.google.protobuf.ByteString;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginHost;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginEventListener;
import io.pluginrpc.host.RestartPolicy;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

/**
 * The Java side of {@code bench/run.sh}: this starter's host ({@link PluginClient}, what
 * every {@code plugins.<name>} bean wraps) timing one plugin, printing one
 * {@code BENCH <name> <value> <unit>} line per figure with the same names and methods as
 * {@code interop/.../cmd/go-bench}, so the two compare line by line.
 *
 * <pre>
 * HostBench launch      [--automtls] [--n 10]                --name P -- plugin command...
 * HostBench unary       [--automtls] [--n 10000] [--warmup N] --name P -- plugin command...
 * HostBench concurrency [--callers 64] [--seconds 5]          --name P -- plugin command...
 * HostBench overhead    [--plugins 10] [--idle-seconds 10]    --name P -- plugin command...
 * HostBench plugin-start [--n 10] [--idle-seconds 2]           --name P -- plugin command...
 * HostBench many        [--plugins 10]                          --name P -- plugin command...
 * </pre>
 */
public final class HostBench {

	private static final GetRequest GET = GetRequest.newBuilder().setKey("bench").build();

	/** The bench's plugins share one host, as an application's do. */
	private static final PluginHost HOST = PluginHost.create();

	private final Options options;

	private HostBench(Options options) {
		this.options = options;
	}

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		HostBench bench = new HostBench(options);
		switch (options.mode) {
			case "launch" -> bench.launch();
			case "unary" -> bench.unary();
			case "concurrency" -> bench.concurrency();
			case "overhead" -> bench.overhead();
			case "plugin-start" -> bench.pluginStart();
			case "many" -> bench.many();
			default -> throw new IllegalArgumentException("unknown mode " + options.mode);
		}
		System.exit(0);
	}

	/**
	 * Client creation to the first successful Get, with a fresh plugin process each time;
	 * also where that time goes: launch to handshake line (spawning and the plugin's own
	 * start), handshake line to a healthy connection (dial, TLS, health check) and from
	 * there to the first answer.
	 */
	private void launch() {
		int n = this.options.n(10);
		long[] samples = new long[n];
		long[] toHandshake = new long[n];
		long[] toHealthy = new long[n];
		for (int i = 0; i < n; i++) {
			TimedLaunch launch = timedLaunch();
			samples[i] = launch.firstCall();
			toHandshake[i] = launch.handshake();
			toHealthy[i] = launch.healthy();
			launch.client().stop();
		}
		long[] sorted = samples.clone();
		Arrays.sort(sorted);
		report("median", sorted[n / 2] / 1e6, "ms");
		report("min", sorted[0] / 1e6, "ms");
		// Phases of the run that gave the median, so they add up.
		int median = indexOf(samples, sorted[n / 2]);
		report("phase_handshake", toHandshake[median] / 1e6, "ms");
		report("phase_connect", (toHealthy[median] - toHandshake[median]) / 1e6, "ms");
		report("phase_first_call", (samples[median] - toHealthy[median]) / 1e6, "ms");
	}

	/**
	 * A started plugin and, in nanoseconds from client creation, when its phases ended.
	 */
	private record TimedLaunch(PluginClient client, long firstCall, long handshake, long healthy) {
	}

	/**
	 * Creates a client, starts its plugin and makes the first Get; the caller stops the
	 * client.
	 */
	private TimedLaunch timedLaunch() {
		PhaseListener phases = new PhaseListener();
		long began = System.nanoTime();
		PluginClient client = new PluginClient(config("bench"), HOST, RestartPolicy.NEVER, phases, List.of());
		try {
			client.start();
			KVGrpc.newBlockingStub(client.channel()).get(GET);
		}
		catch (RuntimeException ex) {
			client.stop();
			throw ex;
		}
		return new TimedLaunch(client, System.nanoTime() - began, phases.handshake, phases.started);
	}

	private static int indexOf(long[] values, long value) {
		for (int i = 0; i < values.length; i++) {
			if (values[i] == value) {
				return i;
			}
		}
		return 0;
	}

	/**
	 * Remembers when the handshake line arrived and when the connection was healthy, from
	 * launch.
	 */
	private static final class PhaseListener implements PluginEventListener {

		volatile long handshake;

		volatile long started;

		@Override
		public void handshake(String plugin, Duration latency) {
			this.handshake = latency.toNanos();
		}

		@Override
		public void started(String plugin, Duration startup) {
			this.started = startup.toNanos();
		}

	}

	/** Sequential Gets on one plugin after a warm-up. */
	private void unary() throws IOException {
		PluginClient client = started("bench");
		try {
			KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel());
			put(kv);
			for (int i = 0; i < this.options.warmup; i++) {
				kv.get(GET);
			}
			int n = this.options.n(10000);
			long[] samples = new long[n];
			long total = 0;
			long pid = client.getPid();
			long hostBefore = cpuTicks(ProcessHandle.current().pid());
			long pluginBefore = cpuTicks(pid);
			for (int i = 0; i < n; i++) {
				long began = System.nanoTime();
				kv.get(GET);
				samples[i] = System.nanoTime() - began;
				total += samples[i];
			}
			long hostTicks = cpuTicks(ProcessHandle.current().pid()) - hostBefore;
			long pluginTicks = cpuTicks(pid) - pluginBefore;
			Arrays.sort(samples);
			report("mean", total / (double) n / 1e3, "us");
			report("p50", percentile(samples, 50) / 1e3, "us");
			report("p99", percentile(samples, 99) / 1e3, "us");
			// CPU time per call on each side, as go-bench reports it: what a call costs,
			// much less sensitive
			// than latency to other load on the machine.
			report("host_cpu_per_call", hostTicks * 1e6 / TICKS_PER_SECOND / n, "us");
			report("plugin_cpu_per_call", pluginTicks * 1e6 / TICKS_PER_SECOND / n, "us");
		}
		finally {
			client.stop();
		}
	}

	/**
	 * Concurrent callers sharing one client (one channel), each calling Get in a loop.
	 */
	private void concurrency() throws InterruptedException {
		PluginClient client = started("bench");
		try {
			KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel());
			put(kv);
			for (int i = 0; i < this.options.warmup; i++) {
				kv.get(GET);
			}
			int callers = this.options.callers;
			long[][] perCaller = new long[callers][];
			int[] counts = new int[callers];
			CountDownLatch done = new CountDownLatch(callers);
			long began = System.nanoTime();
			long deadline = began + TimeUnit.SECONDS.toNanos(this.options.seconds);
			for (int c = 0; c < callers; c++) {
				int caller = c;
				Thread thread = new Thread(() -> {
					long[] mine = new long[1 << 16];
					int count = 0;
					while (System.nanoTime() < deadline) {
						long t = System.nanoTime();
						kv.get(GET);
						if (count == mine.length) {
							mine = Arrays.copyOf(mine, count * 2);
						}
						mine[count++] = System.nanoTime() - t;
					}
					perCaller[caller] = mine;
					counts[caller] = count;
					done.countDown();
				}, "caller-" + c);
				thread.start();
			}
			done.await();
			long elapsed = System.nanoTime() - began;
			int total = Arrays.stream(counts).sum();
			long[] all = new long[total];
			int at = 0;
			for (int c = 0; c < callers; c++) {
				System.arraycopy(perCaller[c], 0, all, at, counts[c]);
				at += counts[c];
			}
			Arrays.sort(all);
			report("calls_per_s", total / (elapsed / 1e9), "calls/s");
			report("p99", percentile(all, 99) / 1e3, "us");
		}
		finally {
			client.stop();
		}
	}

	/**
	 * The plugin phase of an application that declares several plugins: each plugin's
	 * client started on its own thread at once, as the Spring host's
	 * {@code ConcurrentPluginStartup} does, from the first launch to all of them RUNNING
	 * (healthy and answering a Get). Also the CPU bound of that phase: the plugins'
	 * summed CPU time up to then divided by the cores, the shortest the phase can be when
	 * the plugins are CPU-bound at start (a JVM is).
	 */
	private void many() throws Exception {
		int plugins = this.options.plugins;
		// As in an application, the host's own client stack is warm by the time its
		// plugins start (the
		// context took seconds to get there); one plugin launched and stopped before the
		// clock runs.
		PluginClient warm = started("warm-up");
		KVGrpc.newBlockingStub(warm.channel()).get(GET);
		warm.stop();
		List<PluginClient> clients = new ArrayList<>();
		for (int i = 0; i < plugins; i++) {
			clients.add(new PluginClient(config("plugin-" + i), HOST));
		}
		List<Thread> threads = new ArrayList<>();
		List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
		long began = System.nanoTime();
		try {
			for (PluginClient client : clients) {
				Thread thread = new Thread(() -> {
					try {
						client.start();
						KVGrpc.newBlockingStub(client.channel()).get(GET);
					}
					catch (Throwable ex) {
						failures.add(ex);
					}
				}, "plugin-start-" + threads.size());
				thread.start();
				threads.add(thread);
			}
			for (Thread thread : threads) {
				thread.join();
			}
			long elapsed = System.nanoTime() - began;
			if (!failures.isEmpty()) {
				throw new IllegalStateException("A plugin failed to start", failures.get(0));
			}
			double cpuSeconds = pluginTicks(clients) / TICKS_PER_SECOND;
			report("phase", elapsed / 1e6, "ms");
			report("cpu_bound", cpuSeconds / Runtime.getRuntime().availableProcessors() * 1e3, "ms");
		}
		finally {
			clients.forEach(PluginClient::stop);
		}
	}

	/**
	 * How fast the plugin itself starts: exec to its handshake line and exec to the first
	 * successful call (both as this host sees them, spawning included), the CPU time it
	 * took, and its resident memory once idle.
	 */
	private void pluginStart() throws Exception {
		int n = this.options.n(10);
		long[] handshake = new long[n];
		long[] firstCall = new long[n];
		long[] rss = new long[n];
		long[] cpu = new long[n];
		for (int i = 0; i < n; i++) {
			TimedLaunch launch = timedLaunch();
			try {
				cpu[i] = cpuTicks(launch.client().getPid());
				firstCall[i] = launch.firstCall();
				handshake[i] = launch.handshake();
				Thread.sleep(TimeUnit.SECONDS.toMillis(this.options.idleSeconds));
				rss[i] = residentKib(launch.client().getPid());
			}
			finally {
				launch.client().stop();
			}
		}
		Arrays.sort(handshake);
		Arrays.sort(firstCall);
		Arrays.sort(rss);
		Arrays.sort(cpu);
		report("handshake", handshake[n / 2] / 1e6, "ms");
		report("first_call", firstCall[n / 2] / 1e6, "ms");
		// The plugin's CPU time (user + system, all its threads) up to its first answered
		// call: what its
		// start costs the machine, and much less sensitive than wall time to other load.
		report("start_cpu", cpu[n / 2] * 1e3 / TICKS_PER_SECOND, "ms");
		report("rss_idle", rss[n / 2] / 1024.0, "MiB");
	}

	/** VmRSS of a process, in KiB. */
	private static long residentKib(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", ""));
			}
		}
		throw new IOException("No VmRSS for process " + pid);
	}

	/**
	 * Heap and threads this host adds per managed plugin (started, called once, then
	 * idle), and the CPU the host and its plugins use while everything is idle.
	 */
	private void overhead() throws Exception {
		int plugins = this.options.plugins;
		// A first plugin warms up what every client shares (event loop, classes, TLS), so
		// the figures
		// below are the cost of one more plugin, not of the first.
		PluginClient warm = started("warm-up");
		KVGrpc.newBlockingStub(warm.channel()).get(GET);
		warm.stop();
		settle();
		long heapBefore = usedHeap();
		int threadsBefore = Thread.activeCount();
		List<PluginClient> clients = new ArrayList<>();
		try {
			for (int i = 0; i < plugins; i++) {
				PluginClient client = started("plugin-" + i);
				KVGrpc.newBlockingStub(client.channel()).get(GET);
				clients.add(client);
			}
			settle();
			long heapAfter = usedHeap();
			int threadsAfter = Thread.activeCount();
			report("heap_per_plugin", (heapAfter - heapBefore) / (double) plugins / 1024, "KiB");
			report("threads_per_plugin", (threadsAfter - threadsBefore) / (double) plugins, "threads");

			long hostBefore = cpuTicks(ProcessHandle.current().pid());
			long pluginsBefore = pluginTicks(clients);
			long began = System.nanoTime();
			Thread.sleep(TimeUnit.SECONDS.toMillis(this.options.idleSeconds));
			double seconds = (System.nanoTime() - began) / 1e9;
			double hostCpu = (cpuTicks(ProcessHandle.current().pid()) - hostBefore) / TICKS_PER_SECOND / seconds;
			double pluginCpu = (pluginTicks(clients) - pluginsBefore) / TICKS_PER_SECOND / seconds;
			report("idle_host_cpu", hostCpu * 100, "%");
			report("idle_plugins_cpu", pluginCpu * 100, "%");
		}
		finally {
			clients.forEach(PluginClient::stop);
		}
	}

	/** USER_HZ: Linux reports process times in 1/100 s on every common architecture. */
	private static final double TICKS_PER_SECOND = 100.0;

	private static long pluginTicks(List<PluginClient> clients) throws IOException {
		long ticks = 0;
		for (PluginClient client : clients) {
			ticks += cpuTicks(client.getPid());
		}
		return ticks;
	}

	/**
	 * utime + stime of a process, from /proc/&lt;pid&gt;/stat (fields 14 and 15, after
	 * the command name).
	 */
	private static long cpuTicks(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	private static void settle() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(200);
		}
	}

	private static long usedHeap() {
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private PluginClient started(String name) {
		PluginClient client = new PluginClient(config(name), HOST);
		client.start();
		return client;
	}

	private PluginClientConfig config(String name) {
		return new PluginClientConfig(name, this.options.command, null, Map.of(), "BASIC_PLUGIN", "hello", Set.of(1),
				this.options.autoMtls, null, null, Duration.ofSeconds(60), Duration.ofSeconds(5), 10000, 25000, false,
				null, null);
	}

	private static void put(KVGrpc.KVBlockingStub kv) {
		kv.put(PutRequest.newBuilder().setKey("bench").setValue(ByteString.copyFromUtf8("value")).build());
	}

	/** Nearest-rank percentile of sorted samples, as go-bench computes it. */
	private static long percentile(long[] sorted, int p) {
		int rank = Math.max(1, (sorted.length * p + 99) / 100);
		return sorted[rank - 1];
	}

	private void report(String figure, double value, String unit) {
		System.out.printf("BENCH %s.%s %.3f %s%n", this.options.name, figure, value, unit);
	}

	/** Command-line options, in go-bench's spelling. */
	private static final class Options {

		String mode;

		String name;

		boolean autoMtls;

		int n;

		int warmup = 2000;

		int callers = 64;

		int seconds = 5;

		int plugins = 10;

		int idleSeconds = 10;

		List<String> command = List.of();

		int n(int fallback) {
			return (this.n > 0) ? this.n : fallback;
		}

		static Options parse(String[] args) {
			Options options = new Options();
			AtomicBoolean usage = new AtomicBoolean(args.length == 0);
			if (!usage.get()) {
				options.mode = args[0];
			}
			for (int i = 1; i < args.length && !usage.get(); i++) {
				switch (args[i]) {
					case "--automtls" -> options.autoMtls = true;
					case "--name" -> options.name = args[++i];
					case "--n" -> options.n = Integer.parseInt(args[++i]);
					case "--warmup" -> options.warmup = Integer.parseInt(args[++i]);
					case "--callers" -> options.callers = Integer.parseInt(args[++i]);
					case "--seconds" -> options.seconds = Integer.parseInt(args[++i]);
					case "--plugins" -> options.plugins = Integer.parseInt(args[++i]);
					case "--idle-seconds" -> options.idleSeconds = Integer.parseInt(args[++i]);
					case "--" -> {
						options.command = List.of(args).subList(i + 1, args.length);
						i = args.length;
					}
					default -> usage.set(true);
				}
			}
			if (usage.get() || options.name == null || options.command.isEmpty()) {
				throw new IllegalArgumentException(
						"usage: HostBench launch|unary|concurrency|overhead|plugin-start|many --name P [options] -- plugin command...");
			}
			return options;
		}

	}

}
