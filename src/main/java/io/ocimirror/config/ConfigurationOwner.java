package io.ocimirror.config;

/**
 * Who a mirror configuration belongs to: the webhook itself (its file or ConfigMap), or a Greenhouse organisation,
 * whose namespace (named like it) holds its ConfigMap and Secret. Owners are values: equal owners are one owner.
 */
public sealed interface ConfigurationOwner {

    /** The webhook's own configuration. */
    ConfigurationOwner WEBHOOK = new Webhook();

    /** A Greenhouse organisation, by name. */
    static ConfigurationOwner organization(String name) {
        return new Organization(name);
    }

    /** The value of the metrics' {@code organization} label: the organisation's name, empty for the webhook's own. */
    String organizationLabel();

    /** The webhook's own configuration. */
    record Webhook() implements ConfigurationOwner {

        @Override
        public String organizationLabel() {
            return "";
        }

        @Override
        public String toString() {
            return "the webhook";
        }
    }

    /** @param name the organisation's name, also the namespace of its ConfigMap and Secret */
    record Organization(String name) implements ConfigurationOwner {

        @Override
        public String organizationLabel() {
            return name;
        }

        @Override
        public String toString() {
            return "organization " + name;
        }
    }
}
