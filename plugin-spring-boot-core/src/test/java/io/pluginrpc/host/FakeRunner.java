package io.pluginrpc.host;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A plugin process that is not one: it "prints" the handshake line of a server the test
 * runs in this JVM and "exits" when the test says so. Stands in for
 * {@link LaunchedRunner} where a supervisor's decisions are under test, not process
 * handling.
 */
final class FakeRunner implements PluginRunner {

	private final String handshakeLine;

	private final CompletableFuture<Integer> exit = new CompletableFuture<>();

	private volatile boolean killed;

	FakeRunner(String handshakeLine) {
		this.handshakeLine = handshakeLine;
	}

	/** The process exits on its own with the given status. */
	void crash(int status) {
		this.exit.complete(status);
	}

	boolean wasKilled() {
		return this.killed;
	}

	@Override
	public long pid() {
		return 4242;
	}

	@Override
	public boolean launched() {
		return true;
	}

	@Override
	public boolean isAlive() {
		return !this.exit.isDone();
	}

	@Override
	public CompletableFuture<?> onExit() {
		return this.exit;
	}

	@Override
	public Integer exitValue() {
		return this.exit.getNow(null);
	}

	@Override
	public boolean waitFor(Duration timeout) {
		try {
			this.exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (Exception ex) {
			return this.exit.isDone();
		}
	}

	@Override
	public String awaitHandshakeLine(Duration timeout, Duration startTimeout) {
		return this.handshakeLine;
	}

	@Override
	public void rememberDescendants() {
	}

	@Override
	public void kill() {
		this.killed = true;
		this.exit.complete(137);
	}

	@Override
	public String recentStderr() {
		return "; it wrote nothing on stderr";
	}

}
