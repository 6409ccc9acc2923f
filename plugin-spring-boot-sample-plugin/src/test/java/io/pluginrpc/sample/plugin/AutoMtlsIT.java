package io.pluginrpc.sample.plugin;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.sample.plugin.InteropPeers.GoPeer;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * AutoMTLS as a go-plugin host drives it: the host's PEM certificate in
 * PLUGIN_CLIENT_CERT, the plugin's own certificate in handshake field 6, and a server
 * that talks only to the host's certificate. The test itself acts as the host (to inspect
 * the certificate and try strangers), and a go-plugin host of each version runs the same
 * checks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoMtlsIT {

	private final AutoMtlsCertificate host = AutoMtlsCertificate.generate();

	private PluginProcess plugin;

	private X509Certificate pluginCertificate;

	@BeforeAll
	void start() throws Exception {
		Map<String, String> env = PluginProcess.hostEnvironment();
		env.put("PLUGIN_CLIENT_CERT", this.host.pem());
		this.plugin = PluginProcess.start(env);
		this.pluginCertificate = this.plugin.handshake().certificate();
	}

	@AfterAll
	void stop() {
		this.plugin.close();
	}

	@Test
	void sixthFieldIsTheGoPluginCertificateAsUnpaddedBase64Der() throws Exception {
		String field = this.plugin.handshakeLine().split("\\|", -1)[5];
		assertThat(field).hasSizeGreaterThan(50).doesNotContain("=").matches("[A-Za-z0-9+/]+");
		byte[] der = Base64.getDecoder().decode(field);
		HandshakeLine parsed = this.plugin.handshake();
		assertThat(parsed.serverCertificate()).isEqualTo(der);
		X509Certificate certificate = this.pluginCertificate;
		assertThat(certificate.getEncoded()).isEqualTo(der);

		assertThat(certificate.getPublicKey()).isInstanceOf(ECPublicKey.class);
		assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize())
			.as("P-521")
			.isEqualTo(521);
		assertThat(certificate.getSigAlgName()).isEqualTo("SHA512withECDSA");
		certificate.verify(certificate.getPublicKey());
		assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"));
		assertThat(certificate.getBasicConstraints()).as("CA=true").isGreaterThanOrEqualTo(0);
		assertThat(certificate.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1",
				"1.3.6.1.5.5.7.3.2");
		assertThat(new LdapName(certificate.getSubjectX500Principal().getName()).getRdns())
			.containsExactlyInAnyOrder(new Rdn("CN", "localhost"), new Rdn("O", "HashiCorp"));
		assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
		assertThat(certificate.getEncoded()).as("a fresh certificate, not the host's").isNotEqualTo(this.host.der());
	}

	@Test
	void hostWithItsCertificateTalksToThePlugin() {
		ManagedChannel channel = this.plugin.channel(TlsIdentity.autoMtls(this.host, this.pluginCertificate));
		KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
		kv.put(PutRequest.newBuilder().setKey("secret").setValue(ByteString.copyFromUtf8("over mTLS")).build());
		assertThat(kv.get(GetRequest.newBuilder().setKey("secret").build()).getValue().toStringUtf8())
			.isEqualTo("over mTLS");
	}

	@Test
	void plaintextClientFailsInsteadOfHanging() {
		assertRejected(this.plugin.channel(null));
	}

	@Test
	void clientWithAnotherCertificateIsRejected() {
		AutoMtlsCertificate stranger = AutoMtlsCertificate.generate();
		assertRejected(this.plugin.channel(TlsIdentity.autoMtls(stranger, this.pluginCertificate)));
	}

	/**
	 * The same checks with a go-plugin host of each version as the peer: it accepts the
	 * plugin's certificate from field 6 (or its start fails), talks KV over its own
	 * mutual TLS, and the plugin turns away a plaintext client and a client with another
	 * certificate at the address the Go host was given.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("io.pluginrpc.sample.plugin.InteropPeers#goPeers")
	void goHostTalksToThePluginOverAutoMtlsAndThePluginRejectsOthers(GoPeer peer) {
		String output = GoHost.runPassing(peer, List.of("-automtls", "-scenario", "automtls"));
		assertThat(output).contains("INFO go-plugin " + peer.version() + " host, AutoMTLS true")
			.contains("PASS start")
			.contains("PASS put/get over AutoMTLS")
			.contains("PASS plaintext client rejected")
			.contains("PASS client with another certificate rejected")
			.contains("PASS kill");
	}

	private static void assertRejected(ManagedChannel channel) {
		StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class,
				() -> KVGrpc.newBlockingStub(channel)
					.withDeadlineAfter(30, TimeUnit.SECONDS)
					.get(GetRequest.newBuilder().setKey("secret").build()));
		assertThat(error).as("the call must fail").isNotNull();
		assertThat(error.getStatus().getCode()).as(error.toString()).isEqualTo(Status.Code.UNAVAILABLE);
	}

}
