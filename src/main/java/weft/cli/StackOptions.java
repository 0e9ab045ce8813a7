package weft.cli;

import java.util.List;
import picocli.CommandLine.Option;
import weft.host.HostConfig;
import weft.host.HostConfig.Muxer;
import weft.host.HostConfig.Security;

/**
 * The options that choose what a host speaks above the transport, shared by every command that makes one (a picocli
 * mixin). The transport itself comes from the multiaddr: {@code /tcp/N} is TCP, {@code /tcp/N/ws} WebSocket.
 */
final class StackOptions {
    @Option(names = "--security", split = ",", paramLabel = "noise|tls",
            description = "Security protocols, most preferred first; repeatable or a comma list (default noise,tls). "
                    + "A listener accepts each of them.")
    List<Security> security;

    @Option(names = "--muxer", split = ",", paramLabel = "yamux|mplex",
            description = "Stream muxers, most preferred first; repeatable or a comma list (default yamux). "
                    + "A listener accepts each of them.")
    List<Muxer> muxers;

    /** {@code config} with the chosen security protocols and muxers; the config's own where none were given. */
    HostConfig applyTo(HostConfig config) {
        HostConfig out = config;
        if (security != null && !security.isEmpty()) {
            out = out.withSecurity(security.toArray(Security[]::new));
        }
        if (muxers != null && !muxers.isEmpty()) {
            out = out.withMuxers(muxers.toArray(Muxer[]::new));
        }
        return out;
    }
}
