package weft.transport.webrtc.sctp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SCTP chunks a WebRTC association uses, one record per chunk type, with their byte layouts.
 *
 * <p>RFC 9260 section 3.2: "Chunk Type (8 bits), Chunk Flags (8 bits), Chunk Length (16 bits) [...] The Chunk
 * Length field does not count any chunk padding", and a chunk is padded to a multiple of four bytes. Unknown chunk
 * types decode as {@link Unknown} so the association can apply the rule of the type's top two bits (section 3.2).
 */
sealed interface Chunk {
    int DATA = 0;
    int INIT = 1;
    int INIT_ACK = 2;
    int SACK = 3;
    int HEARTBEAT = 4;
    int HEARTBEAT_ACK = 5;
    int ABORT = 6;
    int SHUTDOWN = 7;
    int SHUTDOWN_ACK = 8;
    int ERROR = 9;
    int COOKIE_ECHO = 10;
    int COOKIE_ACK = 11;
    int SHUTDOWN_COMPLETE = 14;
    /** RFC 6525 section 3.1. */
    int RE_CONFIG = 130;
    /** RFC 3758 section 3.2. */
    int FORWARD_TSN = 192;

    int type();

    /** Writes the chunk's value (everything after the four-byte header) and returns its flags. */
    int writeValue(ByteBuffer out);

    /** The encoded length without padding. */
    int length();

    /** An INIT or INIT-ACK parameter, or a RE-CONFIG parameter: type, value (RFC 9260 section 3.2.1). */
    record Param(int type, byte[] value) {
        /** State Cookie (RFC 9260 section 3.3.3.1). */
        static final int STATE_COOKIE = 7;
        /** Supported Extensions (RFC 5061 section 4.2.7): the chunk types beyond the base protocol. */
        static final int SUPPORTED_EXTENSIONS = 0x8008;
        /** Forward-TSN-Supported (RFC 3758 section 3.1). */
        static final int FORWARD_TSN_SUPPORTED = 0xC000;
        /** RE-CONFIG parameters (RFC 6525 section 4). */
        static final int OUTGOING_SSN_RESET_REQUEST = 13;
        static final int INCOMING_SSN_RESET_REQUEST = 14;
        static final int RECONFIGURATION_RESPONSE = 16;

        int length() {
            return 4 + value.length;
        }
    }

    /** DATA (section 3.3.1): flags U (unordered), B (first fragment), E (last fragment). */
    record Data(boolean unordered, boolean beginning, boolean ending, int tsn, int streamId, int ssn, int ppid,
                byte[] payload) implements Chunk {
        public int type() {
            return DATA;
        }

        public int length() {
            return 16 + payload.length;
        }

        public int writeValue(ByteBuffer out) {
            out.putInt(tsn).putShort((short) streamId).putShort((short) ssn).putInt(ppid).put(payload);
            return (unordered ? 4 : 0) | (beginning ? 2 : 0) | (ending ? 1 : 0);
        }
    }

    /**
     * INIT and INIT-ACK (sections 3.3.2, 3.3.3) share their fixed part: initiate tag, a_rwnd, outbound and inbound
     * stream counts, initial TSN; then parameters (the INIT-ACK's State Cookie among them).
     */
    record Init(boolean ack, int initiateTag, int arwnd, int outboundStreams, int inboundStreams, int initialTsn,
                List<Param> params) implements Chunk {
        public int type() {
            return ack ? INIT_ACK : INIT;
        }

        public int length() {
            return 20 + paramsLength(params);
        }

        public int writeValue(ByteBuffer out) {
            out.putInt(initiateTag).putInt(arwnd).putShort((short) outboundStreams).putShort((short) inboundStreams)
                    .putInt(initialTsn);
            writeParams(out, params);
            return 0;
        }

        Optional<byte[]> param(int paramType) {
            return params.stream().filter(p -> p.type() == paramType).map(Param::value).findFirst();
        }
    }

    /** SACK (section 3.3.4): gap blocks are offsets from the cumulative TSN ack, inclusive on both ends. */
    record Sack(int cumulativeTsnAck, int arwnd, List<GapBlock> gaps, List<Integer> duplicates) implements Chunk {
        public int type() {
            return SACK;
        }

        public int length() {
            return 16 + 4 * gaps.size() + 4 * duplicates.size();
        }

        public int writeValue(ByteBuffer out) {
            out.putInt(cumulativeTsnAck).putInt(arwnd).putShort((short) gaps.size()).putShort((short) duplicates.size());
            gaps.forEach(g -> out.putShort((short) g.start()).putShort((short) g.end()));
            duplicates.forEach(out::putInt);
            return 0;
        }
    }

    /** A run of received TSNs: cumulative TSN ack + start .. cumulative TSN ack + end. */
    record GapBlock(int start, int end) {
    }

    /** HEARTBEAT and HEARTBEAT-ACK (sections 3.3.5, 3.3.6): the sender's info, echoed unchanged. */
    record Heartbeat(boolean ack, byte[] info) implements Chunk {
        public int type() {
            return ack ? HEARTBEAT_ACK : HEARTBEAT;
        }

        public int length() {
            return 8 + info.length;
        }

        public int writeValue(ByteBuffer out) {
            out.putShort((short) 1).putShort((short) (4 + info.length)).put(info); // Heartbeat Info parameter
            return 0;
        }
    }

    /**
     * ABORT, ERROR, SHUTDOWN-ACK, SHUTDOWN-COMPLETE, COOKIE-ACK and COOKIE-ECHO: a type, the T flag where it
     * applies (section 8.5.1: "the T bit [...] set [...] the Verification Tag is reflected") and an opaque value
     * (error causes, or the cookie).
     */
    record Simple(int type, boolean tBit, byte[] value) implements Chunk {
        public int length() {
            return 4 + value.length;
        }

        public int writeValue(ByteBuffer out) {
            out.put(value);
            return tBit ? 1 : 0;
        }
    }

    /** SHUTDOWN (section 3.3.8): the cumulative TSN ack. */
    record Shutdown(int cumulativeTsnAck) implements Chunk {
        public int type() {
            return SHUTDOWN;
        }

        public int length() {
            return 8;
        }

        public int writeValue(ByteBuffer out) {
            out.putInt(cumulativeTsnAck);
            return 0;
        }
    }

    /** RE-CONFIG (RFC 6525 section 3.1): one or two re-configuration parameters. */
    record ReConfig(List<Param> params) implements Chunk {
        public int type() {
            return RE_CONFIG;
        }

        public int length() {
            return 4 + paramsLength(params);
        }

        public int writeValue(ByteBuffer out) {
            writeParams(out, params);
            return 0;
        }
    }

    /** FORWARD-TSN (RFC 3758 section 3.2), only decoded: weft never negotiates partial reliability. */
    record Unknown(int type, int flags, byte[] value) implements Chunk {
        public int length() {
            return 4 + value.length;
        }

        public int writeValue(ByteBuffer out) {
            out.put(value);
            return flags;
        }
    }

    /** Writes header, value and padding. */
    static void write(Chunk chunk, ByteBuffer out) {
        int start = out.position();
        out.position(start + 4);
        int flags = chunk.writeValue(out);
        int length = out.position() - start;
        out.put(start, (byte) chunk.type()).put(start + 1, (byte) flags).putShort(start + 2, (short) length);
        out.put(new byte[padding(length)]);
    }

    static int padding(int length) {
        return ((length + 3) & ~3) - length;
    }

    static int paddedLength(Chunk chunk) {
        return chunk.length() + padding(chunk.length());
    }

    /** Reads one chunk; {@code in} is positioned after its padding. */
    static Chunk read(ByteBuffer in) throws SctpException {
        if (in.remaining() < 4) {
            throw new SctpException("sctp: truncated chunk header (" + in.remaining() + " bytes)");
        }
        int type = in.get() & 0xff;
        int flags = in.get() & 0xff;
        int length = in.getShort() & 0xffff;
        if (length < 4 || length - 4 > in.remaining()) {
            throw new SctpException("sctp: chunk " + type + " length " + length + " does not fit ("
                    + (in.remaining() + 4) + " bytes left)");
        }
        ByteBuffer value = in.slice(in.position(), length - 4);
        in.position(in.position() + Math.min(in.remaining(), length - 4 + padding(length)));
        try {
            return switch (type) {
                case DATA -> {
                    need(type, value, 12);
                    int tsn = value.getInt();
                    int stream = value.getShort() & 0xffff;
                    int ssn = value.getShort() & 0xffff;
                    int ppid = value.getInt();
                    yield new Data((flags & 4) != 0, (flags & 2) != 0, (flags & 1) != 0, tsn, stream, ssn, ppid,
                            rest(value));
                }
                case INIT, INIT_ACK -> {
                    need(type, value, 16);
                    yield new Init(type == INIT_ACK, value.getInt(), value.getInt(), value.getShort() & 0xffff,
                            value.getShort() & 0xffff, value.getInt(), readParams(value));
                }
                case SACK -> {
                    need(type, value, 12);
                    int cumulative = value.getInt();
                    int arwnd = value.getInt();
                    int gapCount = value.getShort() & 0xffff;
                    int dupCount = value.getShort() & 0xffff;
                    need(type, value, 4 * (gapCount + dupCount));
                    List<GapBlock> gaps = new ArrayList<>(gapCount);
                    for (int i = 0; i < gapCount; i++) {
                        gaps.add(new GapBlock(value.getShort() & 0xffff, value.getShort() & 0xffff));
                    }
                    List<Integer> duplicates = new ArrayList<>(dupCount);
                    for (int i = 0; i < dupCount; i++) {
                        duplicates.add(value.getInt());
                    }
                    yield new Sack(cumulative, arwnd, List.copyOf(gaps), List.copyOf(duplicates));
                }
                case HEARTBEAT, HEARTBEAT_ACK -> {
                    List<Param> params = readParams(value);
                    if (params.isEmpty() || params.get(0).type() != 1) {
                        throw new SctpException("sctp: heartbeat without heartbeat info");
                    }
                    yield new Heartbeat(type == HEARTBEAT_ACK, params.get(0).value());
                }
                case SHUTDOWN -> {
                    need(type, value, 4);
                    yield new Shutdown(value.getInt());
                }
                case ABORT, ERROR, SHUTDOWN_ACK, SHUTDOWN_COMPLETE, COOKIE_ECHO, COOKIE_ACK ->
                        new Simple(type, (flags & 1) != 0, rest(value));
                case RE_CONFIG -> new ReConfig(readParams(value));
                default -> new Unknown(type, flags, rest(value));
            };
        } catch (java.nio.BufferUnderflowException e) {
            throw new SctpException("sctp: chunk " + type + " value too short (" + (length - 4) + " bytes)");
        }
    }

    private static void need(int type, ByteBuffer value, int bytes) throws SctpException {
        if (value.remaining() < bytes) {
            throw new SctpException("sctp: chunk " + type + " value too short (" + value.remaining() + " < "
                    + bytes + " bytes)");
        }
    }

    private static byte[] rest(ByteBuffer value) {
        byte[] bytes = new byte[value.remaining()];
        value.get(bytes);
        return bytes;
    }

    static List<Param> readParams(ByteBuffer in) throws SctpException {
        List<Param> params = new ArrayList<>();
        while (in.remaining() >= 4) {
            int type = in.getShort() & 0xffff;
            int length = in.getShort() & 0xffff;
            if (length < 4 || length - 4 > in.remaining()) {
                throw new SctpException("sctp: parameter " + type + " length " + length + " does not fit ("
                        + (in.remaining() + 4) + " bytes left)");
            }
            byte[] value = new byte[length - 4];
            in.get(value);
            in.position(in.position() + Math.min(in.remaining(), padding(length)));
            params.add(new Param(type, value));
        }
        return List.copyOf(params);
    }

    static int paramsLength(List<Param> params) {
        int total = 0;
        for (int i = 0; i < params.size(); i++) {
            int length = params.get(i).length();
            total += i == params.size() - 1 ? length : length + padding(length);
        }
        return total;
    }

    static void writeParams(ByteBuffer out, List<Param> params) {
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            out.putShort((short) p.type()).putShort((short) p.length()).put(p.value());
            if (i < params.size() - 1) {
                out.put(new byte[padding(p.length())]);
            }
        }
    }
}
