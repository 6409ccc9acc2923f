/**
 * go-plugin 1.6's gRPC broker multiplexing ({@code PLUGIN_MULTIPLEX_GRPC},
 * {@code GRPCBrokerMultiplex}) and the yamux protocol it rides on. Facts, as read from
 * go-plugin v1.6.3 ({@code server.go}, {@code client.go}, {@code grpc_broker.go},
 * {@code internal/grpcmux}) and hashicorp/yamux ({@code spec.md}, the 2019 revision
 * Debian ships and the current one agree on everything below):
 *
 * <h2>Handshake</h2> A host that wants multiplexing sets
 * {@code PLUGIN_MULTIPLEX_GRPC=true} in the plugin's environment. A plugin that sees the
 * variable set (to anything) appends a 7th field to its handshake line: {@code true} when
 * it supports multiplexing (a 1.6 plugin always does, and multiplexes when the value
 * parses as a true boolean), {@code false} when not. A host that asked requires the 7th
 * field and a true boolean in it; otherwise it refuses the plugin ("client requested gRPC
 * broker multiplexing but plugin does not support the feature"). The field is only sent
 * when asked, because pre-1.6 hosts split the line into at most 6 fields and would glue
 * it to the certificate. A multiplexing host cannot reattach (go-plugin refuses the
 * combination).
 *
 * <h2>Who opens what</h2> The host dials the plugin's announced address exactly once and
 * is the yamux <em>client</em> on that connection (odd stream ids); the plugin accepts
 * exactly one connection on its listener and is the yamux <em>server</em> (even stream
 * ids). Every gRPC connection, the main one included, is one yamux stream; gRPC (HTTP/2,
 * and TLS under AutoMTLS) runs inside the stream exactly as it would on a socket. yamux
 * itself is never encrypted. The host opens a stream for the main connection without
 * knocking; the plugin gives every stream that arrives without a pending knock to its
 * main gRPC server.
 *
 * <h2>Broker over the session</h2> The broker's control stream
 * ({@code plugin.GRPCBroker/StartStream}) runs on the main connection as always.
 * Multiplexed, {@code AcceptAndServe(id)} announces nothing: it registers a listener for
 * {@code id} that only receives a stream after a knock. {@code Dial(id)} (for every
 * connection attempt gRPC makes) sends {@code ConnInfo{service_id=id, knock{knock=true}}}
 * on the broker stream and waits up to 5 s for {@code ConnInfo{service_id=id,
 * knock{knock=true, ack=true, error=...}}}; a non-empty {@code error} fails the dial.
 * Only after the ack does it open a new yamux stream. The side that receives the knock
 * marks {@code id} as the destination of the next stream it accepts, then sends the ack
 * (with an error when nothing listens on {@code id}); the ordering (mark, ack, then the
 * stream arrives) makes the routing unambiguous, and dials are serialized per broker
 * (knock and open under one lock). A host has no default destination: a stream it accepts
 * goes to the listener of the pending knock. Both sides route the same way.
 *
 * <h2>yamux frames</h2> A 12-byte big-endian header: version (1 byte, always 0), type (1
 * byte: 0 data, 1 window update, 2 ping, 3 go-away), flags (2 bytes: 0x1 SYN, 0x2 ACK,
 * 0x4 FIN, 0x8 RST), stream id (4 bytes; 0 is the session), length (4 bytes). Data frames
 * carry {@code length} payload bytes; a window update's length is a window increment; a
 * ping's length is an opaque value echoed back with ACK (the request carries SYN); a
 * go-away's length is a code (0 normal, 1 protocol error, 2 internal error). Ping and
 * go-away use stream id 0. A stream opens with a data or window-update frame carrying SYN
 * (Go sends a window update with increment 0); the acceptor answers with ACK (or RST to
 * refuse). FIN half-closes the sender's direction; RST resets. Each direction of a stream
 * starts with a 256 KiB window; only data payload bytes count against it; the receiver
 * grants more with window updates (Go sends one once at least half the window was
 * consumed) and treats a data frame beyond the window as a protocol error. Go sends a
 * keepalive ping every 30 s and closes the session when it is not answered within 10 s.
 * Frames for an unknown stream are skipped (data drained).
 */
package io.pluginrpc.core.mux;
