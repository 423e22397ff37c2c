package io.proxplane.core.model;

/**
 * A request body limit in bytes (nginx {@code client_max_body_size}): a number with an optional
 * suffix k, m or g (binary multiples, as nginx reads them); 0 means unlimited. At most 1 TiB.
 */
public record UploadSize(long bytes) {

    private static final long MAX = 1L << 40;
    static final String RULE = "must be a size like 512k, 100m or 2g (0 = unlimited), at most 1024g";

    public UploadSize {
        if (bytes < 0 || bytes > MAX) {
            throw new ValidationException("uploadSize", RULE + "; got " + bytes + " bytes");
        }
    }

    public static UploadSize of(String field, String raw) {
        ValidationException.require(field, raw);
        if (raw.isEmpty() || raw.length() > 16) {
            throw ValidationException.got(field, RULE, raw);
        }
        char last = raw.charAt(raw.length() - 1);
        long unit = switch (last) {
            case 'k', 'K' -> 1L << 10;
            case 'm', 'M' -> 1L << 20;
            case 'g', 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? raw : raw.substring(0, raw.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ValidationException.got(field, RULE, raw);
        }
        long number = Long.parseLong(digits);
        if (number > MAX / unit) {
            throw ValidationException.got(field, RULE, raw);
        }
        return new UploadSize(number * unit);
    }

    /** The shortest exact nginx spelling, e.g. {@code 2g}. */
    public String nginxValue() {
        if (bytes != 0) {
            if (bytes % (1L << 30) == 0) {
                return (bytes >> 30) + "g";
            }
            if (bytes % (1L << 20) == 0) {
                return (bytes >> 20) + "m";
            }
            if (bytes % (1L << 10) == 0) {
                return (bytes >> 10) + "k";
            }
        }
        return Long.toString(bytes);
    }

    @Override
    public String toString() {
        return nginxValue();
    }
}
