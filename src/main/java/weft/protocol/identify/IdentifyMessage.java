package weft.protocol.identify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ProtocolViolationException;
import weft.io.ProtobufException;
import weft.io.ProtobufReader;
import weft.io.ProtobufWriter;
import weft.multiformats.Multiaddr;
import weft.multiformats.MultiformatException;

/**
 * One identify message (libp2p specs {@code identify/README.md}), with go-libp2p's extra field 8:
 *
 * <pre>
 * message Identify {
 *   optional string protocolVersion = 5;
 *   optional string agentVersion = 6;
 *   optional bytes publicKey = 1;          // a libp2p PublicKey protobuf (peer-ids spec)
 *   repeated bytes listenAddrs = 2;        // binary multiaddrs
 *   optional bytes observedAddr = 4;       // binary multiaddr: how the sender sees the receiver
 *   repeated string protocols = 3;
 *   optional bytes signedPeerRecord = 8;   // go-libp2p; kept as bytes, not verified here
 * }
 * </pre>
 *
 * <p>Absent optional fields are {@code null}; absent repeated fields are empty lists. Encoding writes fields in
 * field-number order, as protobuf encoders do. Decoding skips unknown fields, and skips listen addresses and an
 * observed address that are not valid multiaddrs (go-libp2p logs and skips them too), so one odd address from a
 * newer peer does not cost the whole message. Byte arrays are copied in and out.
 */
public record IdentifyMessage(
        String protocolVersion,
        String agentVersion,
        byte[] publicKey,
        List<Multiaddr> listenAddrs,
        Multiaddr observedAddr,
        List<String> protocols,
        byte[] signedPeerRecord) {
    private static final Logger log = LoggerFactory.getLogger(IdentifyMessage.class);

    private static final int PUBLIC_KEY = 1;
    private static final int LISTEN_ADDRS = 2;
    private static final int PROTOCOLS = 3;
    private static final int OBSERVED_ADDR = 4;
    private static final int PROTOCOL_VERSION = 5;
    private static final int AGENT_VERSION = 6;
    private static final int SIGNED_PEER_RECORD = 8;

    /** A message with no field set. */
    public static final IdentifyMessage EMPTY = new IdentifyMessage(null, null, null, List.of(), null, List.of(), null);

    public IdentifyMessage {
        publicKey = publicKey == null ? null : publicKey.clone();
        signedPeerRecord = signedPeerRecord == null ? null : signedPeerRecord.clone();
        listenAddrs = listenAddrs == null ? List.of() : List.copyOf(listenAddrs);
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
    }

    @Override
    public byte[] publicKey() {
        return publicKey == null ? null : publicKey.clone();
    }

    @Override
    public byte[] signedPeerRecord() {
        return signedPeerRecord == null ? null : signedPeerRecord.clone();
    }

    /** This message with {@code listenAddrs} replaced. */
    public IdentifyMessage withListenAddrs(List<Multiaddr> addrs) {
        return new IdentifyMessage(protocolVersion, agentVersion, publicKey, addrs, observedAddr, protocols,
                signedPeerRecord);
    }

    /** This message with {@code signedPeerRecord} replaced ({@code null} removes it). */
    public IdentifyMessage withSignedPeerRecord(byte[] record) {
        return new IdentifyMessage(protocolVersion, agentVersion, publicKey, listenAddrs, observedAddr, protocols,
                record);
    }

    /** The protobuf encoding, fields in number order. */
    public byte[] encode() {
        ProtobufWriter out = new ProtobufWriter();
        if (publicKey != null) {
            out.bytes(PUBLIC_KEY, publicKey);
        }
        for (Multiaddr addr : listenAddrs) {
            out.bytes(LISTEN_ADDRS, addr.toBytes());
        }
        for (String protocol : protocols) {
            out.string(PROTOCOLS, protocol);
        }
        if (observedAddr != null) {
            out.bytes(OBSERVED_ADDR, observedAddr.toBytes());
        }
        if (protocolVersion != null) {
            out.string(PROTOCOL_VERSION, protocolVersion);
        }
        if (agentVersion != null) {
            out.string(AGENT_VERSION, agentVersion);
        }
        if (signedPeerRecord != null) {
            out.bytes(SIGNED_PEER_RECORD, signedPeerRecord);
        }
        return out.toByteArray();
    }

    /**
     * Decodes one message.
     *
     * @throws ProtocolViolationException if the bytes are not a protobuf message with these fields' wire types
     *     and valid UTF-8 strings
     */
    public static IdentifyMessage decode(byte[] bytes) throws ProtocolViolationException {
        String protocolVersion = null;
        String agentVersion = null;
        byte[] publicKey = null;
        List<Multiaddr> listenAddrs = new ArrayList<>();
        Multiaddr observedAddr = null;
        List<String> protocols = new ArrayList<>();
        byte[] signedPeerRecord = null;
        try {
            ProtobufReader in = new ProtobufReader(bytes);
            while (in.next()) {
                switch (in.field()) {
                    case PUBLIC_KEY -> publicKey = in.readBytes();
                    case LISTEN_ADDRS -> {
                        Multiaddr addr = multiaddrOrNull(in.readBytes(), "listen address");
                        if (addr != null) {
                            listenAddrs.add(addr);
                        }
                    }
                    case PROTOCOLS -> protocols.add(in.readString());
                    case OBSERVED_ADDR -> observedAddr = multiaddrOrNull(in.readBytes(), "observed address");
                    case PROTOCOL_VERSION -> protocolVersion = in.readString();
                    case AGENT_VERSION -> agentVersion = in.readString();
                    case SIGNED_PEER_RECORD -> signedPeerRecord = in.readBytes();
                    default -> in.skip();
                }
            }
        } catch (ProtobufException e) {
            throw new ProtocolViolationException("identify: malformed message (" + bytes.length + " bytes): "
                    + e.getMessage(), e);
        }
        return new IdentifyMessage(protocolVersion, agentVersion, publicKey, listenAddrs, observedAddr, protocols,
                signedPeerRecord);
    }

    /**
     * Merges a later message into this one, as protobuf's merge does (go-libp2p reads identify messages with
     * {@code proto.Merge}): fields set in {@code later} replace ours, repeated fields are appended.
     */
    public IdentifyMessage mergedWith(IdentifyMessage later) {
        List<Multiaddr> addrs = new ArrayList<>(listenAddrs);
        addrs.addAll(later.listenAddrs);
        List<String> protos = new ArrayList<>(protocols);
        protos.addAll(later.protocols);
        return new IdentifyMessage(
                later.protocolVersion != null ? later.protocolVersion : protocolVersion,
                later.agentVersion != null ? later.agentVersion : agentVersion,
                later.publicKey != null ? later.publicKey : publicKey,
                addrs,
                later.observedAddr != null ? later.observedAddr : observedAddr,
                protos,
                later.signedPeerRecord != null ? later.signedPeerRecord : signedPeerRecord);
    }

    private static Multiaddr multiaddrOrNull(byte[] bytes, String what) {
        try {
            return Multiaddr.fromBytes(bytes);
        } catch (MultiformatException e) {
            log.debug("identify: skipping a {} that is not a valid multiaddr: {}", what, e.getMessage());
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentifyMessage m
                && Objects.equals(protocolVersion, m.protocolVersion)
                && Objects.equals(agentVersion, m.agentVersion)
                && Arrays.equals(publicKey, m.publicKey)
                && listenAddrs.equals(m.listenAddrs)
                && Objects.equals(observedAddr, m.observedAddr)
                && protocols.equals(m.protocols)
                && Arrays.equals(signedPeerRecord, m.signedPeerRecord);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocolVersion, agentVersion, Arrays.hashCode(publicKey), listenAddrs, observedAddr,
                protocols, Arrays.hashCode(signedPeerRecord));
    }

    @Override
    public String toString() {
        return "IdentifyMessage[protocolVersion=" + protocolVersion + ", agentVersion=" + agentVersion
                + ", publicKey=" + (publicKey == null ? "null" : publicKey.length + " bytes")
                + ", listenAddrs=" + listenAddrs + ", observedAddr=" + observedAddr + ", protocols=" + protocols
                + ", signedPeerRecord=" + (signedPeerRecord == null ? "null" : signedPeerRecord.length + " bytes")
                + "]";
    }

    /**
     * This message updated by a push: the push replaces only the fields it carries, lists included (identify spec:
     * "missing fields ... should be ignored").
     */
    public IdentifyMessage updatedBy(IdentifyMessage push) {
        return new IdentifyMessage(
                push.protocolVersion() != null ? push.protocolVersion() : protocolVersion,
                push.agentVersion() != null ? push.agentVersion() : agentVersion,
                push.publicKey() != null ? push.publicKey() : publicKey,
                !push.listenAddrs().isEmpty() ? push.listenAddrs() : listenAddrs,
                push.observedAddr() != null ? push.observedAddr() : observedAddr,
                !push.protocols().isEmpty() ? push.protocols() : protocols,
                push.signedPeerRecord() != null ? push.signedPeerRecord() : signedPeerRecord);
    }
}
