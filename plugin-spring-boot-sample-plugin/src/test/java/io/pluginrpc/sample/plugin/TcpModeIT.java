package io.pluginrpc.sample.plugin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;

import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code plugin-server.network=tcp} the plugin listens on loopback in the host's
 * PLUGIN_MIN_PORT..PLUGIN_MAX_PORT range, trying ports upwards like go-plugin on Windows.
 */
class TcpModeIT {

	private static final Pattern HANDSHAKE = Pattern.compile("1\\|1\\|tcp\\|127\\.0\\.0\\.1:(\\d+)\\|grpc\\|");

	@Test
	void listensOnTheFirstFreePortOfTheRangeAndServesKv() throws Exception {
		List<ServerSocket> range = freeRange(4);
		int min = range.get(0).getLocalPort();
		int max = range.get(range.size() - 1).getLocalPort();
		// Keep the first port taken, so the plugin must move up the range; free the rest
		// for it.
		ServerSocket taken = range.get(0);
		for (ServerSocket socket : range.subList(1, range.size())) {
			socket.close();
		}
		try (taken) {
			Map<String, String> env = PluginProcess.hostEnvironment();
			env.put("PLUGIN_MIN_PORT", Integer.toString(min));
			env.put("PLUGIN_MAX_PORT", Integer.toString(max));
			try (PluginProcess plugin = PluginProcess.start(env, "--plugin-server.network=tcp")) {
				String line = plugin.handshakeLine();
				Matcher matcher = HANDSHAKE.matcher(line);
				assertThat(matcher.matches()).as(line).isTrue();
				int port = Integer.parseInt(matcher.group(1));
				assertThat(port).isBetween(min + 1, max);

				ManagedChannel channel = plugin.channel(null);
				KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
				kv.put(PutRequest.newBuilder().setKey("tcp").setValue(ByteString.copyFromUtf8("works")).build());
				assertThat(kv.get(GetRequest.newBuilder().setKey("tcp").build()).getValue().toStringUtf8())
					.isEqualTo("works");
			}
		}
	}

	/**
	 * Binds {@code size} consecutive loopback ports somewhere in 20000-59999 and returns
	 * the sockets.
	 */
	private static List<ServerSocket> freeRange(int size) throws IOException {
		InetAddress loopback = InetAddress.getByName("127.0.0.1");
		for (int attempt = 0; attempt < 100; attempt++) {
			int base = ThreadLocalRandom.current().nextInt(20000, 60000);
			List<ServerSocket> sockets = new ArrayList<>();
			try {
				for (int port = base; port < base + size; port++) {
					sockets.add(new ServerSocket(port, 50, loopback));
				}
				return sockets;
			}
			catch (IOException ex) {
				for (ServerSocket socket : sockets) {
					socket.close();
				}
			}
		}
		throw new IllegalStateException("No " + size + " consecutive free loopback ports found");
	}

}
