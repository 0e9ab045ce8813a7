package weft.crypto;

/** The libp2p key types, with their protobuf {@code KeyType} enum values (peer-ids spec). */
public enum KeyType {
    RSA(0), ED25519(1), SECP256K1(2), ECDSA(3);

    private final int code;

    KeyType(int code) {
        this.code = code;
    }

    /** The value of this type in the {@code PublicKey}/{@code PrivateKey} protobuf. */
    public int code() {
        return code;
    }

    public static KeyType fromCode(long code) {
        for (KeyType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new KeyFormatException("crypto: unknown key type " + code);
    }
}
