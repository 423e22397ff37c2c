package io.proxplane.ldap.auth;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Verifies the password hash formats a migrated directory may hold and creates argon2id hashes for
 * new passwords. Supported: argon2id/argon2i/argon2d (PHC string), bcrypt ($2a$, $2b$, $2y$),
 * SHA-crypt ($5$, $6$), {SSHA}/{SSHA256}/{SSHA512}, and any of the crypt forms behind "{CRYPT}".
 */
public final class PasswordHashes {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    /** argon2id cost for new hashes; OWASP's minimum recommendation is m=19 MiB, t=2, p=1. */
    public record Argon2Cost(int memoryKib, int iterations, int parallelism) {
        public static final Argon2Cost DEFAULT = new Argon2Cost(19_456, 2, 1);

        public Argon2Cost {
            if (memoryKib < 8 * parallelism) throw new IllegalArgumentException("argon2 memory must be at least 8*parallelism KiB");
            if (iterations < 1) throw new IllegalArgumentException("argon2 iterations must be >= 1");
            if (parallelism < 1) throw new IllegalArgumentException("argon2 parallelism must be >= 1");
        }
    }

    private final Argon2Cost cost;
    /** Verified against when the account is unknown, so unknown and known users cost the same. */
    private final String decoy;

    public PasswordHashes(Argon2Cost cost) {
        this.cost = cost;
        this.decoy = hash("decoy-password-never-matches".getBytes(StandardCharsets.UTF_8));
    }

    public String decoyHash() {
        return decoy;
    }

    /** A new argon2id PHC string with a random 16-byte salt and a 32-byte tag. */
    public String hash(byte[] password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] tag = argon2(Argon2Parameters.ARGON2_id, password, salt, cost.memoryKib(), cost.iterations(),
                cost.parallelism(), 32);
        return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(tag);
    }

    /** True only if the password matches; malformed or unknown formats never match. */
    public static boolean verify(String stored, byte[] password) {
        if (stored == null || stored.isEmpty()) return false;
        try {
            if (stored.regionMatches(true, 0, "{CRYPT}", 0, 7)) return verify(stored.substring(7), password);
            if (stored.startsWith("$argon2")) return verifyArgon2(stored, password);
            if (stored.startsWith("$2a$") || stored.startsWith("$2b$") || stored.startsWith("$2y$")) {
                // bcrypt only uses the first 72 bytes; BC refuses longer input, so truncate like OpenBSD does.
                return OpenBSDBCrypt.checkPassword(stored, password.length > 72 ? Arrays.copyOf(password, 72) : password);
            }
            if (ShaCrypt.isShaCrypt(stored)) return ShaCrypt.verify(stored, password);
            if (stored.startsWith("{")) return verifySaltedSha(stored, password);
        } catch (RuntimeException malformed) {
            return false;
        }
        return false;
    }

    /** The scheme name of a stored hash, for metrics and audit (never the hash itself). */
    public static String scheme(String stored) {
        if (stored == null || stored.isEmpty()) return "none";
        if (stored.regionMatches(true, 0, "{CRYPT}", 0, 7)) return scheme(stored.substring(7));
        if (stored.startsWith("$argon2id$")) return "argon2id";
        if (stored.startsWith("$argon2")) return "argon2";
        if (stored.startsWith("$2")) return "bcrypt";
        if (stored.startsWith("$5$")) return "sha256-crypt";
        if (stored.startsWith("$6$")) return "sha512-crypt";
        if (stored.startsWith("{")) return stored.substring(1, Math.max(1, stored.indexOf('}'))).toLowerCase();
        return "unknown";
    }

    private static boolean verifyArgon2(String stored, byte[] password) {
        // $argon2id$v=19$m=65536,t=3,p=4$salt$hash  (the v= part is optional in old encoders)
        String[] parts = stored.split("\\$");
        int i = 1;
        int type = switch (parts[i++]) {
            case "argon2id" -> Argon2Parameters.ARGON2_id;
            case "argon2i" -> Argon2Parameters.ARGON2_i;
            case "argon2d" -> Argon2Parameters.ARGON2_d;
            default -> throw new IllegalArgumentException("unknown argon2 variant");
        };
        int version = Argon2Parameters.ARGON2_VERSION_10;
        if (parts[i].startsWith("v=")) version = Integer.parseInt(parts[i++].substring(2));
        Map<String, Integer> params = new HashMap<>();
        for (String kv : parts[i++].split(",")) {
            String[] pair = kv.split("=", 2);
            params.put(pair[0], Integer.parseInt(pair[1]));
        }
        byte[] salt = Base64.getDecoder().decode(pad(parts[i++]));
        byte[] expected = Base64.getDecoder().decode(pad(parts[i]));
        int m = params.get("m"), t = params.get("t"), p = params.get("p");
        // Refuse absurd costs from a tampered or corrupt record instead of allocating gigabytes.
        if (m > 4 * 1024 * 1024 || t > 64 || p > 64 || expected.length < 4 || expected.length > 1024)
            throw new IllegalArgumentException("argon2 parameters out of range");
        byte[] actual = argon2(type, version, password, salt, m, t, p, expected.length);
        return MessageDigest.isEqual(actual, expected);
    }

    private static String pad(String b64) {
        return b64 + "===".substring(0, (4 - b64.length() % 4) % 4);
    }

    private static byte[] argon2(int type, byte[] password, byte[] salt, int m, int t, int p, int length) {
        return argon2(type, Argon2Parameters.ARGON2_VERSION_13, password, salt, m, t, p, length);
    }

    private static byte[] argon2(int type, int version, byte[] password, byte[] salt, int m, int t, int p, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(type).withVersion(version).withSalt(salt)
                .withMemoryAsKB(m).withIterations(t).withParallelism(p).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    private static boolean verifySaltedSha(String stored, byte[] password) {
        int close = stored.indexOf('}');
        String scheme = stored.substring(1, close).toUpperCase();
        String algorithm;
        int size;
        switch (scheme) {
            case "SSHA" -> { algorithm = "SHA-1"; size = 20; }
            case "SSHA256" -> { algorithm = "SHA-256"; size = 32; }
            case "SSHA512" -> { algorithm = "SHA-512"; size = 64; }
            default -> { return false; }
        }
        byte[] decoded = Base64.getMimeDecoder().decode(stored.substring(close + 1));
        if (decoded.length <= size) return false;
        byte[] digest = Arrays.copyOf(decoded, size);
        byte[] salt = Arrays.copyOfRange(decoded, size, decoded.length);
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update(password);
        md.update(salt);
        return MessageDigest.isEqual(md.digest(), digest);
    }

    /** {SSHA} of a password with a random salt; for seeding test and benchmark directories. */
    public static String ssha(byte[] password) {
        byte[] salt = new byte[8];
        RANDOM.nextBytes(salt);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            md.update(password);
            md.update(salt);
            byte[] digest = md.digest();
            byte[] all = Arrays.copyOf(digest, digest.length + salt.length);
            System.arraycopy(salt, 0, all, digest.length, salt.length);
            return "{SSHA}" + Base64.getEncoder().encodeToString(all);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
