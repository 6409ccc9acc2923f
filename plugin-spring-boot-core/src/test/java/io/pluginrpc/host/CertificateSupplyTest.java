package io.pluginrpc.host;

import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateSupplyTest {

	@Test
	void handsEveryCertificateOutOnceEvenToConcurrentLaunches() throws Exception {
		Set<BigInteger> serials = ConcurrentHashMap.newKeySet();
		Set<java.security.PublicKey> keys = ConcurrentHashMap.newKeySet();
		ExecutorService launches = Executors.newFixedThreadPool(4);
		try (CertificateSupply supply = new CertificateSupply()) {
			List<Future<?>> results = new java.util.ArrayList<>();
			for (int i = 0; i < 12; i++) {
				results.add(launches.submit(() -> {
					var certificate = supply.take().certificate();
					serials.add(certificate.certificate().getSerialNumber());
					keys.add(certificate.certificate().getPublicKey());
				}));
			}
			for (Future<?> result : results) {
				result.get();
			}
		}
		finally {
			launches.shutdownNow();
		}
		assertThat(serials).hasSize(12);
		assertThat(keys).hasSize(12);
	}

}
