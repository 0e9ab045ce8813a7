package weft.transport.webrtc;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.io.Scheduler;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedConnection;
import weft.security.noise.NoiseSecureChannel;
import weft.transport.webrtc.dtls.BrowserLikeDtlsClient;
import weft.transport.webrtc.dtls.DtlsCertificate;
import weft.transport.webrtc.dtls.RemoteDatagrams;
import weft.transport.webrtc.sctp.Association;
import weft.transport.webrtc.stun.StunMessage;

/**
 * A WebRTC-direct dialer built from weft's own pieces, doing what a browser does: a STUN check with a
 * {@code libp2p+webrtc+v1/} ufrag, DTLS as client with a fresh certificate, SCTP as initiator, Noise as responder on
 * channel 0. It keeps consent fresh with a check every 200 ms, and {@link #vanish} drops it without a word.
 * Public for the host's tests ({@code weft.host.HostWebRtcDirectTest}).
 */
public final class TestDialer implements AutoCloseable {
    final DatagramSocket socket;
    final DataChannelConnection channels;
    final PeerId remotePeer;
    private final Association association;
    private final ScheduledExecutorService consent;

    private TestDialer(DatagramSocket socket, DataChannelConnection channels, Association association,
            PeerId remotePeer, ScheduledExecutorService consent) {
        this.socket = socket;
        this.channels = channels;
        this.association = association;
        this.remotePeer = remotePeer;
        this.consent = consent;
    }

    /** The connection's streams (data channels), opened or accepted. */
    public MuxedConnection connection() {
        return channels;
    }

    /** The peer the Noise handshake proved the listener to be. */
    public PeerId remotePeer() {
        return remotePeer;
    }

    /** Dials {@code address} ({@code /ip4/.../udp/N/webrtc-direct/certhash/...}) as {@code identity}. */
    public static TestDialer dial(Multiaddr address, PrivateKey identity) throws Exception {
        return dial(address, identity, Duration.ofSeconds(10));
    }

    /** As {@link #dial(Multiaddr, PrivateKey)}, giving up when no STUN answer came within {@code stunWait}. */
    public static TestDialer dial(Multiaddr address, PrivateKey identity, Duration stunWait) throws Exception {
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(address.valueOf("ip4").orElseThrow()),
                Integer.parseInt(address.valueOf("udp").orElseThrow()));
        Fingerprint serverFingerprint = Fingerprint.fromCerthash(address.valueOf("certhash").orElseThrow());
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        RemoteDatagrams dtlsIn = new RemoteDatagrams((b, o, l) -> socket.send(new DatagramPacket(b, o, l, server)));
        LinkedBlockingQueue<byte[]> stunIn = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[65_536];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                while (true) {
                    packet.setLength(buffer.length);
                    socket.receive(packet);
                    byte[] datagram = Arrays.copyOf(buffer, packet.getLength());
                    if (datagram.length > 0 && (datagram[0] & 0xff) < 4) {
                        stunIn.add(datagram);
                    } else {
                        dtlsIn.offer(datagram);
                    }
                }
            } catch (IOException e) {
                dtlsIn.close();
            }
        });
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String ufrag = "libp2p+webrtc+v1/" + HexFormat.of().formatHex(random);
        sendCheck(socket, server, ufrag);
        byte[] response = stunIn.poll(stunWait.toMillis(), TimeUnit.MILLISECONDS);
        if (response == null || !StunMessage.decode(response, response.length)
                .hasValidIntegrity(ufrag.getBytes(StandardCharsets.UTF_8))) {
            throw new IOException("test dialer: no valid stun answer");
        }
        ScheduledExecutorService consent = Executors.newSingleThreadScheduledExecutor();
        consent.scheduleAtFixedRate(() -> {
            try {
                sendCheck(socket, server, ufrag);
            } catch (IOException e) {
                consent.shutdown();
            }
        }, 200, 200, TimeUnit.MILLISECONDS);

        DtlsCertificate certificate = DtlsCertificate.generate();
        JcaTlsCrypto crypto = (JcaTlsCrypto) new JcaTlsCryptoProvider().create(new SecureRandom());
        BrowserLikeDtlsClient client = new BrowserLikeDtlsClient(crypto, certificate);
        DTLSTransport dtls = new DTLSClientProtocol().connect(client, dtlsIn);
        if (!Fingerprint.ofCertificate(client.serverCertificate).equals(serverFingerprint)) {
            throw new IOException("test dialer: server certificate does not match the certhash");
        }
        DataChannelConnection channels = new DataChannelConnection(true, DataChannelConfig.defaults());
        Association association = Association.client(Association.Config.defaults(), Scheduler.system(),
                packet -> dtls.send(packet, 0, packet.length), channels);
        channels.attach(association);
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[65_536];
            try {
                while (!association.isClosed()) {
                    int n = dtls.receive(buffer, 0, buffer.length, 1000);
                    if (n > 0) {
                        association.receive(buffer, n);
                    }
                }
            } catch (IOException e) {
                association.abort(e);
            }
        });
        association.start();
        byte[] prologue = NoisePrologue.of(certificate.fingerprint(), serverFingerprint);
        PeerId remote = new NoiseSecureChannel(identity).withPrologue(prologue)
                .secureInbound(channels.handshakeChannel()).remotePeer();
        channels.handshakeChannel().close();
        return new TestDialer(socket, channels, association, remote, consent);
    }

    /** A STUN connectivity check as a browser sends it: USERNAME {@code ufrag:ufrag}, keyed by the ufrag. */
    static void sendCheck(DatagramSocket socket, InetSocketAddress server, String ufrag) throws IOException {
        byte[] transaction = new byte[12];
        new SecureRandom().nextBytes(transaction);
        byte[] check = StunMessage.builder(StunMessage.BINDING_REQUEST, transaction)
                .add(StunMessage.USERNAME, (ufrag + ":" + ufrag).getBytes(StandardCharsets.UTF_8))
                .add(StunMessage.PRIORITY, ByteBuffer.allocate(4).putInt(0x6e0001ff).array())
                .add(StunMessage.ICE_CONTROLLING, new byte[8])
                .add(StunMessage.USE_CANDIDATE, new byte[0])
                .encode(ufrag.getBytes(StandardCharsets.UTF_8), true);
        socket.send(new DatagramPacket(check, check.length, server));
    }

    /** Gone without a goodbye: no SCTP ABORT, no DTLS alert, the port closed. */
    public void vanish() {
        socket.close();
        consent.shutdownNow();
        association.abort(new IOException("test: vanished")); // its ABORT cannot leave: the socket is closed
    }

    @Override
    public void close() {
        channels.close();
        socket.close();
        consent.shutdownNow();
    }
}
