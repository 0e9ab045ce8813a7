package weft.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import weft.crypto.IdentityFile;
import weft.crypto.KeyType;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;

/**
 * {@code weft id}: prints a peer ID. Without {@code --key}, of a fresh identity; with {@code --key FILE}, of the
 * identity stored there, creating the file first when it does not exist.
 */
@Command(name = "id", mixinStandardHelpOptions = true,
        description = "Print a peer ID: of a fresh key, or of the key in FILE (created if missing).")
final class IdCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--key", paramLabel = "FILE", description = "Identity file (protobuf PrivateKey, as go and js store it).")
    Path keyFile;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "ed25519",
            description = "Key type for a new identity: ed25519, secp256k1, ecdsa, rsa (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--json", description = "Print JSON: peer ID, CID form, key type, file.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        KeyType keyType = parseType(type);
        PrivateKey key;
        boolean created = false;
        if (keyFile == null) {
            key = PrivateKey.generate(keyType);
        } else if (Files.exists(keyFile)) {
            key = IdentityFile.read(keyFile);
        } else {
            key = PrivateKey.generate(keyType);
            IdentityFile.write(keyFile, key);
            created = true;
        }
        PeerId id = PeerId.fromPublicKey(key.publicKey());
        var out = spec.commandLine().getOut();
        if (json) {
            out.printf("{\"peerId\":\"%s\",\"cid\":\"%s\",\"keyType\":\"%s\"%s}%n", id.toBase58(), id.toCid(),
                    key.type().name().toLowerCase(java.util.Locale.ROOT),
                    keyFile == null ? "" : ",\"file\":\"" + Json.escape(keyFile.toString()) + "\",\"created\":" + created);
        } else {
            out.println(id.toBase58());
            if (created) {
                spec.commandLine().getErr().println("weft: created " + keyFile);
            }
        }
        out.flush();
        return 0;
    }

    private KeyType parseType(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "ed25519" -> KeyType.ED25519;
            case "secp256k1" -> KeyType.SECP256K1;
            case "ecdsa" -> KeyType.ECDSA;
            case "rsa" -> KeyType.RSA;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "unknown key type '" + name + "' (ed25519, secp256k1, ecdsa, rsa)");
        };
    }
}
