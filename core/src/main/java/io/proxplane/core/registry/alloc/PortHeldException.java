package io.proxplane.core.registry.alloc;

/** A requested external port is already held by another service. */
public final class PortHeldException extends AllocationException {
    private final String protocol;
    private final int port;
    private final String holderService;
    private final String holderContainer;
    private final String site;

    public PortHeldException(String protocol, int port, String holderService, String holderContainer, String site) {
        super(protocol + " port " + port + " is held by service '" + holderService + "' of container '"
                + holderContainer + "' (site '" + site + "')");
        this.protocol = protocol;
        this.port = port;
        this.holderService = holderService;
        this.holderContainer = holderContainer;
        this.site = site;
    }

    public String protocol() { return protocol; }

    public int port() { return port; }

    public String holderService() { return holderService; }

    public String holderContainer() { return holderContainer; }

    public String site() { return site; }
}
