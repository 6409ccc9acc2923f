package io.pluginrpc.sample.host;

import com.google.protobuf.ByteString;

import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

/**
 * {@code PUT/GET /kv/{key}} through the plugin's KV service. PUT stores the request body
 * as it arrived, whatever its content type: {@code curl -X PUT -d v} sends a form content
 * type, and the form filter that would parse such a body into parameters is off
 * ({@code spring.mvc.formcontent.filter.enabled}).
 */
@RestController
@Profile("web")
class KvController {

	private final KVGrpc.KVBlockingStub kv;

	KvController(KVGrpc.KVBlockingStub kv) {
		this.kv = kv;
	}

	@PutMapping("/kv/{key}")
	ResponseEntity<Void> put(@PathVariable String key, @RequestBody(required = false) byte[] value) {
		this.kv.put(PutRequest.newBuilder()
			.setKey(key)
			.setValue(ByteString.copyFrom((value != null) ? value : new byte[0]))
			.build());
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/kv/{key}")
	byte[] get(@PathVariable String key) {
		return this.kv.get(GetRequest.newBuilder().setKey(key).build()).getValue().toByteArray();
	}

}
