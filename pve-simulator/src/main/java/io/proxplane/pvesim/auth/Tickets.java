package io.proxplane.pvesim.auth;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Login tickets and CSRF tokens in PVE's formats. PVE signs tickets with an RSA key; an HMAC key made
 * at start-up gives the same properties for a simulator (unforgeable, verifiable, restart-invalidated).
 */
public final class Tickets {
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private final byte[] ticketKey = new byte[32];
    private final byte[] csrfKey = new byte[32];
    private final Clock clock;
    private final Duration lifetime;

    public Tickets(Clock clock, Duration lifetime) {
        SecureRandom r = new SecureRandom();
        r.nextBytes(ticketKey);
        r.nextBytes(csrfKey);
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public String createTicket(String userid) {
        String plain = "PVE:" + URLEncoder.encode(userid, StandardCharsets.UTF_8).replace("%40", "@").replace("%21", "!")
                + ":" + hexTime();
        return plain + "::" + Base64.getEncoder().encodeToString(hmac(ticketKey, plain));
    }

    /** The user of a valid, unexpired ticket, or null. */
    public String verifyTicket(String ticket) {
        if (ticket == null) return null;
        int sep = ticket.indexOf("::");
        if (sep < 0) return null;
        String plain = ticket.substring(0, sep);
        String sig = ticket.substring(sep + 2);
        byte[] given;
        try {
            given = Base64.getDecoder().decode(sig);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!MessageDigest.isEqual(given, hmac(ticketKey, plain))) return null;
        String[] parts = plain.split(":");
        if (parts.length != 3 || !parts[0].equals("PVE")) return null;
        if (!timeValid(parts[2])) return null;
        return URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
    }

    public String createCsrfToken(String userid) {
        String t = hexTime();
        return t + ":" + Base64.getEncoder().withoutPadding().encodeToString(hmac(csrfKey, t + ":" + userid));
    }

    public boolean verifyCsrfToken(String token, String userid) {
        if (token == null) return false;
        int c = token.indexOf(':');
        if (c != 8) return false;
        String t = token.substring(0, c);
        String expected = Base64.getEncoder().withoutPadding().encodeToString(hmac(csrfKey, t + ":" + userid));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                token.substring(c + 1).getBytes(StandardCharsets.UTF_8)) && timeValid(t);
    }

    private boolean timeValid(String hex) {
        long t;
        try {
            t = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            return false;
        }
        long age = clock.instant().getEpochSecond() - t;
        return age > -CLOCK_SKEW.toSeconds() && age < lifetime.toSeconds();
    }

    private String hexTime() {
        return String.format(Locale.ROOT, "%08X", clock.instant().getEpochSecond());
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
