package io.proxplane.core.registry;

/**
 * A front door tried to change a row that another manager owns. The registry never lets one
 * manager (a custom resource, a Terraform workspace) overwrite or delete what another one manages.
 */
public final class OwnershipConflictException extends RegistryException {
    private final String objectKind;
    private final String objectKey;
    private final String currentManager;
    private final String requestingManager;

    public OwnershipConflictException(String objectKind, String objectKey, String currentManager, String requestingManager) {
        super(objectKind + " '" + objectKey + "' is managed by " + currentManager
                + "; refusing change requested by " + requestingManager);
        this.objectKind = objectKind;
        this.objectKey = objectKey;
        this.currentManager = currentManager;
        this.requestingManager = requestingManager;
    }

    public String objectKind() { return objectKind; }

    public String objectKey() { return objectKey; }

    public String currentManager() { return currentManager; }

    public String requestingManager() { return requestingManager; }
}
