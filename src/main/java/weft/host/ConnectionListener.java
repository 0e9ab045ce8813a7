package weft.host;

import weft.connection.Connection;
import weft.protocol.identify.IdentifyMessage;

/**
 * Hears about connections opening and closing. Called on the connection's own thread; must not block for long.
 */
public interface ConnectionListener {
    default void connected(Connection connection) {}

    default void disconnected(Connection connection) {}

    /** The peer answered identify (or pushed an update) on {@code connection}; {@code message} is what we now know. */
    default void identified(Connection connection, IdentifyMessage message) {}
}
