package io.pluginrpc.host;

/**
 * Where an already running plugin listens, to connect to it instead of launching one
 * (go-plugin's {@code ReattachConfig}). Its process is never killed: the host did not
 * start it.
 *
 * @param network {@code unix} or {@code tcp}
 * @param address socket path or {@code host:port}
 * @param pid the plugin's process id, or 0 when unknown (its exit is then only noticed on
 * calls)
 * @param protocolVersion the protocol version the plugin serves
 * @param test go-plugin's test mode: the host does not even ask the plugin to shut down
 * on stop
 */
public record ReattachConfig(String network, String address, long pid, int protocolVersion, boolean test) {

}
