package io.pluginrpc.plugin.stdio;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.google.protobuf.Empty;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.proto.plugin.GRPCStdioGrpc;
import io.pluginrpc.proto.plugin.StdioData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** The stdio stream over a real Unix socket, read as a go-plugin host reads it. */
class GrpcStdioServiceTest {

	// Larger than the transport's flow-control windows (1 MiB per stream with
	// grpc-netty's defaults), so a
	// stalled host shows up as output waiting here.
	private static final int CAPACITY = 4 * 1024 * 1024;

	private final StdioCapture capture = new StdioCapture(CAPACITY);

	private final GrpcStdioService service = new GrpcStdioService(this.capture);

	private final SocketDirectory sockets = SocketDirectory.create(null, null);

	private Server server;

	private ManagedChannel channel;

	@BeforeEach
	void start() throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> !pumpThreadAlive());
		DomainSocketAddress address = new DomainSocketAddress(this.sockets.socket("stdio.sock").toString());
		this.server = Transports.serverBuilder(address, null).addService(this.service).build().start();
		this.channel = Transports.channelBuilder(address, null).build();
	}

	@AfterEach
	void stop() throws InterruptedException {
		this.service.close();
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		this.sockets.close();
	}

	@Test
	void streamsBothChannelsInOrderInChunksOfAtMost1024Bytes() throws Exception {
		this.capture.stdout().print("hello ");
		this.capture.stderr().print("oops");
		this.capture.stdout().print("x".repeat(3000));
		Context.CancellableContext call = Context.current().withCancellation();
		try {
			List<StdioData> received = call.call(() -> read(open(), 6 + 4 + 3000));
			StringBuilder stdout = new StringBuilder();
			StringBuilder stderr = new StringBuilder();
			for (StdioData data : received) {
				assertThat(data.getData().size()).isBetween(1, StdioCapture.MAX_CHUNK);
				assertThat(data.getChannel()).isIn(StdioData.Channel.STDOUT, StdioData.Channel.STDERR);
				(data.getChannel() == StdioData.Channel.STDOUT ? stdout : stderr).append(data.getData().toStringUtf8());
			}
			assertThat(received.get(0).getChannel()).isEqualTo(StdioData.Channel.STDOUT);
			assertThat(received.get(0).getData().toStringUtf8()).isEqualTo("hello ");
			assertThat(received.get(1).getChannel()).isEqualTo(StdioData.Channel.STDERR);
			assertThat(stdout.toString()).isEqualTo("hello " + "x".repeat(3000));
			assertThat(stderr.toString()).isEqualTo("oops");
		}
		finally {
			call.cancel(null);
		}
	}

	@Test
	void deliversWritesMadeWhileStreamingWithoutLossWhenTheHostKeepsUp() throws Exception {
		Context.CancellableContext call = Context.current().withCancellation();
		try {
			Iterator<StdioData> stream = call.call(this::open);
			int writers = 4;
			int lines = 2000;
			String line = "w".repeat(99) + "\n";
			CountDownLatch go = new CountDownLatch(1);
			List<Thread> threads = new ArrayList<>();
			for (int t = 0; t < writers; t++) {
				Thread writer = new Thread(() -> {
					try {
						go.await();
					}
					catch (InterruptedException ex) {
						return;
					}
					for (int i = 0; i < lines; i++) {
						this.capture.stdout().print(line);
					}
				});
				writer.start();
				threads.add(writer);
			}
			go.countDown();
			for (Thread writer : threads) {
				writer.join();
			}
			long written = (long) writers * lines * line.length();
			long received = 0;
			while (received + this.capture.droppedBytes() < written) {
				StdioData data = call.call(stream::next);
				assertThat(data.getData().size()).isBetween(1, StdioCapture.MAX_CHUNK);
				received += data.getData().size();
			}
			assertThat(received + this.capture.droppedBytes()).isEqualTo(written);
		}
		finally {
			call.cancel(null);
		}
	}

	@Test
	void rejectsASecondConcurrentReaderAndAcceptsANewOneAfterTheFirstLeft() throws Exception {
		Context.CancellableContext first = Context.current().withCancellation();
		try {
			Iterator<StdioData> stream = first.call(this::open);
			this.capture.stdout().print("a");
			assertThat(first.call(() -> stream.next().getData().toStringUtf8())).isEqualTo("a");
			assertThat(this.service.isStreaming()).isTrue();
			assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> open().hasNext())
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION))
				.satisfies((ex) -> assertThat(ex.getStatus().getDescription()).contains("already being streamed"));
		}
		finally {
			first.cancel(null);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.service.isStreaming());
		Context.CancellableContext second = Context.current().withCancellation();
		try {
			Iterator<StdioData> stream = second.call(this::open);
			this.capture.stderr().print("b");
			assertThat(second.call(() -> stream.next().getData().toStringUtf8())).isEqualTo("b");
		}
		finally {
			second.cancel(null);
		}
	}

	@Test
	void cancellingTheCallStopsThePumpThread() throws Exception {
		Context.CancellableContext call = Context.current().withCancellation();
		Iterator<StdioData> stream = call.call(this::open);
		this.capture.stdout().print("a");
		assertThat(call.call(() -> stream.next().getData().toStringUtf8())).isEqualTo("a");
		assertThat(pumpThreadAlive()).isTrue();
		call.cancel(null);
		await().atMost(Duration.ofSeconds(5)).until(() -> !pumpThreadAlive() && !this.service.isStreaming());
		this.capture.stdout().print("kept for the next reader");
		assertThat(this.capture.bufferedBytes()).isEqualTo(24);
	}

	@Test
	void closeSendsWhatIsBufferedThenCompletesTheStream() throws Exception {
		Context.CancellableContext call = Context.current().withCancellation();
		try {
			Iterator<StdioData> stream = call.call(this::open);
			this.capture.stdout().print("first");
			assertThat(call.call(() -> stream.next().getData().toStringUtf8())).isEqualTo("first");
			this.service.close();
			this.capture.stdout().print("late");
			StringBuilder rest = new StringBuilder();
			call.run(() -> stream.forEachRemaining((data) -> rest.append(data.getData().toStringUtf8())));
			assertThat(rest.toString()).isIn("", "late");
			await().atMost(Duration.ofSeconds(5)).until(() -> !pumpThreadAlive());
			assertThat(open().hasNext()).as("a call after close completes at once").isFalse();
		}
		finally {
			call.cancel(null);
		}
	}

	@Test
	void aSlowHostLeavesOutputInTheBoundedCaptureNotInTheTransport() throws Exception {
		AtomicReference<ClientCallStreamObserver<Empty>> requests = new AtomicReference<>();
		BlockingQueue<StdioData> received = new LinkedBlockingQueue<>();
		CountDownLatch firstMessage = new CountDownLatch(1);
		GRPCStdioGrpc.newStub(this.channel)
			.streamStdio(Empty.getDefaultInstance(), new ClientResponseObserver<Empty, StdioData>() {
				@Override
				public void beforeStart(ClientCallStreamObserver<Empty> requestStream) {
					requests.set(requestStream);
					// The host takes one message, then nothing until told: gRPC flow
					// control fills up.
					requestStream.disableAutoRequestWithInitial(1);
				}

				@Override
				public void onNext(StdioData value) {
					received.add(value);
					firstMessage.countDown();
				}

				@Override
				public void onError(Throwable t) {
				}

				@Override
				public void onCompleted() {
				}
			});
		this.capture.stdout().print("start");
		assertThat(firstMessage.await(10, TimeUnit.SECONDS)).isTrue();
		byte[] block = "y".repeat(1000).getBytes();
		for (int i = 0; i < 10 * 1024; i++) {
			this.capture.stdout().write(block, 0, block.length);
		}
		this.capture.stdout().print("END");
		long written = 5 + 10 * 1024 * 1000 + 3;
		// Once the transport's windows are full, the pump stops taking chunks and the
		// capture stays full.
		long[] last = { -1 };
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
			long now = this.capture.bufferedBytes();
			boolean settled = now == last[0];
			last[0] = now;
			return settled;
		});
		long inTransport = written - this.capture.droppedBytes() - this.capture.bufferedBytes() - received.size() * 5L;
		assertThat(this.capture.bufferedBytes()).isGreaterThan(CAPACITY / 2);
		assertThat(this.capture.droppedBytes()).isGreaterThan(0);
		assertThat(inTransport).as("bytes handed to gRPC but not taken by the host").isLessThan(3L * 1024 * 1024);
		assertThat(this.service.isStreaming()).isTrue();
		// The host catches up and gets the newest output, ending with the last write.
		requests.get().request(Integer.MAX_VALUE);
		ByteArrayOutputStream tail = new ByteArrayOutputStream();
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			StdioData data;
			while ((data = received.poll()) != null) {
				tail.write(data.getData().toByteArray());
			}
			return tail.toString().endsWith("END");
		});
		requests.get().cancel("done", null);
	}

	private Iterator<StdioData> open() {
		return GRPCStdioGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(20, TimeUnit.SECONDS)
			.streamStdio(Empty.getDefaultInstance());
	}

	private static List<StdioData> read(Iterator<StdioData> stream, int bytes) {
		List<StdioData> received = new ArrayList<>();
		int total = 0;
		while (total < bytes) {
			StdioData data = stream.next();
			received.add(data);
			total += data.getData().size();
		}
		return received;
	}

	private static boolean pumpThreadAlive() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.anyMatch((t) -> t.getName().equals("plugin-stdio") && t.isAlive());
	}

}
