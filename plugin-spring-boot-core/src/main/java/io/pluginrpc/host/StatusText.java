package io.pluginrpc.host;

import io.grpc.Status;

/**
 * A gRPC status as one readable line. grpc-java often puts the reason only in the cause
 * ("io exception" caused by "connect(..) failed: Connection refused"), and
 * {@code Status.toString()} carries the cause's whole stack trace; messages for users
 * need the causes' messages, once each.
 */
public final class StatusText {

	private StatusText() {
	}

	/**
	 * @param status a status
	 * @return code, description and the chain of causes (class and message)
	 */
	public static String of(Status status) {
		String description = text(status, true);
		return status.getCode().name() + (description.isEmpty() ? "" : ": " + description);
	}

	/**
	 * @param status a status
	 * @return its description followed by the causes' messages that it does not already
	 * say
	 */
	public static String description(Status status) {
		return text(status, false);
	}

	private static String text(Status status, boolean silentCauses) {
		// grpc-netty appends the channel's handler names to TLS failures: internals, no
		// help to a reader.
		String description = (status.getDescription() != null)
				? status.getDescription().replaceAll("\\s*Channel Pipeline: \\[[^\\]]*\\]", "") : "";
		StringBuilder text = new StringBuilder(description);
		for (Throwable cause = status.getCause(); cause != null; cause = (cause.getCause() == cause) ? null
				: cause.getCause()) {
			String message = (cause.getMessage() != null) ? cause.getMessage() : "";
			if (message.isEmpty() ? !silentCauses : text.indexOf(message) >= 0) {
				continue;
			}
			text.append(text.isEmpty() ? "" : " ").append('(').append(cause.getClass().getSimpleName());
			if (!message.isEmpty()) {
				text.append(": ").append(message);
			}
			text.append(')');
		}
		return text.toString();
	}

}
