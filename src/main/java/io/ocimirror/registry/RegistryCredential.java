package io.ocimirror.registry;

/** A username and password for a mirror. {@link #toString()} never shows the password. */
public record RegistryCredential(String username, String password) {

    @Override
    public String toString() {
        return "RegistryCredential[username=" + username + ", password=***]";
    }
}
