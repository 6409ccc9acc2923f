package io.pluginrpc.autoconfigure.plugin;

import io.grpc.BindableService;

import io.pluginrpc.plugin.stdio.GrpcStdioService;
import io.pluginrpc.plugin.stdio.StdioCapture;

/**
 * The default {@link StdioRedirect}: a bounded capture streamed by
 * {@link GrpcStdioService}.
 */
class CapturedStdioRedirect implements StdioRedirect {

	private final StdioCapture capture;

	private final GrpcStdioService service;

	private final boolean redirectSystemStreams;

	CapturedStdioRedirect(int capacity, boolean redirectSystemStreams) {
		this.capture = new StdioCapture(capacity);
		this.service = new GrpcStdioService(this.capture);
		this.redirectSystemStreams = redirectSystemStreams;
	}

	@Override
	public BindableService service() {
		return this.service;
	}

	@Override
	public void install() {
		if (this.redirectSystemStreams) {
			System.setOut(this.capture.stdout());
			System.setErr(this.capture.stderr());
		}
	}

	@Override
	public void close() {
		this.service.close();
	}

}
