package io.pluginrpc.core.mux;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * Two yamux sessions over a real Unix socket, or one session against raw frames written
 * by the test: data both ways, flow control with messages far above the 256 KiB window,
 * half-close, reset, ping, protocol errors.
 */
class YamuxSessionTest {

	private static final Duration HANG_GUARD = Duration.ofSeconds(30);

	@TempDir
	Path dir;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private YamuxSession client;

	private YamuxSession server;

	@BeforeEach
	void connect() throws Exception {
		SocketChannel[] pair = socketPair();
		this.client = SocketChannelStreams.session("client", pair[0], true);
		this.server = SocketChannelStreams.session("server", pair[1], false);
		this.resources.add(this.client);
		this.resources.add(this.server);
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void clientOpensAndEchoesMessagesLargerThanTheWindow() throws Exception {
		assertEcho(this.client, this.server, 3 * 1024 * 1024 + 17);
	}

	@Test
	void serverOpensToo() throws Exception {
		assertEcho(this.server, this.client, 1024 * 1024);
	}

	@Test
	void streamIdsFollowTheRoles() throws Exception {
		YamuxStream first = this.client.open();
		YamuxStream second = this.client.open();
		YamuxStream fromServer = this.server.open();
		assertThat(first.id()).isEqualTo(1);
		assertThat(second.id()).isEqualTo(3);
		assertThat(fromServer.id()).isEqualTo(2);
		assertThat(this.server.accept().id()).isEqualTo(1);
		assertThat(this.client.accept().id()).isEqualTo(2);
	}

	@Test
	void manyConcurrentStreamsKeepTheirBytesApart() throws Exception {
		List<CompletableFuture<Void>> echoes = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			int size = 100_000 + i * 7_919;
			echoes.add(CompletableFuture.runAsync(() -> {
				try {
					assertEcho(this.client, null, size);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}));
		}
		CompletableFuture.runAsync(() -> {
			for (int i = 0; i < 16; i++) {
				try {
					YamuxStream stream = this.server.accept();
					StreamSplice.THREADS.execute(() -> echo(stream));
				}
				catch (Exception ex) {
					return;
				}
			}
		});
		CompletableFuture.allOf(echoes.toArray(CompletableFuture[]::new)).get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
	}

	@Test
	void aWriterStopsAtThePeersWindowUntilThePeerReads() throws Exception {
		YamuxStream out = this.client.open();
		YamuxStream in = this.server.accept();
		byte[] message = random(1024 * 1024);
		CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
			try {
				out.output().write(message);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		// Exactly one window arrives while nobody reads; the rest waits for window
		// updates.
		await().atMost(HANG_GUARD).until(() -> in.input().available() == YamuxFrame.INITIAL_WINDOW);
		assertThat(writer).isNotDone();
		assertThat(in.input().available()).isEqualTo(YamuxFrame.INITIAL_WINDOW);
		byte[] received = new DataInputStreamReader(in.input()).readExactly(message.length);
		writer.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
		assertThat(received).isEqualTo(message);
	}

	@Test
	void halfCloseEndsOneDirectionOnly() throws Exception {
		YamuxStream a = this.client.open();
		a.output().write("question".getBytes());
		a.closeWrite();
		YamuxStream b = this.server.accept();
		assertThat(b.input().readAllBytes()).asString().isEqualTo("question");
		b.output().write("answer".getBytes());
		b.closeWrite();
		assertThat(a.input().readAllBytes()).asString().isEqualTo("answer");
		assertThatIOException().isThrownBy(() -> a.output().write(1)).withMessageContaining("closed for writing");
	}

	@Test
	void resetFailsThePeersReadsAndWrites() throws Exception {
		YamuxStream a = this.client.open();
		a.output().write(1);
		YamuxStream b = this.server.accept();
		a.reset();
		assertThatIOException().isThrownBy(() -> b.input().readAllBytes()).withMessageContaining("was reset");
		assertThatIOException().isThrownBy(() -> b.output().write(1)).withMessageContaining("was reset");
	}

	@Test
	void closingTheSessionEndsStreamsAndAccept() throws Exception {
		YamuxStream a = this.client.open();
		this.server.accept();
		this.server.close();
		assertThat(a.input().read()).isEqualTo(-1);
		this.client.awaitClosed();
		assertThat(this.client.closeCause()).isInstanceOf(java.io.EOFException.class);
		assertThatIOException().isThrownBy(this.server::accept).withMessageContaining("has ended");
		assertThatIOException().isThrownBy(this.client::open).withMessageContaining("has ended");
	}

	@Test
	void pingIsAnsweredWithTheSameValue() throws Exception {
		try (RawPeer peer = rawPeerOf(false)) {
			peer.send(new YamuxFrame(YamuxFrame.PING, YamuxFrame.SYN, 0, 0xCAFEBABEL), null);
			assertThat(peer.next()).isEqualTo(new YamuxFrame(YamuxFrame.PING, YamuxFrame.ACK, 0, 0xCAFEBABEL));
		}
	}

	@Test
	void dataBeyondTheWindowIsAProtocolErrorAnsweredWithGoAway() throws Exception {
		try (RawPeer peer = rawPeerOf(false)) {
			peer.send(new YamuxFrame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.SYN, 1, 0), null);
			try {
				peer.send(new YamuxFrame(YamuxFrame.DATA, 0, 1, YamuxFrame.INITIAL_WINDOW + 1),
						new byte[YamuxFrame.INITIAL_WINDOW + 1]);
			}
			catch (IOException ex) {
				// The session may hang up before the whole payload is written.
			}
			assertThat(peer.next())
				.isEqualTo(new YamuxFrame(YamuxFrame.GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_PROTOCOL_ERROR));
			peer.session.awaitClosed();
			assertThat(peer.session.closeCause()).isInstanceOf(YamuxProtocolException.class)
				.hasMessageContaining("receive window");
		}
	}

	@Test
	void anAcceptedStreamIsAcknowledgedAndGoWindowUpdatesArrive() throws Exception {
		try (RawPeer peer = rawPeerOf(false)) {
			// Open like Go does: a window update with SYN and no increment, then data
			// right away.
			peer.send(new YamuxFrame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.SYN, 1, 0), null);
			byte[] data = random(YamuxFrame.INITIAL_WINDOW);
			peer.send(new YamuxFrame(YamuxFrame.DATA, 0, 1, data.length), data);
			YamuxStream stream = peer.session.accept();
			assertThat(peer.next()).isEqualTo(new YamuxFrame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.ACK, 1, 0));
			assertThat(new DataInputStreamReader(stream.input()).readExactly(data.length)).isEqualTo(data);
			// Reading it all grants the whole window back, in one or two updates of at
			// least half a window.
			long granted = 0;
			while (granted < YamuxFrame.INITIAL_WINDOW) {
				YamuxFrame update = peer.next();
				assertThat(update.type()).isEqualTo(YamuxFrame.WINDOW_UPDATE);
				assertThat(update.length()).isGreaterThanOrEqualTo(YamuxFrame.INITIAL_WINDOW / 2);
				granted += update.length();
			}
			assertThat(granted).isEqualTo(YamuxFrame.INITIAL_WINDOW);
		}
	}

	@Test
	void aDuplicateStreamIsAProtocolError() throws Exception {
		try (RawPeer peer = rawPeerOf(false)) {
			peer.send(new YamuxFrame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.SYN, 1, 0), null);
			peer.send(new YamuxFrame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.SYN, 1, 0), null);
			peer.session.awaitClosed();
			assertThat(peer.session.closeCause()).isInstanceOf(YamuxProtocolException.class)
				.hasMessageContaining("twice");
		}
	}

	@Test
	void framesForUnknownStreamsAreSkipped() throws Exception {
		try (RawPeer peer = rawPeerOf(false)) {
			peer.send(new YamuxFrame(YamuxFrame.DATA, 0, 99, 5), "stale".getBytes());
			peer.send(new YamuxFrame(YamuxFrame.WINDOW_UPDATE, 0, 99, 1000), null);
			peer.send(new YamuxFrame(YamuxFrame.PING, YamuxFrame.SYN, 0, 7), null);
			assertThat(peer.next()).isEqualTo(new YamuxFrame(YamuxFrame.PING, YamuxFrame.ACK, 0, 7));
			assertThat(peer.session.isClosed()).isFalse();
		}
	}

	private static void assertEcho(YamuxSession opener, YamuxSession acceptor, int size) throws Exception {
		byte[] message = random(size);
		YamuxStream stream = opener.open();
		if (acceptor != null) {
			YamuxStream accepted;
			CompletableFuture<YamuxStream> pending = CompletableFuture.supplyAsync(() -> {
				try {
					return acceptor.accept();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> write(stream, message));
			accepted = pending.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
			StreamSplice.THREADS.execute(() -> echo(accepted));
			byte[] back = stream.input().readAllBytes();
			writing.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
			assertThat(back).isEqualTo(message);
			return;
		}
		CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> write(stream, message));
		byte[] back = stream.input().readAllBytes();
		writing.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
		assertThat(back).isEqualTo(message);
	}

	private static void write(YamuxStream stream, byte[] message) {
		try {
			stream.output().write(message);
			stream.closeWrite();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void echo(YamuxStream stream) {
		try {
			stream.input().transferTo(stream.output());
			stream.closeWrite();
		}
		catch (IOException ex) {
			stream.reset();
		}
	}

	private static byte[] random(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	private SocketChannel[] socketPair() throws IOException {
		Path socket = Files.createTempDirectory(this.dir, "s").resolve("y.sock");
		try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			listener.bind(UnixDomainSocketAddress.of(socket));
			SocketChannel a = SocketChannel.open(UnixDomainSocketAddress.of(socket));
			SocketChannel b = listener.accept();
			return new SocketChannel[] { a, b };
		}
	}

	/** A session on one end of a socket; the test speaks raw frames on the other. */
	private RawPeer rawPeerOf(boolean sessionIsClient) throws IOException {
		SocketChannel[] pair = socketPair();
		YamuxSession session = SocketChannelStreams.session("under-test", pair[0], sessionIsClient);
		return new RawPeer(session, pair[1]);
	}

	private static final class RawPeer implements AutoCloseable {

		final YamuxSession session;

		final SocketChannel channel;

		final InputStream in;

		final OutputStream out;

		RawPeer(YamuxSession session, SocketChannel channel) {
			this.session = session;
			this.channel = channel;
			this.in = SocketChannelStreams.input(channel);
			this.out = SocketChannelStreams.output(channel);
		}

		void send(YamuxFrame frame, byte[] payload) throws IOException {
			this.out.write(frame.encode());
			if (payload != null) {
				this.out.write(payload);
			}
		}

		YamuxFrame next() throws IOException {
			YamuxFrame frame = YamuxFrame.read(this.in);
			assertThat(frame).as("a frame from the session").isNotNull();
			if (frame.type() == YamuxFrame.DATA) {
				this.in.skipNBytes(frame.length());
			}
			return frame;
		}

		@Override
		public void close() throws IOException {
			this.session.close();
			this.channel.close();
		}

	}

	private record DataInputStreamReader(InputStream in) {

		byte[] readExactly(int size) throws IOException {
			byte[] bytes = new byte[size];
			new DataInputStream(this.in).readFully(bytes);
			return bytes;
		}

	}

}
