package io.pluginrpc.plugin;

/**
 * What a host needs to attach to a plugin running in debug mode, in the two forms hosts
 * read: go-plugin's {@code ReattachConfig} as JSON in the shape Terraform's
 * {@code TF_REATTACH_PROVIDERS} uses (the address as {@code {"Network":..,"String":..}},
 * since {@code net.Addr} itself does not decode), and this project's
 * {@code plugins.<name>.reattach.*} properties.
 *
 * @param network {@code unix} or {@code tcp}
 * @param address socket path or {@code host:port}
 * @param pid the plugin's process id
 * @param protocolVersion the application protocol version served
 */
public record ReattachInfo(String network, String address, long pid, int protocolVersion) {

	/**
	 * @return {@code {"Protocol":"grpc","ProtocolVersion":..,"Pid":..,"Test":true,"Addr":{"Network":..,"String":..}}}
	 */
	public String json() {
		return "{\"Protocol\":\"grpc\",\"ProtocolVersion\":" + this.protocolVersion + ",\"Pid\":" + this.pid
				+ ",\"Test\":true,\"Addr\":{\"Network\":" + quote(this.network) + ",\"String\":" + quote(this.address)
				+ "}}";
	}

	/**
	 * @param pluginName the name the host gives the plugin
	 * @return {@code plugins.<name>.reattach.*} lines, one property each, test mode on
	 */
	public String properties(String pluginName) {
		String prefix = "plugins." + pluginName + ".reattach.";
		return prefix + "network=" + this.network + "\n" + prefix + "address=" + this.address + "\n" + prefix + "pid="
				+ this.pid + "\n" + prefix + "protocol-version=" + this.protocolVersion + "\n" + prefix + "test=true\n";
	}

	/**
	 * The text printed on stdout: the JSON on the first line (what a script or a Go host
	 * reads), then the properties.
	 * @param pluginName the name the host gives the plugin
	 * @return the text, ending in a newline
	 */
	public String format(String pluginName) {
		return json() + "\n\n" + properties(pluginName);
	}

	private static String quote(String text) {
		StringBuilder out = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

}
