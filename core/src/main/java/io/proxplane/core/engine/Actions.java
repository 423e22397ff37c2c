package io.proxplane.core.engine;

import java.util.ArrayList;
import java.util.List;

/** The actions of one converge, in order. */
final class Actions {
    private final List<Action> list = new ArrayList<>();

    void add(String verb, String target, String detail) {
        list.add(new Action(verb, target, detail));
    }

    List<Action> list() {
        return List.copyOf(list);
    }
}
