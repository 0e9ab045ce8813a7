package weft.multistream;

import java.io.IOException;
import java.util.List;

/**
 * The peer answered {@code na} to every protocol we proposed. multistream-select 1.0: "If the responder does not
 * support the protocol, it responds with {@code na}" and the initiator "can try again with a different protocol";
 * this is what is left when there is none.
 */
public class ProtocolNotSupportedException extends IOException {
    private final List<String> offered;

    public ProtocolNotSupportedException(List<String> offered) {
        super("multistream: peer supports none of " + offered + " (" + offered.size() + " offered)");
        this.offered = List.copyOf(offered);
    }

    /** The protocols we offered, in the order we proposed them. */
    public List<String> offered() {
        return offered;
    }
}
