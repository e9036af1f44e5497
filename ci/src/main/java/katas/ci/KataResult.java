package katas.ci;

import java.util.List;

/** How one implementation of one kata fared: one {@link Layer} per layer that ran. */
record KataResult(String kata, String implementation, List<Layer> layers) {
    /** pass only when every layer passed; otherwise the status of the first layer that did not. */
    String verdict() {
        return layers.stream().filter(l -> !l.passed()).map(Layer::status).findFirst().orElse(Check.PASS);
    }

    Layer layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
    }

    double seconds() {
        return layers.stream().mapToDouble(Layer::seconds).sum();
    }
}
