package weft.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import weft.connection.Connection;
import weft.connection.SecureTransport;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.transport.UnsupportedMultiaddrException;
import weft.transport.webrtc.dtls.DtlsCertificate;

class WebRtcDirectTransportTest {
    private final PrivateKey identity = PrivateKey.generate();
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final WebRtcDirectTransport transport = new WebRtcDirectTransport(identity, certificate,
            WebRtcDirectListener.Config.defaults());

    @AfterEach
    void close() {
        transport.close();
    }

    private static Multiaddr m(String text) {
        return Multiaddr.parse(text);
    }

    @Test
    void webRtcDirectAddressesAreRecognizedWithOrWithoutCerthashAndPeerId() {
        String certhash = certificate.fingerprint().certhash();
        PeerId peer = PeerId.fromPublicKey(identity.publicKey());
        assertTrue(WebRtcDirectTransport.isWebRtcDirect(m("/ip4/1.2.3.4/udp/1/webrtc-direct")));
        assertTrue(WebRtcDirectTransport.isWebRtcDirect(m("/ip6/::1/udp/1/webrtc-direct/certhash/" + certhash)));
        assertTrue(WebRtcDirectTransport.isWebRtcDirect(
                m("/ip4/1.2.3.4/udp/1/webrtc-direct/certhash/" + certhash + "/certhash/" + certhash + "/p2p/" + peer)));
        assertFalse(WebRtcDirectTransport.isWebRtcDirect(m("/ip4/1.2.3.4/udp/1/quic-v1")));
        assertFalse(WebRtcDirectTransport.isWebRtcDirect(m("/ip4/1.2.3.4/tcp/1")));
        assertFalse(WebRtcDirectTransport.isWebRtcDirect(m("/certhash/" + certhash)));
    }

    @Test
    void itListensOnIpUdpWebRtcDirectAndDialsOnlyWithACerthash() {
        assertTrue(transport.canListen(m("/ip4/0.0.0.0/udp/0/webrtc-direct")));
        assertTrue(transport.canListen(m("/ip6/::/udp/4001/webrtc-direct")));
        assertFalse(transport.canListen(m("/dns4/example.com/udp/1/webrtc-direct")));
        assertFalse(transport.canListen(m("/ip4/0.0.0.0/tcp/0/webrtc-direct")));
        assertFalse(transport.canListen(m("/ip4/0.0.0.0/udp/0/webrtc-direct/certhash/"
                + certificate.fingerprint().certhash())));
        String certhash = certificate.fingerprint().certhash();
        PeerId peer = PeerId.fromPublicKey(identity.publicKey());
        assertTrue(transport.canDial(m("/ip4/127.0.0.1/udp/1/webrtc-direct/certhash/" + certhash)));
        assertTrue(transport.canDial(m("/ip6/::1/udp/1/webrtc-direct/certhash/" + certhash + "/p2p/" + peer)));
        assertFalse(transport.canDial(m("/ip4/127.0.0.1/udp/1/webrtc-direct")));
        assertFalse(transport.canDial(m("/ip4/127.0.0.1/udp/0/webrtc-direct/certhash/" + certhash)));
        assertFalse(transport.canDial(m("/dns4/example.com/udp/1/webrtc-direct/certhash/" + certhash)));
        assertFalse(transport.canDial(m("/ip4/127.0.0.1/udp/1/quic-v1")));
    }

    @Test
    void dialingAnAddressWithoutCerthashIsUnsupported() {
        Multiaddr target = m("/ip4/127.0.0.1/udp/1/webrtc-direct");
        UnsupportedMultiaddrException e = assertThrows(UnsupportedMultiaddrException.class,
                () -> transport.dial(target, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().startsWith("webrtc: cannot dial " + target + " "), e.getMessage());
    }

    @Test
    void listeningOnAnotherShapeIsUnsupported() {
        assertThrows(UnsupportedMultiaddrException.class, () -> transport.listen(m("/ip4/127.0.0.1/tcp/0")));
    }

    @Test
    void aWildcardListenerReportsTheWildcardItWasAskedForWithThePortAndCerthash() throws IOException {
        SecureTransport.Listener listener = transport.listen(m("/ip4/0.0.0.0/udp/0/webrtc-direct"));
        String address = listener.addresses().get(0).toString();
        assertTrue(address.matches("/ip4/0\\.0\\.0\\.0/udp/[1-9]\\d*/webrtc-direct/certhash/"
                + certificate.fingerprint().certhash()), address);
    }

    @Test
    void acceptedConnectionsCarryThePeerItsAddressesAndTheProtocol() throws Exception {
        SecureTransport.Listener listener = transport.listen(m("/ip4/127.0.0.1/udp/0/webrtc-direct"));
        PrivateKey dialerKey = PrivateKey.generate();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor();
                TestDialer dialer = TestDialer.dial(listener.addresses().get(0), dialerKey)) {
            Future<Connection> accepted = threads.submit(listener::accept);
            Connection connection = accepted.get(10, TimeUnit.SECONDS);
            assertEquals(PeerId.fromPublicKey(dialerKey.publicKey()), connection.remotePeer());
            assertEquals(PeerId.fromPublicKey(identity.publicKey()), connection.localPeer());
            assertEquals(listener.addresses().get(0), connection.localAddress());
            assertEquals(Multiaddr.fromSocketAddress(
                    (java.net.InetSocketAddress) dialer.socket.getLocalSocketAddress(), "udp")
                    .encapsulate("/webrtc-direct"), connection.remoteAddress());
            assertEquals(WebRtcDirectTransport.PROTOCOL, connection.muxerProtocol());
            assertFalse(connection.isDialer());
        }
    }

    @Test
    void acceptAfterCloseIsClosedChannel() throws IOException {
        SecureTransport.Listener listener = transport.listen(m("/ip4/127.0.0.1/udp/0/webrtc-direct"));
        listener.close();
        assertThrows(ClosedChannelException.class, listener::accept);
    }
}
