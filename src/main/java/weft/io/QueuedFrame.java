package weft.io;

/**
 * One data-lane frame: {@code header} (may be null) followed by {@code len} bytes of {@code array} from
 * {@code off}. A queued frame's array belongs to the writer; a borrowed one ({@code owner} not null) to the caller,
 * who waits until the writer releases it.
 */
final class QueuedFrame {
    final byte[] header;
    final byte[] array;
    final int off;
    final int len;
    final BorrowedFrames owner; // null: the writer owns the array
    boolean taken; // guarded by the writer's lock; the writer took it into a batch
    boolean released; // guarded by the writer's lock; the writer no longer reads the array
    boolean written; // guarded by the writer's lock; handed to the channel without error

    QueuedFrame(byte[] header, byte[] array, int off, int len, BorrowedFrames owner) {
        this.header = header;
        this.array = array;
        this.off = off;
        this.len = len;
        this.owner = owner;
    }

    int bytes() {
        return (header == null ? 0 : header.length) + len;
    }
}
