package io.proxplane.terraform.plugin;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/** go-plugin's handshake: the magic cookie, version negotiation and the one stdout line. */
public final class Handshake {

    public static final String MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
    public static final String MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
    /** Our own setting: offer only these protocol majors (e.g. "5" or "6"); default both. */
    public static final String PROTOCOLS_ENV = "PROXPLANE_TF_PROTOCOLS";
    public static final Set<Integer> SUPPORTED = Set.of(5, 6);

    private Handshake() {
    }

    /** Parses {@value #PROTOCOLS_ENV}; null or blank means every supported version. */
    public static Set<Integer> offered(String setting) {
        if (setting == null || setting.isBlank()) {
            return new TreeSet<>(SUPPORTED);
        }
        Set<Integer> out = new TreeSet<>();
        for (String part : setting.split(",")) {
            String p = part.strip();
            if (!p.matches("\\d+") || !SUPPORTED.contains(Integer.parseInt(p))) {
                throw new IllegalArgumentException(PROTOCOLS_ENV + ": expected a comma-separated list of 5 and/or 6, got '" + setting + "'");
            }
            out.add(Integer.parseInt(p));
        }
        return out;
    }

    /**
     * The highest version both sides speak (go-plugin server.go protocolVersion). Without
     * PLUGIN_PROTOCOL_VERSIONS (a legacy host) go-plugin falls back to its lowest version.
     */
    public static OptionalInt negotiate(String clientVersions, Set<Integer> offered) {
        if (clientVersions == null || clientVersions.isBlank()) {
            return offered.stream().mapToInt(Integer::intValue).min();
        }
        return Arrays.stream(clientVersions.split(","))
                .map(String::strip)
                .filter(s -> s.matches("\\d+"))
                .map(Integer::valueOf)
                .filter(offered::contains)
                .max(Comparator.naturalOrder())
                .map(OptionalInt::of)
                .orElse(OptionalInt.empty());
    }

    /**
     * {@code CORE|APP|NETWORK|ADDRESS|PROTOCOL|SERVERCERT}; the certificate is the DER in
     * standard Base64 without padding (Go's RawStdEncoding rejects '=').
     */
    public static String line(int protocolVersion, InetSocketAddress address, byte[] serverCertDer) {
        String cert = serverCertDer == null ? "" : Base64.getEncoder().withoutPadding().encodeToString(serverCertDer);
        return "1|" + protocolVersion + "|tcp|" + address.getAddress().getHostAddress() + ":" + address.getPort() + "|grpc|" + cert;
    }
}
