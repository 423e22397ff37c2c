package io.proxplane.ldap;

import io.proxplane.ldap.auth.PasswordHashes;
import io.proxplane.ldap.auth.ShaCrypt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHashesTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shaCryptMatchesThePublishedVectors() {
        // From Drepper's specification (also what glibc and `openssl passwd -5/-6` produce).
        assertThat(ShaCrypt.crypt(b("Hello world!"), "$5$saltstring"))
                .isEqualTo("$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5");
        assertThat(ShaCrypt.crypt(b("Hello world!"), "$6$saltstring")).isEqualTo(
                "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1");
        assertThat(ShaCrypt.crypt(b("Hello world!"), "$5$rounds=10000$saltstringsaltstring"))
                .isEqualTo("$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA");
        assertThat(ShaCrypt.crypt(b("Hello world!"), "$6$rounds=10000$saltstringsaltstring")).isEqualTo(
                "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.");
        assertThat(ShaCrypt.crypt(b("we have a short salt string but not a short password"), "$6$rounds=77777$short")).isEqualTo(
                "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0");
        assertThat(ShaCrypt.crypt(b("the minimum number is still observed"), "$5$rounds=10$roundstoolow"))
                .isEqualTo("$5$rounds=1000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC");
        assertThat(PasswordHashes.verify("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
                b("Hello world!"))).isTrue();
        assertThat(PasswordHashes.verify("{CRYPT}$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5", b("Hello world!"))).isTrue();
        assertThat(PasswordHashes.verify("$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5", b("Hello world?"))).isFalse();
    }

    @Test
    void argon2ReferenceVectorAndRoundTrip() {
        // The reference implementation's README example (argon2i, password "password", salt "somesalt").
        assertThat(PasswordHashes.verify("$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
                b("password"))).isTrue();
        PasswordHashes hashes = new PasswordHashes(new PasswordHashes.Argon2Cost(1024, 1, 1));
        String h = hashes.hash(b("correct horse"));
        assertThat(h).matches("\\$argon2id\\$v=19\\$m=1024,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(PasswordHashes.verify(h, b("correct horse"))).isTrue();
        assertThat(PasswordHashes.verify(h, b("correct horsE"))).isFalse();
        assertThat(PasswordHashes.verify("$argon2id$v=19$m=99999999,t=1,p=1$c29tZXNhbHQ$AAAA", b("x"))).as("absurd cost refused").isFalse();
        assertThat(PasswordHashes.verify("$argon2id$garbage", b("x"))).isFalse();
    }

    @Test
    void bcryptVariants() {
        // jBCrypt / OpenBSD test vectors.
        String abc = "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i";
        assertThat(PasswordHashes.verify(abc, b("abc"))).isTrue();
        assertThat(PasswordHashes.verify(abc.replace("$2a$", "$2b$"), b("abc"))).isTrue();
        assertThat(PasswordHashes.verify(abc.replace("$2a$", "$2y$"), b("abc"))).isTrue();
        assertThat(PasswordHashes.verify(abc, b("abd"))).isFalse();
        assertThat(PasswordHashes.verify("$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.", b(""))).isTrue();
    }

    @Test
    void saltedShaFamily() throws Exception {
        byte[] salt = {1, 2, 3, 4, 5, 6, 7, 8};
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(b("secret"));
        sha1.update(salt);
        byte[] digest = sha1.digest();
        byte[] all = Arrays.copyOf(digest, digest.length + salt.length);
        System.arraycopy(salt, 0, all, digest.length, salt.length);
        String ssha = "{SSHA}" + Base64.getEncoder().encodeToString(all);
        assertThat(PasswordHashes.verify(ssha, b("secret"))).isTrue();
        assertThat(PasswordHashes.verify(ssha.replace("{SSHA}", "{ssha}"), b("secret"))).isTrue();
        assertThat(PasswordHashes.verify(ssha, b("Secret"))).isFalse();
        assertThat(PasswordHashes.verify(PasswordHashes.ssha(b("pw")), b("pw"))).isTrue();
        assertThat(PasswordHashes.verify("{SHA}notsupported", b("pw"))).isFalse();
        assertThat(PasswordHashes.verify("plaintext", b("plaintext"))).as("clear text is never accepted").isFalse();
    }
}
