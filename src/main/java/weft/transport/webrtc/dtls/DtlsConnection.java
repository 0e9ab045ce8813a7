package weft.transport.webrtc.dtls;

import java.io.IOException;
import org.bouncycastle.tls.DTLSTransport;
import weft.transport.webrtc.Fingerprint;

/** An established DTLS 1.2 association with one remote, and the fingerprint of the certificate it presented. */
public final class DtlsConnection implements AutoCloseable {
    private final DTLSTransport transport;
    private final Fingerprint remoteFingerprint;
    private final String cipherSuite;

    DtlsConnection(DTLSTransport transport, Fingerprint remoteFingerprint, String cipherSuite) {
        this.transport = transport;
        this.remoteFingerprint = remoteFingerprint;
        this.cipherSuite = cipherSuite;
    }

    /** The cipher suite agreed, e.g. {@code TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}. */
    public String cipherSuite() {
        return cipherSuite;
    }

    /** SHA-256 of the remote's certificate: the {@code <FINGERPRINT_A>} of the Noise prologue. */
    public Fingerprint remoteFingerprint() {
        return remoteFingerprint;
    }

    /** Encrypts and sends one record (one SCTP packet). */
    public void send(byte[] data, int offset, int length) throws IOException {
        transport.send(data, offset, length);
    }

    /** The largest plaintext one record carries. */
    public int sendLimit() throws IOException {
        return transport.getSendLimit();
    }

    /** Waits up to {@code waitMillis} for one record; -1 when none came. Alerts and closes throw. */
    public int receive(byte[] buffer, int waitMillis) throws IOException {
        return transport.receive(buffer, 0, buffer.length, waitMillis);
    }

    /** Sends close_notify. */
    @Override
    public void close() throws IOException {
        transport.close();
    }
}
