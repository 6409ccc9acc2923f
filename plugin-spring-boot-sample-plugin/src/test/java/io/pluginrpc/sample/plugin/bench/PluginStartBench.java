package io.pluginrpc.sample.plugin.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.grpc.ManagedChannel;
import org.slf4j.LoggerFactory;

import io.pluginrpc.core.PluginEnvironment;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.proto.plugin.GRPCControllerGrpc;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;

/**
 * Measures how fast a KV plugin is ready, the way a host sees it: from just before exec
 * to the handshake line on stdout, and to the first successful {@code KV/Get}. One
 * process per run, started like go-plugin starts it (the host's environment plus the
 * cookie and {@code PLUGIN_*} variables), killed afterwards. A first run warms this
 * harness and the page cache and is not counted.
 * <p>
 * Usage:
 * {@code PluginStartBench [--runs N] [--name NAME] [--mtls] [--shutdown] -- command...};
 * with {@code --shutdown} each plugin is ended by {@code GRPCController/Shutdown} instead
 * of SIGKILL (training runs for a JVM cache need a normal exit). Prints one
 * {@code BENCH name value unit} line per figure (medians) for the benchmark scripts.
 */
public final class PluginStartBench {

	/** USER_HZ: 100 on every Linux this runs on. */
	private static final long CLOCK_TICKS_PER_SECOND = 100;

	private PluginStartBench() {
	}

	public static void main(String[] args) throws Exception {
		int runs = 10;
		String name = "plugin";
		boolean mtls = false;
		boolean shutdown = false;
		int i = 0;
		for (; i < args.length && !args[i].equals("--"); i++) {
			switch (args[i]) {
				case "--runs" -> runs = Integer.parseInt(args[++i]);
				case "--name" -> name = args[++i];
				case "--mtls" -> mtls = true;
				case "--shutdown" -> shutdown = true;
				default -> throw new IllegalArgumentException("Unknown option " + args[i]
						+ "; usage: PluginStartBench [--runs N] [--name NAME] [--mtls] [--shutdown] -- command...");
			}
		}
		List<String> command = Arrays.asList(args).subList(Math.min(i + 1, args.length), args.length);
		if (command.isEmpty()) {
			throw new IllegalArgumentException("No plugin command after '--'");
		}
		quietLogging();
		AutoMtlsCertificate hostCertificate = mtls ? AutoMtlsCertificate.generate() : null;
		List<Run> results = new ArrayList<>();
		for (int run = 0; run <= runs; run++) {
			Run result = launch(command, hostCertificate, shutdown);
			System.err.printf("%s run %d: handshake %d ms, first get %d ms, cpu %d ms, rss %d MiB%s%n", name, run,
					result.handshakeMillis, result.firstCallMillis, result.cpuMillis, result.rssKib / 1024,
					(run == 0) ? " (warm-up)" : "");
			if (run > 0) {
				results.add(result);
			}
			Thread.sleep(300);
		}
		System.out.printf("BENCH plugin-start.%s.handshake %d ms%n", name,
				median(results.stream().mapToLong(Run::handshakeMillis).toArray()));
		System.out.printf("BENCH plugin-start.%s.first-call %d ms%n", name,
				median(results.stream().mapToLong(Run::firstCallMillis).toArray()));
		System.out.printf("BENCH plugin-start.%s.cpu %d ms%n", name,
				median(results.stream().mapToLong(Run::cpuMillis).toArray()));
		System.out.printf("BENCH plugin-start.%s.rss %d MiB%n", name,
				median(results.stream().mapToLong(Run::rssKib).toArray()) / 1024);
		System.exit(0);
	}

	/**
	 * CPU time is less disturbed than wall time when other work shares the machine's
	 * cores.
	 */
	private record Run(long handshakeMillis, long firstCallMillis, long cpuMillis, long rssKib) {
	}

	private static Run launch(List<String> command, AutoMtlsCertificate hostCertificate, boolean shutdown)
			throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
		Map<String, String> env = builder.environment();
		env.keySet().removeIf((key) -> key.startsWith("PLUGIN_"));
		env.put("BASIC_PLUGIN", "hello");
		env.put(PluginEnvironment.PROTOCOL_VERSIONS, "1");
		if (hostCertificate != null) {
			env.put(PluginEnvironment.CLIENT_CERT, hostCertificate.pem());
		}
		// A plugin ended with SIGKILL cannot remove its socket directory: keep it in one
		// removed afterwards.
		SocketDirectory sockets = SocketDirectory.create(null, null);
		env.put(PluginEnvironment.UNIX_SOCKET_DIR, sockets.path().toString());
		long start = System.nanoTime();
		Process process = builder.start();
		ManagedChannel channel = null;
		try {
			BufferedReader stdout = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
			String line = stdout.readLine();
			long handshakeAt = System.nanoTime();
			if (line == null) {
				throw new IllegalStateException("The plugin exited with status " + process.waitFor()
						+ " before its handshake line: " + String.join(" ", command));
			}
			HandshakeLine handshake = HandshakeLine.parse("bench", line, Set.of(1));
			TlsIdentity tls = (hostCertificate != null) ? TlsIdentity.autoMtls(hostCertificate, handshake.certificate())
					: null;
			channel = Transports.channelBuilder(Transports.socketAddress(handshake.network(), handshake.address()), tls)
				.build();
			KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
			kv.get(GetRequest.newBuilder().setKey("bench").build());
			long calledAt = System.nanoTime();
			Run run = new Run(TimeUnit.NANOSECONDS.toMillis(handshakeAt - start),
					TimeUnit.NANOSECONDS.toMillis(calledAt - start), cpuMillis(process.pid()), rssKib(process.pid()));
			if (shutdown) {
				// As a host ends a plugin: the JVM exits normally, which is when a
				// training run writes its cache.
				GRPCControllerGrpc.newBlockingStub(channel)
					.withDeadlineAfter(30, TimeUnit.SECONDS)
					.shutdown(io.pluginrpc.proto.plugin.Empty.getDefaultInstance());
				if (!process.waitFor(120, TimeUnit.SECONDS)) {
					throw new IllegalStateException("The plugin did not exit within 120 s of GRPCController/Shutdown");
				}
			}
			return run;
		}
		finally {
			if (channel != null) {
				channel.shutdownNow();
			}
			stop(process);
			sockets.close();
		}
	}

	/**
	 * This JVM's own gRPC client logs nothing worth seeing, and stdout is for BENCH
	 * lines.
	 */
	private static void quietLogging() {
		if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
			context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.ERROR);
		}
	}

	private static void stop(Process process) throws InterruptedException {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("The plugin " + process.pid() + " did not exit after SIGKILL");
		}
		drain(process.getInputStream());
	}

	private static void drain(InputStream in) {
		try (in) {
			in.readAllBytes();
		}
		catch (IOException ex) {
			// the process is gone; nothing left to read
		}
	}

	/**
	 * User plus system CPU time the process used so far (all threads), or 0 off Linux.
	 */
	private static long cpuMillis(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// Fields after the command name (which may hold spaces) start at index 2
			// (state); utime, stime are 14, 15.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	/**
	 * Resident set size of the process (after exec, the plugin JVM itself), or 0 off
	 * Linux.
	 */
	private static long rssKib(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// not Linux, or the process is gone
		}
		return 0;
	}

	private static long median(long[] values) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

}
