package weft.protocol.identify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ProtocolViolationException;
import weft.io.LengthPrefixed;
import weft.multiformats.Multiaddr;
import weft.mux.MuxedStream;
import weft.trace.Trace;

/**
 * The identify protocols (libp2p specs {@code identify/README.md}): "The protocol works by opening a stream, using
 * {@code /ipfs/id/1.0.0} as the protocol string. The peer being identified responds by returning an
 * {@code Identify} message and closes the stream." With {@code /ipfs/id/push/1.0.0} a peer sends the same message
 * unasked when what it would say changes; missing fields in a push leave what we knew unchanged.
 *
 * <p>Framing, as every implementation does it: each message is uvarint-length-prefixed. Limits, from go-libp2p
 * ({@code p2p/protocol/identify/id.go}): we accept messages of up to 8 KiB ({@code signedIDSize}) and merge up to
 * 10 of them ({@code maxMessages}); we send at most 4 KiB ({@code maxOwnIdentifyMsgSize}, "to be compatible with
 * rust-libp2p", whose limit is 4096 bytes), trimming listen addresses to fit, and move a signed peer record into a
 * second message when the whole would exceed 2 KiB ({@code legacyIDSize}), as go's
 * {@code writeChunkedIdentifyMsg} does.
 *
 * <pre>{@code
 * IdentifyMessage theirs = Identify.read(stream);   // the side that opened /ipfs/id/1.0.0
 * Identify.write(stream, ours);                     // the handler
 * }</pre>
 */
public final class Identify {
    private static final Logger log = LoggerFactory.getLogger(Identify.class);

    public static final String PROTOCOL_ID = "/ipfs/id/1.0.0";
    public static final String PUSH_PROTOCOL_ID = "/ipfs/id/push/1.0.0";

    /** The largest message we accept: go-libp2p's {@code signedIDSize}, js-libp2p's default too. */
    public static final int MAX_MESSAGE_SIZE = 8 * 1024;

    /** How many messages we merge: go-libp2p's {@code maxMessages}. */
    public static final int MAX_MESSAGES = 10;

    /** The largest message we send: go-libp2p's {@code maxOwnIdentifyMsgSize}, rust-libp2p's receive limit. */
    public static final int MAX_OWN_MESSAGE_SIZE = 4 * 1024;

    /** Above this size a signed peer record goes in a message of its own: go-libp2p's {@code legacyIDSize}. */
    static final int SPLIT_RECORD_ABOVE = 2 * 1024;

    /** The layer name in trace events. */
    private static final String LAYER = "identify";

    private Identify() {}

    /**
     * Reads the peer's identify message (one or several, merged) until its end of stream, then closes our side.
     *
     * @throws ProtocolViolationException if a message is over 8 KiB or malformed, or more than 10 arrive
     * @throws java.io.EOFException if the stream ends inside a message
     */
    public static IdentifyMessage read(MuxedStream stream) throws IOException {
        IdentifyMessage merged = IdentifyMessage.EMPTY;
        for (int i = 0; i < MAX_MESSAGES; i++) {
            byte[] frame = LengthPrefixed.read(stream.input(), MAX_MESSAGE_SIZE);
            if (frame == null) {
                stream.close();
                return merged;
            }
            IdentifyMessage message = IdentifyMessage.decode(frame);
            if (stream.trace().on()) trace(stream.trace().received(LAYER), message, frame.length);
            merged = merged.mergedWith(message);
        }
        if (stream.input().read() >= 0) {
            throw new ProtocolViolationException("identify: more than " + MAX_MESSAGES + " messages");
        }
        stream.close();
        return merged;
    }

    /**
     * Writes our message (trimmed and split as described above) and closes the stream.
     */
    public static void write(MuxedStream stream, IdentifyMessage message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frame : frames(message)) {
            LengthPrefixed.write(out, frame);
            if (stream.trace().on()) trace(stream.trace().sent(LAYER), IdentifyMessage.decode(frame), frame.length);
        }
        byte[] bytes = out.toByteArray();
        stream.write(bytes, 0, bytes.length);
        stream.close();
    }

    /**
     * {@code ← identify agent=js-libp2p/2.8.8 protocol_version=ipfs/0.1.0 length=512 listen_addrs=[...]
     * observed_addr=/ip4/127.0.0.1/tcp/53124 protocols=[...] signed_peer_record=312 stream=2}: the fields one message
     * carries (its key and record only as sizes in bytes).
     */
    private static void trace(Trace.Builder event, IdentifyMessage m, int length) {
        event.word("agent", m.agentVersion()).pair("protocol_version", m.protocolVersion()).pair("length", length)
                .pair("public_key", m.publicKey() == null ? null : m.publicKey().length)
                .pair("listen_addrs", m.listenAddrs().isEmpty() ? null
                        : m.listenAddrs().stream().map(Multiaddr::toString).toList())
                .pair("observed_addr", m.observedAddr())
                .pair("protocols", m.protocols().isEmpty() ? null : m.protocols())
                .pair("signed_peer_record", m.signedPeerRecord() == null ? null : m.signedPeerRecord().length).emit();
    }

    /** The encoded messages {@link #write} sends for {@code message}: one, or two with the record split off. */
    static List<byte[]> frames(IdentifyMessage message) {
        byte[] record = message.signedPeerRecord();
        IdentifyMessage main = fitToSize(message.withSignedPeerRecord(null));
        List<byte[]> frames = new ArrayList<>(2);
        if (record == null) {
            frames.add(main.encode());
            return frames;
        }
        byte[] whole = main.withSignedPeerRecord(record).encode();
        if (whole.length <= SPLIT_RECORD_ABOVE) {
            frames.add(whole);
            return frames;
        }
        frames.add(main.encode());
        frames.add(IdentifyMessage.EMPTY.withSignedPeerRecord(record).encode());
        return frames;
    }

    /** Drops listen addresses from the end until the message fits in {@link #MAX_OWN_MESSAGE_SIZE}. */
    private static IdentifyMessage fitToSize(IdentifyMessage message) {
        List<Multiaddr> addrs = new ArrayList<>(message.listenAddrs());
        IdentifyMessage fitted = message;
        while (fitted.encode().length > MAX_OWN_MESSAGE_SIZE && !addrs.isEmpty()) {
            addrs.remove(addrs.size() - 1);
            fitted = message.withListenAddrs(addrs);
        }
        if (fitted.listenAddrs().size() < message.listenAddrs().size()) {
            log.debug("identify: sending {} of {} listen addresses to stay within {} bytes",
                    fitted.listenAddrs().size(), message.listenAddrs().size(), MAX_OWN_MESSAGE_SIZE);
        }
        return fitted;
    }
}
