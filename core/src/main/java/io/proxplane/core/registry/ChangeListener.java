package io.proxplane.core.registry;

/** Receives the registry's change feed. Called on the feed's thread; keep it quick. */
public interface ChangeListener {

    void onChange(RegistryChange change);

    /**
     * The feed has (re)started listening and notifications may have been missed before this point:
     * reload the full state. Called after the first LISTEN too, so a consumer that loads its state
     * here can never miss a change between loading and listening.
     */
    void onResync(String reason);
}
