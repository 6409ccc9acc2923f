package io.pluginrpc.core.mux;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

import io.pluginrpc.reliability.ReliabilityRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated yamux input: the frame parser answers with a frame or a
 * {@link YamuxProtocolException}; a session fed any byte sequence ends (never hangs) with
 * an {@link EOFException} or a typed protocol error, never with an unchecked exception
 * from inside the reader.
 */
class YamuxFuzzTest {

	private static final AtomicLong headers = new AtomicLong();

	private static final AtomicLong rejectedHeaders = new AtomicLong();

	private static final AtomicLong sessionInputs = new AtomicLong();

	private static final AtomicLong sessionProtocolErrors = new AtomicLong();

	@AfterContainer
	static void record() {
		ReliabilityRecord.put(YamuxFuzzTest.class, "yamuxHeaders.inputs", headers.get());
		ReliabilityRecord.put(YamuxFuzzTest.class, "yamuxHeaders.rejectedWithProtocolException", rejectedHeaders.get());
		ReliabilityRecord.put(YamuxFuzzTest.class, "yamuxSessionInputs.inputs", sessionInputs.get());
		ReliabilityRecord.put(YamuxFuzzTest.class, "yamuxSessionInputs.endedWithProtocolError",
				sessionProtocolErrors.get());
	}

	@Property(tries = 5000)
	void randomHeadersDecodeOrFailTyped(@ForAll @Size(12) byte[] header) {
		headers.incrementAndGet();
		try {
			YamuxFrame frame = YamuxFrame.decode(header);
			assertThat(YamuxFrame.decode(frame.encode())).isEqualTo(frame);
			assertThat(frame.encode()).isEqualTo(header);
		}
		catch (YamuxProtocolException ex) {
			rejectedHeaders.incrementAndGet();
			assertThat(ex.getMessage()).startsWith("expected ").contains("yamux");
		}
	}

	@Property(tries = 2000)
	void truncatedInputEndsCleanly(@ForAll @Size(max = 11) byte[] partial) throws IOException {
		try {
			assertThat(YamuxFrame.read(new ByteArrayInputStream(partial))).isNull();
			assertThat(partial).isEmpty();
		}
		catch (EOFException ex) {
			assertThat(partial).isNotEmpty();
		}
	}

	@Property(tries = 1000)
	void sessionsFedRandomBytesEndTyped(@ForAll @Size(max = 600) byte[] input, @ForAll boolean client)
			throws Exception {
		assertSessionEndsTyped(input, client);
	}

	@Property(tries = 1500)
	void sessionsFedPlausibleFramesEndTyped(@ForAll("frameSequences") byte[] input, @ForAll boolean client)
			throws Exception {
		assertSessionEndsTyped(input, client);
	}

	@Provide
	Arbitrary<byte[]> frameSequences() {
		Arbitrary<Integer> type = Arbitraries.integers().between(0, 4);
		Arbitrary<Integer> flags = Arbitraries.of(0, 1, 2, 4, 8, 3, 5, 0xFFFF);
		Arbitrary<Integer> stream = Arbitraries.of(0, 1, 2, 3, 4, -1);
		Arbitrary<Long> length = Arbitraries.oneOf(Arbitraries.longs().between(0, 64),
				Arbitraries.of(262_144L, 262_145L, 0xFFFF_FFFFL, 1L << 31));
		Arbitrary<Integer> payload = Arbitraries.integers().between(0, 80);
		Arbitrary<byte[]> frame = Combinators.combine(type, flags, stream, length, payload).as((t, f, s, l, p) -> {
			ByteBuffer bytes = ByteBuffer.allocate(12 + p);
			bytes.put((byte) 0).put((byte) (int) t).putShort((short) (int) f).putInt(s).putInt((int) (long) l);
			return bytes.array();
		});
		return frame.list().ofMaxSize(12).map(YamuxFuzzTest::concat);
	}

	private static byte[] concat(List<byte[]> frames) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		frames.forEach(out::writeBytes);
		return out.toByteArray();
	}

	private static void assertSessionEndsTyped(byte[] input, boolean client) throws Exception {
		sessionInputs.incrementAndGet();
		OutputStream sink = OutputStream.nullOutputStream();
		YamuxSession session = client ? YamuxSession.client("fuzz", new ByteArrayInputStream(input), sink, () -> {
		}) : YamuxSession.server("fuzz", new ByteArrayInputStream(input), sink, () -> {
		});
		try {
			// The input is finite, so the reader must reach its end or an error; the
			// bound only guards a hang.
			Thread waiter = new Thread(() -> {
				try {
					session.awaitClosed();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			waiter.start();
			waiter.join(TimeUnit.SECONDS.toMillis(30));
			assertThat(session.isClosed()).as("session ended").isTrue();
			IOException cause = session.closeCause();
			assertThat(cause).isNotNull();
			assertThat(cause).as("no unchecked exception inside the reader: %s", cause)
				.satisfies((ended) -> assertThat(ended.getCause() instanceof RuntimeException).isFalse());
			if (cause instanceof YamuxProtocolException) {
				sessionProtocolErrors.incrementAndGet();
				assertThat(cause.getMessage()).startsWith("fuzz: ");
			}
			else {
				assertThat(cause).isInstanceOfAny(EOFException.class, IOException.class);
			}
		}
		finally {
			session.close();
		}
	}

}
