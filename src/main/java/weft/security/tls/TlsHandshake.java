package weft.security.tls;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.crypto.PeerId;
import weft.crypto.PublicKey;
import weft.io.Deadline;
import weft.io.DuplexStream;
import weft.security.HandshakeException;
import weft.trace.Trace;

/**
 * One libp2p TLS handshake over an insecure stream, top to bottom: a fresh {@link SSLContext} (from
 * {@link EngineProvider}) holding our
 * certificate and a {@link PeerCertificateVerifier} for this connection only, an {@link SSLEngine} configured as
 * the spec requires (TLS 1.3, client certificates required, no SNI, ALPN with the muxers), the engine driven by a
 * {@link RecordLayer}, then the peer identity read from the certificate the finished session holds.
 *
 * <p>Runs on the calling (upgrade) thread, under a {@link Deadline} that closes the stream when it expires.
 */
final class TlsHandshake {
    /** The JSSE protocol name of TLS 1.3. */
    static final String TLS_13 = "TLSv1.3";
    /**
     * No {@code NewSessionTicket}s: Bouncy Castle's TLS 1.3 server sends none (a test pins it), and a server session
     * timeout above 7 days also stops the JDK's engine from sending any ("No session ticket produced: session
     * timeout is too long", {@code sun.security.ssl.NewSessionTicket}, after RFC 8446 §4.6.1: "Servers MUST NOT use
     * any value greater than 604800 seconds (7 days)"). Nothing could resume with one anyway: the context, and with
     * it any ticket key, lives for one connection.
     */
    static final int NO_TICKETS_SESSION_TIMEOUT = 604_801;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(TlsHandshake.class);

    private final TlsSecureChannel channel;
    private final DuplexStream insecure;
    private final boolean client;
    private final PeerCertificateVerifier verifier;
    private volatile List<String> unsupportedOffer; // set by the ALPN selector when nothing offered is supported
    private volatile List<String> clientOffer; // set by the ALPN selector (server): what the client offered
    private final Trace trace;

    TlsHandshake(TlsSecureChannel channel, DuplexStream insecure, boolean client, PeerId expectedRemote) {
        this.channel = channel;
        this.insecure = insecure;
        this.client = client;
        this.verifier = new PeerCertificateVerifier(expectedRemote);
        this.trace = insecure.trace();
    }

    /** Runs the handshake; on any failure sends the engine's alert, closes the stream and throws. */
    TlsConnection run() throws HandshakeException {
        Deadline deadline = Deadline.closeAfter(channel.handshakeTimeout(), insecure);
        RecordLayer layer = null;
        try {
            SSLEngine engine = newEngine();
            layer = new RecordLayer(engine, insecure);
            layer.handshake();
            TlsConnection connection = connection(engine, layer);
            deadline.close();
            if (deadline.expired()) { // fired after the last flight, before we cancelled it: the stream is closed
                throw timeout(null);
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            if (layer != null && !deadline.expired()) {
                layer.sendPendingAlertQuietly(); // still bounded by the deadline
            }
            deadline.close();
            closeQuietly();
            log.debug("tls: {} handshake failed: {}", client ? "outbound" : "inbound", e.toString());
            throw failure(e, deadline.expired());
        }
    }

    /** The typed exception for a failed handshake, with the most precise reason we know. */
    private HandshakeException failure(Exception e, boolean timedOut) {
        if (timedOut) {
            return timeout(e);
        }
        HandshakeException certificateProblem = verifier.failure();
        if (certificateProblem != null) {
            return certificateProblem;
        }
        List<String> offer = unsupportedOffer;
        if (offer != null) {
            return new HandshakeException("tls: client offered no application protocol we support (offered "
                    + offer + ", we support " + channel.muxers() + " and " + TlsSecureChannel.ALPN_LIBP2P + ")", e);
        }
        if (e instanceof HandshakeException he) {
            return he;
        }
        if (e instanceof IOException) {
            String message = e.getMessage() != null && e.getMessage().startsWith("tls: ")
                    ? e.getMessage().substring("tls: ".length()) : e.getMessage();
            return new HandshakeException("tls: handshake failed: " + message, e);
        }
        throw (RuntimeException) e; // a bug, not peer input: the engine reports bad input as SSLException
    }

    private SSLEngine newEngine() {
        SSLContext context;
        try {
            context = SSLContext.getInstance(TLS_13, EngineProvider.JSSE);
            context.init(new KeyManager[] {new CertificateSelector(channel.certificate())},
                    new TrustManager[] {verifier}, RANDOM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("tls: Bouncy Castle JSSE offers no TLS 1.3", e);
        }
        context.getServerSessionContext().setSessionTimeout(NO_TICKETS_SESSION_TIMEOUT);
        // No peer host or port: the engine then sends no SNI and looks up no cached session to resume.
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(client);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {TLS_13});
        parameters.setCipherSuites(TlsSecureChannel.CIPHER_SUITES.toArray(String[]::new));
        parameters.setEndpointIdentificationAlgorithm(null); // no host names: the verifier checks the peer ID
        if (client) {
            parameters.setServerNames(List.of()); // "clients ... MUST NOT send any value in the Server Name Indication"
            parameters.setApplicationProtocols(channel.alpnOffer().toArray(String[]::new));
        } else {
            parameters.setNeedClientAuth(true); // "servers MUST require client authentication"
        }
        engine.setSSLParameters(parameters);
        if (!client) {
            engine.setHandshakeApplicationProtocolSelector((e, offered) -> select(offered));
        }
        return engine;
    }

    private String select(List<String> offered) {
        clientOffer = List.copyOf(offered);
        String chosen = TlsSecureChannel.selectProtocol(offered, channel.muxers());
        if (chosen == null) {
            unsupportedOffer = List.copyOf(offered);
        }
        return chosen;
    }

    /** The connection, with the peer's identity taken from the certificate this session received. */
    private TlsConnection connection(SSLEngine engine, RecordLayer layer) throws IOException {
        SSLSession session = engine.getSession();
        if (!TLS_13.equals(session.getProtocol())) {
            throw new HandshakeException("tls: negotiated " + session.getProtocol() + ", not TLS 1.3");
        }
        Certificate[] certificates = session.getPeerCertificates();
        if (certificates.length != 1 || !(certificates[0] instanceof X509Certificate certificate)) {
            throw new HandshakeException("tls: session holds " + certificates.length + " peer certificates, not one");
        }
        PublicKey remoteKey = verifier.keyOf(certificate);
        PeerId remotePeer = PeerId.fromPublicKey(remoteKey);
        Optional<String> muxer = TlsSecureChannel.muxerOf(engine.getApplicationProtocol());
        log.debug("tls: secured {} connection with {} ({}, ALPN {})", client ? "outbound" : "inbound", remotePeer,
                session.getCipherSuite(), engine.getApplicationProtocol());
        if (trace.on()) traceSecured(session, engine.getApplicationProtocol(), remotePeer, remoteKey);
        return new TlsConnection(insecure, layer, channel.localPeer(), remotePeer, remoteKey, muxer);
    }

    /**
     * {@code · tls secured version=TLSv1.3 cipher=TLS_AES_128_GCM_SHA256 alpn=/yamux/1.0.0
     * alpn_offered=[/yamux/1.0.0, libp2p] peer=12D3KooW... peer_key=Ed25519}: the handshake's outcome.
     */
    private void traceSecured(SSLSession session, String alpn, PeerId peer, PublicKey key) {
        trace.local("tls").word("message", "secured").pair("version", session.getProtocol())
                .pair("cipher", session.getCipherSuite()).pair("alpn", alpn)
                .pair("alpn_offered", client ? channel.alpnOffer() : clientOffer).pair("peer", peer)
                .pair("peer_key", key.type()).emit();
    }

    private HandshakeException timeout(Exception cause) {
        long millis = channel.handshakeTimeout().toMillis();
        SocketTimeoutException timeout = new SocketTimeoutException("tls: handshake timed out (" + millis + " ms)");
        if (cause != null) {
            timeout.initCause(cause);
        }
        return new HandshakeException("tls: handshake timed out (" + millis + " ms)", timeout);
    }

    private void closeQuietly() {
        try {
            insecure.close();
        } catch (IOException | RuntimeException ignored) {
            // the handshake already failed; that failure is what the caller needs
        }
    }
}
