package dev.vqclip.engine.weights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An inert stand-in for an instance of a class the pickle names (a TorchScript module, an OmegaConf node, a Lightning
 * callback...). The class is never imported and no constructor or {@code __setstate__} runs: the object only records
 * its class name, the constructor arguments and the state that {@code BUILD} gave it. Equality is identity, as for
 * Python objects without {@code __eq__}, which keeps memo cycles (a child pointing at its parent) harmless.
 */
final class PickleObject {
    private final PickleGlobal type;
    private final List<Object> args;
    private Object state;
    private final Map<Object, Object> dictItems = new LinkedHashMap<>();
    private final List<Object> listItems = new ArrayList<>();

    PickleObject(PickleGlobal type, List<Object> args) {
        this.type = type;
        this.args = args;
    }

    PickleGlobal type() {
        return type;
    }

    List<Object> args() {
        return args;
    }

    /** The value of the last {@code BUILD} on this object (usually a dict of attributes), or null. */
    Object state() {
        return state;
    }

    void build(Object newState) {
        this.state = newState;
    }

    /**
     * Items that {@code SETITEM(S)} added: a dict subclass (Lightning's {@code AttributeDict}, ...) is pickled as
     * {@code NEWOBJ} of its class followed by its items.
     */
    Map<Object, Object> dictItems() {
        return dictItems;
    }

    /** Items that {@code APPEND(S)} added, for list subclasses. */
    List<Object> listItems() {
        return listItems;
    }

    @Override
    public String toString() {
        // never print args or state: they may be cyclic or huge
        return "<inert " + type.qualifiedName() + ">";
    }
}
