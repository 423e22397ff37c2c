package io.proxplane.core.registry;

/**
 * A front-door resource declared an object that another resource of the same manager holds (or,
 * for a create, that exists at all). Nothing was written. Taking the object over is an explicit
 * import/adoption ({@link Claim.Mode#ADOPT}).
 */
public final class ClaimConflictException extends RegistryException {
    private final String objectKind;
    private final String objectKey;
    private final String manager;
    private final String currentHolder;
    private final Claim requested;

    public ClaimConflictException(String objectKind, String objectKey, String manager, String currentHolder, Claim requested) {
        super(objectKind + " '" + objectKey + "' already exists and belongs to "
                + (currentHolder == null ? "no resource yet (" + manager + ", created before claims or by an import)"
                : "another resource (" + manager + ", resource claim " + currentHolder + ")")
                + "; refusing " + requested.mode().name().toLowerCase() + " by " + requested.holder());
        this.objectKind = objectKind;
        this.objectKey = objectKey;
        this.manager = manager;
        this.currentHolder = currentHolder;
        this.requested = requested;
    }

    public String objectKind() { return objectKind; }

    public String objectKey() { return objectKey; }

    public String manager() { return manager; }

    /** The holder token of the resource that has the object; null when it is unclaimed. */
    public String currentHolder() { return currentHolder; }

    public Claim requested() { return requested; }
}
