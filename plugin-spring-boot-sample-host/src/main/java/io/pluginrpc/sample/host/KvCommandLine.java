package io.pluginrpc.sample.host;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.google.protobuf.ByteString;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

/**
 * {@code put <key> <value>} and {@code get <key>} on the command line; Spring options
 * ({@code --name=value}) may come before or after the command.
 */
@Component
@Profile("cli")
class KvCommandLine implements ApplicationRunner, ExitCodeGenerator {

	static final Set<String> COMMANDS = Set.of("put", "get");

	private final KVGrpc.KVBlockingStub kv;

	private int exitCode;

	KvCommandLine(KVGrpc.KVBlockingStub kv) {
		this.kv = kv;
	}

	/** The command's words: the arguments that are not Spring options. */
	static List<String> commandWords(String... args) {
		return Arrays.stream(args).filter((arg) -> !arg.startsWith("--")).toList();
	}

	@Override
	public void run(ApplicationArguments arguments) {
		String[] args = arguments.getNonOptionArgs().toArray(String[]::new);
		if (args[0].equals("put") && args.length == 3) {
			this.kv.put(PutRequest.newBuilder().setKey(args[1]).setValue(ByteString.copyFromUtf8(args[2])).build());
			System.out.println("put " + args[1] + " = " + args[2]);
		}
		else if (args[0].equals("get") && args.length == 2) {
			System.out.println(this.kv.get(GetRequest.newBuilder().setKey(args[1]).build()).getValue().toStringUtf8());
		}
		else {
			System.err.println("usage: put <key> <value> | get <key>");
			this.exitCode = 2;
		}
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}
