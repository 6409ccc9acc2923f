package io.pluginrpc.plugin.stdio;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.pluginrpc.proto.plugin.StdioData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The bounded buffer behind System.out/System.err, without gRPC. */
class StdioCaptureTest {

	@Test
	void neverBlocksAWriterWhenNobodyReadsAndDropsTheOldest() throws InterruptedException {
		StdioCapture capture = new StdioCapture();
		byte[] block = "y".repeat(1000).getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < 10 * 1024; i++) {
			capture.stdout().write(block, 0, block.length);
		}
		capture.stdout().print("last");
		assertThat(capture.droppedBytes()).isGreaterThan(0);
		assertThat(capture.bufferedBytes()).isLessThanOrEqualTo(StdioCapture.DEFAULT_CAPACITY);
		assertThat(capture.droppedBytes() + capture.bufferedBytes()).isEqualTo(10 * 1024 * 1000 + 4);
		String kept = drain(capture);
		assertThat(kept).endsWith("yyylast").hasSize((int) (10 * 1024 * 1000 + 4 - capture.droppedBytes()));
	}

	@Test
	void keepsOnlyTheTailOfOneWriteLargerThanTheCapacity() throws InterruptedException {
		StdioCapture capture = new StdioCapture(4096);
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 10_000; i++) {
			text.append(i % 10);
		}
		capture.stderr().print(text);
		String kept = drain(capture);
		assertThat(text.toString()).endsWith(kept);
		assertThat(kept.length()).isPositive().isLessThanOrEqualTo(4096);
		assertThat(capture.droppedBytes()).isEqualTo(10_000 - kept.length());
	}

	@Test
	void splitsWritesIntoChunksOfAtMost1024BytesAndMergesSmallWritesOfOneChannel() throws InterruptedException {
		StdioCapture capture = new StdioCapture();
		for (int i = 0; i < 100; i++) {
			capture.stdout().print("0123456789");
		}
		capture.stdout().write('!');
		capture.stderr().print("e".repeat(2500));
		capture.stdout().println("tail");
		List<StdioCapture.Chunk> chunks = new ArrayList<>();
		StdioCapture.Chunk chunk;
		while ((chunk = capture.poll(0, TimeUnit.MILLISECONDS)) != null) {
			chunks.add(chunk);
		}
		assertThat(chunks).extracting((c) -> c.channel() + ":" + c.data().length)
			.containsExactly("STDOUT:1001", "STDERR:1024", "STDERR:1024", "STDERR:452",
					"STDOUT:" + ("tail" + System.lineSeparator()).length());
		assertThat(capture.bufferedBytes()).isZero();
	}

	@Test
	void makesNoChunkForEmptyWritesAndThrowsAtNoWriter() throws InterruptedException {
		StdioCapture capture = new StdioCapture();
		capture.stdout().print("");
		capture.stdout().write(new byte[0], 0, 0);
		capture.stdout().flush();
		capture.stdout().close();
		assertThat(capture.poll(10, TimeUnit.MILLISECONDS)).isNull();
		assertThat(capture.bufferedBytes()).isZero();
	}

	@Test
	void boundsMemoryEvenForAFloodOfOneByteWritesOnAlternatingChannels() throws InterruptedException {
		StdioCapture capture = new StdioCapture(64 * 1024);
		for (int i = 0; i < 1_000_000; i++) {
			(i % 2 == 0 ? capture.stdout() : capture.stderr()).write('x');
		}
		// Each one-byte chunk costs its bookkeeping too: far fewer than 64 Ki chunks are
		// kept.
		assertThat(capture.bufferedBytes()).isLessThanOrEqualTo(64 * 1024 / (1 + StdioCapture.CHUNK_OVERHEAD));
		StdioCapture.Chunk first = capture.poll(0, TimeUnit.MILLISECONDS);
		assertThat(first.channel()).isIn(StdioData.Channel.STDOUT, StdioData.Channel.STDERR);
	}

	@Test
	void wakesAWaitingReaderWithoutData() throws Exception {
		StdioCapture capture = new StdioCapture();
		// A poll that would wait a day: only the wake-up can end it within the test's
		// hang guard.
		FutureTask<StdioCapture.Chunk> poll = new FutureTask<>(() -> capture.poll(1, TimeUnit.DAYS));
		Thread reader = new Thread(poll, "stdio-reader");
		reader.start();
		try {
			// A wake-up before the reader waits is not meant for it: wake it once it
			// waits.
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (reader.getState() != Thread.State.TIMED_WAITING) {
				assertThat(System.nanoTime()).as("the reader to wait for data").isLessThan(deadline);
				Thread.sleep(1);
			}
			capture.wakeUp();
			assertThat(poll.get(60, TimeUnit.SECONDS)).as("woken without data").isNull();
		}
		catch (TimeoutException ex) {
			throw new AssertionError("wakeUp() did not end a waiting poll", ex);
		}
		finally {
			reader.interrupt();
			reader.join();
		}
	}

	@Test
	void refusesACapacityBelowOneChunk() {
		assertThatIllegalArgumentException().isThrownBy(() -> new StdioCapture(100));
	}

	private static String drain(StdioCapture capture) throws InterruptedException {
		StringBuilder kept = new StringBuilder();
		StdioCapture.Chunk chunk;
		while ((chunk = capture.poll(0, TimeUnit.MILLISECONDS)) != null) {
			kept.append(new String(chunk.data(), StandardCharsets.UTF_8));
		}
		return kept.toString();
	}

}
