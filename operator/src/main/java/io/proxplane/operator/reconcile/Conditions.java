package io.proxplane.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Builds condition lists; {@code lastTransitionTime} only moves when the status flips. Pure. */
public final class Conditions {
    /** Kubernetes caps condition messages at 32768 characters; keep them readable well below. */
    static final int MAX_MESSAGE = 4096;

    private Conditions() {
    }

    public static List<Condition> set(List<Condition> current, String type, boolean status, String reason, String message,
                                      Long generation, Clock clock) {
        List<Condition> out = new ArrayList<>();
        Condition previous = null;
        if (current != null) {
            for (Condition c : current) {
                if (type.equals(c.getType())) previous = c;
                else out.add(c);
            }
        }
        String s = status ? "True" : "False";
        String transition = previous != null && s.equals(previous.getStatus()) && previous.getLastTransitionTime() != null
                ? previous.getLastTransitionTime()
                : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        out.add(new ConditionBuilder().withType(type).withStatus(s).withReason(reason).withMessage(truncate(message))
                .withObservedGeneration(generation).withLastTransitionTime(transition).build());
        out.sort(java.util.Comparator.comparing(Condition::getType));
        return out;
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) return null;
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    static String truncate(String message) {
        if (message == null) return "";
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
