package weft.multistream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import weft.io.DuplexStream;

/** Two ends of an in-memory blocking connection, built from two NIO pipes. */
record PipedDuplex(InputStream input, OutputStream output) implements DuplexStream {
    static PipedDuplex[] pair() throws IOException {
        Pipe aToB = Pipe.open();
        Pipe bToA = Pipe.open();
        return new PipedDuplex[] {
            new PipedDuplex(Channels.newInputStream(bToA.source()), Channels.newOutputStream(aToB.sink())),
            new PipedDuplex(Channels.newInputStream(aToB.source()), Channels.newOutputStream(bToA.sink())),
        };
    }

    @Override
    public void close() throws IOException {
        try {
            output.close();
        } finally {
            input.close();
        }
    }
}
