package io.pluginrpc.core.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TCP address a plugin announces must be dialable by a Go host
 * ({@code net.JoinHostPort} form) and by ours.
 */
class TransportsTest {

	@Test
	void ipv4AddressIsHostColonPort() throws Exception {
		InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 10000);
		assertThat(Transports.tcpAddress(address)).isEqualTo("127.0.0.1:10000");
	}

	@Test
	void ipv6LoopbackIsBracketedAndCompressed() throws Exception {
		InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("::1"), 10001);
		assertThat(Transports.tcpAddress(address)).isEqualTo("[::1]:10001");
	}

	@Test
	void ipv6CompressesTheLongestZeroRunOnly() throws Exception {
		assertThat(Transports.tcpAddress(new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:1:0:0:0"), 80)))
			.isEqualTo("[2001:db8:0:0:1::]:80");
		assertThat(Transports.tcpAddress(new InetSocketAddress(InetAddress.getByName("2001:db8:0:1:2:3:4:5"), 80)))
			.as("a single zero group stays")
			.isEqualTo("[2001:db8:0:1:2:3:4:5]:80");
		assertThat(Transports.tcpAddress(new InetSocketAddress(InetAddress.getByName("::"), 80))).isEqualTo("[::]:80");
	}

	@Test
	void announcedAddressesResolveBackToTheSameSocketAddress() throws Exception {
		for (String host : new String[] { "127.0.0.1", "::1", "fe80::1:2" }) {
			InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), 12345);
			assertThat(Transports.socketAddress("tcp", Transports.tcpAddress(address))).isEqualTo(address);
		}
	}

}
