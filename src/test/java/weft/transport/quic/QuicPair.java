package weft.transport.quic;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import weft.connection.Connection;
import weft.connection.SecureTransport;
import weft.crypto.PrivateKey;

/** A QUIC server and client transport on loopback with default settings, plus virtual threads for the test's work. */
final class QuicPair implements AutoCloseable {
    final QuicTransport server = new QuicTransport(PrivateKey.generate(), QuicConfig.defaults());
    final QuicTransport client = new QuicTransport(PrivateKey.generate(), QuicConfig.defaults());
    final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    SecureTransport.Listener listen() throws IOException {
        return server.listen(QuicTransportTest.LOOPBACK);
    }

    Connection dial(SecureTransport.Listener listener) throws IOException {
        return client.dial(listener.addresses().get(0), QuicTransportTest.DIAL_TIMEOUT);
    }

    @Override
    public void close() {
        threads.close();
        client.close();
        server.close();
    }
}
