package io.proxplane.core.registry;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PoolUsageTest {
    private static Pool pool(Integer containers, Integer cores, Long memoryMb, Long diskGb) {
        return new Pool(7, new PoolSpec("p", containers, cores, memoryMb, diskGb, List.of()), null);
    }

    private static final Resources SIZE = new Resources(2, 1024, 512, 10);

    @Test
    void nullQuotasAreUnlimited() {
        assertThat(new PoolUsage(1000, 1000, 1_000_000, 1_000_000).refusal(pool(null, null, null, null), SIZE)).isEmpty();
    }

    @Test
    void reachingALimitExactlyFitsAndOneMoreIsRefusedWithTheNumbers() {
        Pool p = pool(3, 6, 3072L, 30L);
        assertThat(new PoolUsage(2, 4, 2048, 20).refusal(p, SIZE)).isEmpty();
        assertThat(new PoolUsage(3, 0, 0, 0).refusal(p, SIZE)).hasValueSatisfying(e -> {
            assertThat(e.quota()).isEqualTo("maxContainers");
            assertThat(e.getMessage()).isEqualTo("pool 'p' quota maxContainers is 3: 3 in use by other containers + 1 requested = 4");
        });
        assertThat(new PoolUsage(0, 5, 0, 0).refusal(p, SIZE)).hasValueSatisfying(e -> assertThat(e.getMessage())
                .isEqualTo("pool 'p' quota maxCores is 6: 5 in use by other containers + 2 requested = 7"));
        assertThat(new PoolUsage(0, 0, 2049, 0).refusal(p, SIZE)).hasValueSatisfying(e -> assertThat(e.getMessage())
                .isEqualTo("pool 'p' quota maxMemoryMb is 3072: 2049 in use by other containers + 1024 requested = 3073"));
        assertThat(new PoolUsage(0, 0, 0, 21).refusal(p, SIZE)).hasValueSatisfying(e -> assertThat(e.getMessage())
                .isEqualTo("pool 'p' quota maxDiskGb is 30: 21 in use by other containers + 10 requested = 31"));
    }

    @Test
    void swapDoesNotCountAndTheFirstExceededQuotaIsReported() {
        assertThat(PoolUsage.NONE.refusal(pool(null, null, 1024L, null), new Resources(1, 1024, 99999, 1))).isEmpty();
        assertThat(new PoolUsage(5, 50, 50_000, 500).refusal(pool(1, 1, 1L, 1L), SIZE))
                .hasValueSatisfying(e -> assertThat(e.quota()).isEqualTo("maxContainers"));
        assertThat(PoolUsage.NONE.refusal(pool(0, null, null, null), SIZE))
                .hasValueSatisfying(e -> assertThat(e.limit()).isZero());
    }
}
