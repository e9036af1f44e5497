package katas.ci;

import java.util.List;

/** How one implementation of one kata fared: one {@link LayerResult} per layer that ran. */
record KataResult(String kata, String implementation, List<LayerResult> layers) {
    /** pass only when every layer passed; otherwise the status of the first layer that did not. */
    Status verdict() {
        return layers.stream().filter(l -> !l.passed()).map(LayerResult::status).findFirst().orElse(Status.PASS);
    }

    LayerResult layer(Layer layer) {
        return layers.stream().filter(l -> l.layer() == layer).findFirst().orElse(null);
    }

    double seconds() {
        return layers.stream().mapToDouble(LayerResult::seconds).sum();
    }
}
