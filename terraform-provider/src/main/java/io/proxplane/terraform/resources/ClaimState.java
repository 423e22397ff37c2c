package io.proxplane.terraform.resources;

import io.proxplane.core.registry.Claim;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resource claim kept in a resource's private state (opaque to users, stored by Terraform
 * next to the state): which token this resource instance holds its engine object with, or that an
 * import is waiting to adopt it. A few bytes of JSON, e.g. {@code {"holder":"terraform:<uuid>"}}
 * or {@code {"adopt":true}}. Pure.
 *
 * @param holder the held token, null when none yet
 * @param adopt  imported: the next apply takes the object over ({@link Claim.Mode#ADOPT})
 */
record ClaimState(String holder, boolean adopt) {
    private static final Pattern HOLDER = Pattern.compile("\"holder\"\\s*:\\s*\"(terraform:[0-9a-f-]{36})\"");
    private static final Pattern ADOPT = Pattern.compile("\"adopt\"\\s*:\\s*true");

    static final ClaimState NONE = new ClaimState(null, false);
    static final ClaimState ADOPT_PENDING = new ClaimState(null, true);

    /** What {@code privateState} says; anything else (empty, written by an older provider) is {@link #NONE}. */
    static ClaimState parse(byte[] privateState) {
        if (privateState == null || privateState.length == 0) {
            return NONE;
        }
        String s = new String(privateState, StandardCharsets.UTF_8);
        Matcher m = HOLDER.matcher(s);
        if (m.find()) {
            return new ClaimState(m.group(1), false);
        }
        return ADOPT.matcher(s).find() ? ADOPT_PENDING : NONE;
    }

    static ClaimState held(String holder) {
        return new ClaimState(holder, false);
    }

    static String newHolder() {
        return "terraform:" + UUID.randomUUID();
    }

    byte[] bytes() {
        String json = holder != null ? "{\"holder\":\"" + holder + "\"}" : adopt ? "{\"adopt\":true}" : "{}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The claim an update (or the first apply after an import) acts with: the held token; after an
     * import a fresh token adopting the object; for a state written before claims a fresh token that
     * claims the (then unclaimed) object.
     */
    Claim forUpdate(String manager) {
        if (holder != null) return Claim.apply(manager, holder);
        return adopt ? Claim.adopt(manager, newHolder()) : Claim.apply(manager, newHolder());
    }

    /** The claim a delete acts with: the held token (an imported or pre-claims state deletes what its manager has unclaimed or adopts). */
    Claim forDelete(String manager) {
        return forUpdate(manager);
    }
}
