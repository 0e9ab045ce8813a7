package weft.host;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import weft.crypto.PeerId;
import weft.multiformats.Multiaddr;

/**
 * Where each peer can be reached: the listen addresses it told us in identify, the addresses we dialed it on, and
 * what the application added. Addresses are kept without their {@code /p2p/<id>} suffix, most recent first, and
 * dialed in that order; wildcard addresses ({@code 0.0.0.0}, {@code ::}) are dropped.
 *
 * <p>go-libp2p's peerstore gives each address a TTL by where it came from ({@code core/peerstore/peerstore.go}:
 * {@code TempAddrTTL} 2 minutes, {@code AddressTTL} 1 hour, {@code ConnectedAddrTTL} for as long as a connection
 * is open) and sweeps expired ones. weft keeps it simpler and bounds by count instead of time: at most
 * {@link #MAX_ADDRESSES_PER_PEER} per peer and {@link #MAX_PEERS} peers, the least recently learned or used
 * evicted first. Learning an address again, or dialing it successfully, makes it the most recent. A peer that
 * floods identify with addresses can therefore only push out its own older ones.
 *
 * <p>Thread-safe: one lock around the map; every call is short and does no IO.
 */
final class AddressBook {
    /**
     * Addresses kept per peer. Above what a real node advertises (a handful per transport and interface) and
     * above js-libp2p's {@code MAX_PEER_ADDRS_TO_DIAL} (25), far below go-libp2p identify's
     * {@code connectedPeerMaxAddrs} (500).
     */
    static final int MAX_ADDRESSES_PER_PEER = 64;

    /** Peers kept; the one whose addresses changed or were used least recently goes first. */
    static final int MAX_PEERS = 4096;

    private final ReentrantLock lock = new ReentrantLock();
    /** Access-ordered: iteration starts at the least recently touched peer. Each list is most recent first. */
    private final LinkedHashMap<PeerId, List<Multiaddr>> peers = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PeerId, List<Multiaddr>> eldest) {
            return size() > MAX_PEERS;
        }
    };

    /** Adds {@code addresses} for {@code peer}, the first of them ending up first; duplicates move up. */
    void add(PeerId peer, Collection<Multiaddr> addresses) {
        List<Multiaddr> given = new ArrayList<>(addresses);
        if (given.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            List<Multiaddr> known = peers.computeIfAbsent(peer, p -> new ArrayList<>());
            for (int i = given.size() - 1; i >= 0; i--) {
                Multiaddr address = given.get(i).withoutPeerId();
                if (address.isEmpty() || unspecified(address)) {
                    continue;
                }
                known.remove(address);
                known.add(0, address);
            }
            while (known.size() > MAX_ADDRESSES_PER_PEER) {
                known.remove(known.size() - 1);
            }
            if (known.isEmpty()) {
                peers.remove(peer);
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code /ip4/0.0.0.0} or {@code /ip6/::}: a wildcard to listen on, not a host to dial (peers send it anyway). */
    private static boolean unspecified(Multiaddr address) {
        return address.valueOf("ip4").filter("0.0.0.0"::equals).isPresent()
                || address.valueOf("ip6").filter("::"::equals).isPresent();
    }

    /** The addresses known for {@code peer}, most recent first; empty if none. */
    List<Multiaddr> addresses(PeerId peer) {
        lock.lock();
        try {
            List<Multiaddr> known = peers.get(peer);
            return known == null ? List.of() : List.copyOf(known);
        } finally {
            lock.unlock();
        }
    }
}
