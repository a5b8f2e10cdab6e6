package io.ocimirror.config;

/** A mirror configuration that cannot be used; the message names the key and the problem. */
public final class ConfigurationException extends Exception {

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
