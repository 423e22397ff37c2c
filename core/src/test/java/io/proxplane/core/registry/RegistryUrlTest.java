package io.proxplane.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegistryUrlTest {

    @Test
    void jdbcFormIsKeptAsItIs() {
        RegistryUrl u = RegistryUrl.parse("--registry-url", "jdbc:postgresql://db.example:5432/proxplane?sslmode=verify-full");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5432/proxplane?sslmode=verify-full");
        assertThat(u.user()).isNull();
        assertThat(u.password()).isNull();
        assertThat(u.database()).isEqualTo("proxplane");
    }

    @Test
    void libpqFormBecomesJdbcWithUserAndPasswordSeparated() {
        RegistryUrl u = RegistryUrl.parse("--registry-url", "postgresql://app:p%40ss@127.0.0.1:5432/proxplane_local");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/proxplane_local");
        assertThat(u.user()).isEqualTo("app");
        assertThat(u.password()).isEqualTo("p@ss");
        assertThat(RegistryUrl.parse("x", "postgres://postgres@h/db").jdbcUrl()).isEqualTo("jdbc:postgresql://h/db");
        assertThat(RegistryUrl.parse("x", "postgres://postgres@h/db").password()).isNull();
        assertThat(RegistryUrl.parse("x", "postgresql://h:5433/db").user()).isNull();
    }

    @Test
    void badUrlsNameTheFieldAndTheExpectedForm() {
        assertThatThrownBy(() -> RegistryUrl.parse("--registry-url", "mysql://h/db"))
                .hasMessageContaining("--registry-url").hasMessageContaining("jdbc:postgresql://host[:port]/database");
        assertThatThrownBy(() -> RegistryUrl.parse("PROXPLANE_REGISTRY_URL", "jdbc:postgresql://h:5432"))
                .hasMessageContaining("PROXPLANE_REGISTRY_URL");
        assertThatThrownBy(() -> RegistryUrl.parse("f", null)).hasMessageContaining("f:");
        assertThatThrownBy(() -> RegistryUrl.parse("f", "jdbc:postgresql://u@h/db")).hasMessageContaining("no user@ part");
    }

    @Test
    void thePasswordIsNotPrinted() {
        assertThat(RegistryUrl.parse("x", "postgresql://u:secret@h/db").toString()).doesNotContain("secret");
    }
}
