package weft.multistream;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ProtocolViolationException;
import weft.io.DuplexStream;
import weft.trace.Trace;

/**
 * multistream-select 1.0: how two ends of a fresh stream agree on the protocol that runs over it. The spec
 * (multiformats/multistream-select {@code README.md}): both ends first send {@code /multistream/1.0.0}; "the
 * initiator proposes a protocol"; "if the responder supports the protocol, it echoes the protocol id back",
 * "otherwise it responds with {@code na}" and the initiator may propose another.
 *
 * <pre>
 * dialer   → 13 /multistream/1.0.0\n  07 /noise\n         (one write)
 * listener → 13 /multistream/1.0.0\n  07 /noise\n         (the echo: /noise is selected)
 * </pre>
 *
 * <p>Three roles, each a straight-line method over a blocking {@link DuplexStream}:
 * <ul>
 *   <li>{@link #select}: the dialer proposes protocols in order and returns the one the listener accepted;
 *   <li>{@link #handle}: the listener answers proposals until it accepts one, and returns it;
 *   <li>{@link #selectLazily}: the dialer proposes a single protocol without waiting for the answer, which its
 *       first read checks (go-multistream {@code NewMSSelect}, rust-libp2p {@code Version::V1Lazy}).
 * </ul>
 *
 * <p>None of them reads a byte past the last message of the negotiation, so whatever the peer pipelined after it
 * (rust-libp2p's first Noise message right behind {@code /noise\n}) is the next layer's to read. None of them has
 * a timeout: the caller bounds the whole negotiation with {@link weft.io.Deadline}.
 */
public final class MultistreamSelect {
    /** The header both ends send first. */
    public static final String PROTOCOL_ID = "/multistream/1.0.0";
    /** The answer to a proposal the listener does not support. */
    public static final String NA = "na";
    /** The request for the listener's protocol list (optional in the spec; js and rust answer it, go says na). */
    public static final String LS = "ls";

    private static final Logger log = LoggerFactory.getLogger(MultistreamSelect.class);
    /** The layer name in trace events. */
    private static final String LAYER = "multistream";

    private MultistreamSelect() {}

    /**
     * Dialer: proposes {@code protocols} in order until the listener accepts one. The header and the first
     * proposal go out in a single write.
     *
     * @return the protocol the listener echoed
     * @throws ProtocolNotSupportedException if the listener answered {@code na} to every one
     * @throws ProtocolViolationException if the listener sent another header or an answer that is neither the
     *     echo nor {@code na}, or a malformed or over-long (more than 1024 bytes) message
     * @throws java.io.EOFException if the stream ended during the negotiation
     * @throws IllegalArgumentException if {@code protocols} is empty or one is longer than 1023 bytes
     */
    public static String select(DuplexStream stream, List<String> protocols) throws IOException {
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("multistream: no protocol to propose");
        }
        send(stream, PROTOCOL_ID, protocols.get(0));
        expectHeader(stream);
        for (int i = 0; i < protocols.size(); i++) {
            String proposal = protocols.get(i);
            if (i > 0) {
                send(stream, proposal);
            }
            String answer = receive(stream);
            if (answer.equals(proposal)) {
                log.debug("multistream: selected {} (attempt {} of {})", proposal, i + 1, protocols.size());
                return proposal;
            }
            if (!answer.equals(NA)) {
                throw new ProtocolViolationException("multistream: proposed '" + proposal + "', peer answered '"
                        + answer + "'");
            }
        }
        throw new ProtocolNotSupportedException(protocols);
    }

    /** {@link #select(DuplexStream, List)} with one or more protocols, in order of preference. */
    public static String select(DuplexStream stream, String first, String... more) throws IOException {
        String[] all = new String[more.length + 1];
        all[0] = first;
        System.arraycopy(more, 0, all, 1, more.length);
        return select(stream, List.of(all));
    }

    /**
     * Dialer, optimistic: proposes {@code protocol} without waiting for the answer, saving a round trip. Returns a
     * stream over {@code stream}:
     * <ul>
     *   <li>its first write sends header, proposal and the data in one write; a read, flush or close before any
     *       write sends header and proposal first, so protocols where the listener speaks first work too;
     *   <li>its first read checks the listener's header and echo before returning data, and throws
     *       {@link ProtocolNotSupportedException} if the listener answered {@code na} (data written before then
     *       is lost: the listener discarded it) or {@link ProtocolViolationException} if it answered anything
     *       else; every later read throws the same exception.
     * </ul>
     * Use it when you know the peer speaks the protocol (go-libp2p does when identify listed it; rust-libp2p
     * does for connection upgrades), else {@link #select}.
     */
    public static DuplexStream selectLazily(DuplexStream stream, String protocol) {
        return new LazySelectStream(stream, protocol, MessageCodec.encode(PROTOCOL_ID, protocol));
    }

    /**
     * Dialer: asks for the listener's protocol list with {@code ls}.
     *
     * @throws ProtocolNotSupportedException if the listener answers {@code na} (go-multistream does)
     */
    public static List<String> list(DuplexStream stream) throws IOException {
        send(stream, PROTOCOL_ID, LS);
        expectHeader(stream);
        byte[] answer = MessageCodec.readBytes(stream.input(), MessageCodec.MAX_LIST_LENGTH);
        if (answer.length == 2 && answer[0] == 'n' && answer[1] == 'a') {
            if (stream.trace().on()) traceMessages(stream.trace(), true, NA);
            throw new ProtocolNotSupportedException(List.of(LS));
        }
        List<String> protocols = MessageCodec.decodeList(answer);
        if (stream.trace().on()) traceList(stream.trace(), true, protocols);
        return protocols;
    }

    /**
     * Listener: answers proposals until one is in {@code supported}, echoes it and returns it. Answers {@code ls}
     * with {@code supported} as js and rust do. Reads the dialer's header first; its own header goes out with the
     * first answer when the dialer pipelined its proposal, else at once.
     *
     * @throws ProtocolViolationException if the dialer's first message is not the header, or a message is
     *     malformed or longer than 1024 bytes
     * @throws java.io.EOFException if the dialer gave up (closed) before proposing a supported protocol
     */
    public static String handle(DuplexStream stream, Collection<String> supported) throws IOException {
        return negotiate(stream, supported::contains, supported);
    }

    /**
     * Listener, for protocols matched by a rule ({@code p -> p.startsWith("/ipfs/ping/")}) rather than listed:
     * like {@link #handle(DuplexStream, Collection)} but answers {@code ls} with {@code na}, as go does.
     */
    public static String handle(DuplexStream stream, Predicate<String> supported) throws IOException {
        return negotiate(stream, supported, null);
    }

    private static String negotiate(DuplexStream stream, Predicate<String> supported, Collection<String> listing)
            throws IOException {
        expectHeader(stream);
        // "the responder SHOULD send its first response in the same packet as the multistream protocol": when the
        // dialer pipelined its proposal (every implementation does), the header waits for the answer. When nothing
        // has arrived yet, the header goes alone now, so a dialer that waits for it before proposing is not stuck.
        boolean headerSent = false;
        if (stream.input().available() == 0) {
            send(stream, PROTOCOL_ID);
            headerSent = true;
        }
        while (true) {
            String proposal = receive(stream);
            if (proposal.equals(LS) && listing != null) {
                sendList(stream, headerSent, listing);
            } else if (supported.test(proposal)) {
                send(stream, headerSent ? new String[] {proposal} : new String[] {PROTOCOL_ID, proposal});
                log.debug("multistream: accepted {}", proposal);
                return proposal;
            } else {
                log.debug("multistream: declined {}", proposal);
                send(stream, headerSent ? new String[] {NA} : new String[] {PROTOCOL_ID, NA});
            }
            headerSent = true;
        }
    }

    /** The {@code ls} answer, behind the header if that is still due. */
    private static void sendList(DuplexStream stream, boolean headerSent, Collection<String> listing)
            throws IOException {
        byte[] list = MessageCodec.encodeList(listing);
        if (stream.trace().on() && !headerSent) traceMessages(stream.trace(), false, PROTOCOL_ID);
        if (stream.trace().on()) traceList(stream.trace(), false, List.copyOf(listing));
        write(stream, headerSent ? list : concat(MessageCodec.encode(PROTOCOL_ID), list));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    static void expectHeader(DuplexStream stream) throws IOException {
        String header = receive(stream);
        if (!header.equals(PROTOCOL_ID)) {
            throw new ProtocolViolationException("multistream: peer sent '" + header + "' instead of " + PROTOCOL_ID);
        }
    }

    /** Writes {@code messages} in one write and flush. */
    private static void send(DuplexStream stream, String... messages) throws IOException {
        byte[] bytes = MessageCodec.encode(messages);
        if (stream.trace().on()) traceMessages(stream.trace(), false, messages); // before the frames that carry them
        write(stream, bytes);
    }

    /** Reads one message. */
    static String receive(DuplexStream stream) throws IOException {
        String message = MessageCodec.read(stream.input());
        if (stream.trace().on()) traceMessages(stream.trace(), true, message);
        return message;
    }

    private static void write(DuplexStream stream, byte[] bytes) throws IOException {
        OutputStream out = stream.output();
        out.write(bytes);
        out.flush();
    }

    /** {@code ← multistream ls answer protocols=[/ipfs/ping/1.0.0, /ipfs/id/1.0.0]} */
    private static void traceList(Trace trace, boolean received, List<String> protocols) {
        (received ? trace.received(LAYER) : trace.sent(LAYER)).word("message", "ls answer").pair("protocols",
                protocols).emit();
    }

    /** {@code → multistream /noise}, one event per message. */
    static void traceMessages(Trace trace, boolean received, String... messages) {
        for (String message : messages) {
            (received ? trace.received(LAYER) : trace.sent(LAYER)).word("message", message).emit();
        }
    }
}
