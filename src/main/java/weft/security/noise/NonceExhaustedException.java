package weft.security.noise;

import java.io.IOException;

/**
 * A Noise cipher state used up its 64-bit nonce space. The Noise spec (rev 34, §5.1): "If incrementing n results
 * in 2^64-1, then any further EncryptWithAd() or DecryptWithAd() calls will signal an error to the caller." The
 * libp2p Noise spec adds no rekeying, so the connection must be closed and a new one opened. At one message per
 * nanosecond this takes 584 years; the check exists so that the nonce can never repeat.
 */
public final class NonceExhaustedException extends IOException {
    NonceExhaustedException(String message) {
        super(message);
    }
}
