package dev.vqclip.engine.weights;

/**
 * A reference to a Python global ({@code module.name}) as a pickle names it. It is only a name: nothing is imported.
 * Python 2 module names that protocol-2 pickles use ({@code __builtin__}, {@code copy_reg}) are normalised to their
 * Python 3 names so that the allow-list has one spelling.
 */
record PickleGlobal(String module, String name) {

    PickleGlobal {
        module = switch (module) {
            case "__builtin__" -> "builtins";
            case "copy_reg" -> "copyreg";
            default -> module;
        };
    }

    String qualifiedName() {
        return module + "." + name;
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
