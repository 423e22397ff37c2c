package io.proxplane.ldap.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-crypt ($5$ SHA-256, $6$ SHA-512) as published by Ulrich Drepper ("Unix crypt using SHA-256
 * and SHA-512", 2008): the format glibc's crypt(3) and {@code openssl passwd -5/-6} produce.
 */
public final class ShaCrypt {
    private static final String ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int ROUNDS_DEFAULT = 5000;
    private static final int ROUNDS_MIN = 1000;
    private static final int ROUNDS_MAX = 999_999_999;

    private static final int[][] ORDER_256 = {{0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14},
            {15, 25, 5}, {6, 16, 26}, {27, 7, 17}, {18, 28, 8}, {9, 19, 29}};
    private static final int[][] ORDER_512 = {{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4},
            {47, 5, 26}, {6, 27, 48}, {28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10}, {53, 11, 32},
            {12, 33, 54}, {34, 55, 13}, {56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38}, {18, 39, 60},
            {40, 61, 19}, {62, 20, 41}};

    private ShaCrypt() {
    }

    public static boolean isShaCrypt(String stored) {
        return stored.startsWith("$5$") || stored.startsWith("$6$");
    }

    /** Recomputes the hash with the stored salt and rounds; constant-time comparison. */
    public static boolean verify(String stored, byte[] password) {
        String computed;
        try {
            computed = crypt(password, stored);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), stored.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Computes crypt(password, setting) where setting is "$5$[rounds=N$]salt[$...]" or the same with $6$.
     */
    public static String crypt(byte[] password, String setting) {
        boolean sha512;
        if (setting.startsWith("$5$")) sha512 = false;
        else if (setting.startsWith("$6$")) sha512 = true;
        else throw new IllegalArgumentException("not a SHA-crypt setting: must start with $5$ or $6$");
        String rest = setting.substring(3);
        int rounds = ROUNDS_DEFAULT;
        boolean explicitRounds = false;
        if (rest.startsWith("rounds=")) {
            int end = rest.indexOf('$');
            if (end < 0) throw new IllegalArgumentException("SHA-crypt rounds= without a salt");
            long parsed;
            try {
                parsed = Long.parseLong(rest.substring(7, end));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("SHA-crypt rounds is not a number");
            }
            rounds = (int) Math.max(ROUNDS_MIN, Math.min(ROUNDS_MAX, parsed));
            explicitRounds = true;
            rest = rest.substring(end + 1);
        }
        int saltEnd = rest.indexOf('$');
        String saltString = saltEnd < 0 ? rest : rest.substring(0, saltEnd);
        if (saltString.length() > 16) saltString = saltString.substring(0, 16);
        byte[] salt = saltString.getBytes(StandardCharsets.UTF_8);
        byte[] p = password;
        String algorithm = sha512 ? "SHA-512" : "SHA-256";
        int size = sha512 ? 64 : 32;

        MessageDigest md = digest(algorithm);
        md.update(p);
        md.update(salt);
        md.update(p);
        byte[] b = md.digest();

        md.update(p);
        md.update(salt);
        for (int left = p.length; left > 0; left -= size) md.update(b, 0, Math.min(left, size));
        for (int len = p.length; len > 0; len >>= 1) {
            if ((len & 1) != 0) md.update(b);
            else md.update(p);
        }
        byte[] a = md.digest();

        for (int i = 0; i < p.length; i++) md.update(p);
        byte[] dp = md.digest();
        byte[] pSeq = repeat(dp, p.length);

        for (int i = 0; i < 16 + (a[0] & 0xff); i++) md.update(salt);
        byte[] ds = md.digest();
        byte[] sSeq = repeat(ds, salt.length);

        byte[] c = a;
        for (int i = 0; i < rounds; i++) {
            if ((i & 1) != 0) md.update(pSeq);
            else md.update(c);
            if (i % 3 != 0) md.update(sSeq);
            if (i % 7 != 0) md.update(pSeq);
            if ((i & 1) != 0) md.update(c);
            else md.update(pSeq);
            c = md.digest();
        }

        StringBuilder out = new StringBuilder(sha512 ? "$6$" : "$5$");
        if (explicitRounds) out.append("rounds=").append(rounds).append('$');
        out.append(saltString).append('$');
        for (int[] t : sha512 ? ORDER_512 : ORDER_256) encode(out, c[t[0]], c[t[1]], c[t[2]], 4);
        if (sha512) encode(out, (byte) 0, (byte) 0, c[63], 2);
        else encode(out, (byte) 0, c[31], c[30], 3);
        return out.toString();
    }

    private static byte[] repeat(byte[] source, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) out[i] = source[i % source.length];
        return out;
    }

    private static void encode(StringBuilder out, byte b2, byte b1, byte b0, int n) {
        int w = ((b2 & 0xff) << 16) | ((b1 & 0xff) << 8) | (b0 & 0xff);
        for (int i = 0; i < n; i++) {
            out.append(ITOA64.charAt(w & 0x3f));
            w >>>= 6;
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }
}
