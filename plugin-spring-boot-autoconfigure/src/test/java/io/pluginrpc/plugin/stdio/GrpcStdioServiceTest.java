package io.pluginrpc.plugin.stdio;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Empty;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.proto.plugin.GRPCStdioGrpc;
import io.pluginrpc.proto.plugin.StdioData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The stdio stream over a real Unix socket, as a host reads it. */
class GrpcStdioServiceTest {

	private final StdioCapture capture = new StdioCapture(64 * 1024);

	private final GrpcStdioService service = new GrpcStdioService(this.capture);

	private final SocketDirectory sockets = SocketDirectory.create(null, null);

	private Server server;

	private ManagedChannel channel;

	@BeforeEach
	void start() throws Exception {
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
	void streamsBothChannelsInOrderInChunksOfAtMost1024Bytes() {
		this.capture.stdout().print("hello ");
		this.capture.stderr().print("oops");
		this.capture.stdout().print("x".repeat(3000));
		Context.CancellableContext call = Context.current().withCancellation();
		try {
			List<StdioData> received = call.call(() -> read(6 + 4 + 3000));
			StringBuilder stdout = new StringBuilder();
			StringBuilder stderr = new StringBuilder();
			for (StdioData data : received) {
				assertThat(data.getData().size()).isBetween(1, StdioCapture.MAX_CHUNK);
				(data.getChannel() == StdioData.Channel.STDOUT ? stdout : stderr).append(data.getData().toStringUtf8());
			}
			assertThat(received.get(0).getChannel()).isEqualTo(StdioData.Channel.STDOUT);
			assertThat(received.get(1).getChannel()).isEqualTo(StdioData.Channel.STDERR);
			assertThat(stdout.toString()).isEqualTo("hello " + "x".repeat(3000));
			assertThat(stderr.toString()).isEqualTo("oops");
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
		finally {
			call.cancel(null);
		}
	}

	@Test
	void rejectsASecondConcurrentReader() throws Exception {
		Context.CancellableContext first = Context.current().withCancellation();
		try {
			Iterator<StdioData> stream = first.call(() -> GRPCStdioGrpc.newBlockingStub(this.channel).streamStdio(Empty.getDefaultInstance()));
			this.capture.stdout().print("a");
			assertThat(first.call(() -> stream.next().getData().toStringUtf8())).isEqualTo("a");
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> GRPCStdioGrpc.newBlockingStub(this.channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS)
					.streamStdio(Empty.getDefaultInstance())
					.hasNext())
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
		}
		finally {
			first.cancel(null);
		}
	}

	@Test
	void neverBlocksAWriterWhenNobodyReadsAndDropsTheOldest() {
		StdioCapture small = new StdioCapture(4096);
		for (int i = 0; i < 10_000; i++) {
			small.stdout().print("y".repeat(1000));
		}
		small.stdout().print("last");
		assertThat(small.droppedBytes()).isGreaterThan(9_000_000L);
		List<String> kept = new ArrayList<>();
		StdioCapture.Chunk chunk;
		try {
			while ((chunk = small.poll(0, TimeUnit.MILLISECONDS)) != null) {
				kept.add(new String(chunk.data()));
			}
		}
		catch (InterruptedException ex) {
			throw new AssertionError(ex);
		}
		assertThat(String.join("", kept)).endsWith("last").hasSizeLessThanOrEqualTo(4096);
	}

	private List<StdioData> read(int bytes) {
		Iterator<StdioData> stream = GRPCStdioGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(20, TimeUnit.SECONDS)
			.streamStdio(Empty.getDefaultInstance());
		List<StdioData> received = new ArrayList<>();
		int total = 0;
		while (total < bytes) {
			StdioData data = stream.next();
			received.add(data);
			total += data.getData().size();
		}
		return received;
	}

}
