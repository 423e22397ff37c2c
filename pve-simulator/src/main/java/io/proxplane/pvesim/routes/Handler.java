package io.proxplane.pvesim.routes;

@FunctionalInterface
interface Handler {
    Object handle(Call c) throws Exception;
}
