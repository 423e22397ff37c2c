package io.proxplane.core.registry.alloc;

import io.proxplane.core.registry.RegistryException;

/** No value could be allocated: the pool is exhausted or the requested value is taken. */
public class AllocationException extends RegistryException {
    public AllocationException(String message) {
        super(message);
    }
}
