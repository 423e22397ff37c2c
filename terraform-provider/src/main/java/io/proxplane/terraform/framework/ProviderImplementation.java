package io.proxplane.terraform.framework;

import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.schema.Schema;
import io.proxplane.terraform.value.TfValue;
import java.util.List;

/** What a provider supplies; {@link ProviderCore} serves it over both protocol versions. */
public interface ProviderImplementation {

    Schema providerSchema();

    List<DataSource> dataSources();

    List<Resource> resources();

    /** Plan-time checks of the provider block; {@code config} may contain unknowns. */
    void validateConfig(TfValue.Obj config, Diagnostics diagnostics);

    /** Called once per process before anything talks to Proxmox. */
    void configure(TfValue.Obj config, String terraformVersion, Diagnostics diagnostics);

    /**
     * StopProvider (Ctrl-C). {@link ProviderCore} has already cancelled the RPCs in progress (their
     * waits on Proxmox end with an error); stop here anything else the implementation runs.
     */
    default void stop() {
    }
}
