package weft.transport.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP sockets under a {@link QuicTransport}: netty's native epoll datagram channel on Linux where netty's epoll
 * library is on the class path ({@code io.netty:netty-transport-native-epoll}, optional like the QUIC codec), else
 * the JDK's NIO one.
 *
 * <p>Why epoll: a QUIC packet is at most {@link QuicTransport#MAX_UDP_PAYLOAD} bytes, so a bulk transfer is about
 * 800,000 packets per GiB, and over NIO each costs its own {@code sendto} and {@code recvfrom} call and its own
 * trip through the kernel's UDP stack. With epoll, quiche's packets for one peer leave as one UDP GSO send
 * ({@code UDP_SEGMENT}: up to {@link #GSO_SEGMENTS} equal-sized packets in one call, the kernel cuts them;
 * {@code udp(7)}), several such sends go out in one {@code sendmmsg}, and with {@code UDP_GRO} on the receiving
 * socket the kernel hands over up to 64 KiB of same-sized packets from one sender in one read, which netty splits
 * again into datagrams for quiche. quinn, the QUIC of rust-libp2p and {@code @chainsafe/libp2p-quic}, does the same
 * ({@code quinn-udp}); so does quic-go on Linux ({@code sys_conn_oob.go}).
 *
 * <p>{@code -Dweft.quic.udp=nio} forces NIO (to compare; {@code bench/README.md}).
 */
final class UdpChannels {
    private static final Logger log = LoggerFactory.getLogger(UdpChannels.class);

    /**
     * Packets per GSO send: quiche's packets for one connection go out in runs of up to this many. netty's QUIC
     * example uses 10; quinn asks the kernel for up to 64 ({@code quinn-udp} {@code max_gso_segments}). 16 packets
     * of 1350 bytes are 21,600 bytes, well inside the 64 KiB a GRO read takes.
     */
    static final int GSO_SEGMENTS = 16;

    /**
     * One receive buffer: room for the largest GRO batch the kernel delivers (a 64 KiB UDP payload, the most one
     * {@code recvmsg} returns).
     */
    static final int GRO_READ_BUFFER = 64 * 1024;

    /**
     * Reads per readiness event, as netty's own datagram channels default to (their {@code ChannelMetadata}); a
     * replaced allocator would otherwise read once per wake-up.
     */
    static final int READS_PER_WAKEUP = 16;

    /** What this JVM uses, chosen once. */
    static final UdpChannels CHOSEN = choose(System.getProperty("weft.quic.udp", "epoll"));

    private final boolean epoll;

    private UdpChannels(boolean epoll) {
        this.epoll = epoll;
    }

    private static UdpChannels choose(String wanted) {
        if (!wanted.equals("nio") && Native.available()) {
            return new UdpChannels(true);
        }
        return new UdpChannels(false);
    }

    /** True for the native epoll channel with GSO and GRO. */
    boolean epoll() {
        return epoll;
    }

    /** The event loops' IO: epoll's or NIO's selector. */
    IoHandlerFactory ioHandler() {
        return epoll ? Native.ioHandler() : NioIoHandler.newFactory();
    }

    /** A bootstrap for one UDP socket, with buffer sizes ({@link QuicTransport#UDP_BUFFER}) and, on epoll, GRO. */
    Bootstrap bootstrap() {
        Bootstrap bootstrap = new Bootstrap()
                .option(ChannelOption.SO_RCVBUF, QuicTransport.UDP_BUFFER)
                .option(ChannelOption.SO_SNDBUF, QuicTransport.UDP_BUFFER);
        if (epoll) {
            Native.configure(bootstrap);
        } else {
            bootstrap.channel(NioDatagramChannel.class);
        }
        return bootstrap;
    }

    /** How a QUIC connection packs its datagrams: into GSO sends on epoll, one by one otherwise. */
    SegmentedDatagramPacketAllocator segments() {
        return epoll ? Native.segments() : SegmentedDatagramPacketAllocator.NONE;
    }

    @Override
    public String toString() {
        return epoll ? "epoll udp (gso " + GSO_SEGMENTS + ", gro)" : "nio udp";
    }

    /** Every reference to netty's epoll classes: loaded only once {@link #available()} said yes. */
    private static final class Native {
        static boolean available() {
            try {
                if (Epoll.isAvailable()) {
                    return true;
                }
                log.debug("quic: netty epoll unavailable, using nio: {}", Epoll.unavailabilityCause().toString());
                return false;
            } catch (LinkageError e) { // netty-transport-classes-epoll not on the class path
                return false;
            }
        }

        static IoHandlerFactory ioHandler() {
            return EpollIoHandler.newFactory();
        }

        static void configure(Bootstrap bootstrap) {
            bootstrap.channel(EpollDatagramChannel.class)
                    .option(EpollChannelOption.UDP_GRO, true)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(GRO_READ_BUFFER).maxMessagesPerRead(READS_PER_WAKEUP));
        }

        static SegmentedDatagramPacketAllocator segments() {
            return EpollQuicUtils.newSegmentedAllocator(GSO_SEGMENTS);
        }
    }
}
