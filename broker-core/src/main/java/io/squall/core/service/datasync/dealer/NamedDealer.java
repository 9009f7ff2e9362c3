package io.squall.core.service.datasync.dealer;

/** The name and model every dealer carries; subclasses decide only how items are held and matched. */
abstract class NamedDealer implements Dealer {
    private final String name;
    private final String model;

    NamedDealer(String name, String model) {
        this.name = name;
        this.model = model;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String model() {
        return model;
    }
}
