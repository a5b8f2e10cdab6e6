package io.ocimirror.config;

import java.util.Locale;
import java.util.Optional;

/** An image platform such as {@code linux/amd64} or {@code linux/arm/v7}. */
public record Platform(String os, String architecture, Optional<String> variant) {

    /**
     * Whether an index entry's platform fields select this platform, both sides normalised as containerd's
     * {@code platforms.Normalize} does ({@link #normalised}). A variant missing on either side matches any variant:
     * a client that cannot read variants warms every variant of the architecture rather than none.
     *
     * @param otherOs           the entry's {@code os}
     * @param otherArchitecture the entry's {@code architecture}
     * @param otherVariant      the entry's {@code variant}, empty when it has none
     */
    public boolean matches(String otherOs, String otherArchitecture, String otherVariant) {
        Platform self = normalised(os, architecture, variant.orElse(""));
        Platform other = normalised(otherOs, otherArchitecture, otherVariant);
        return self.os.equals(other.os)
                && self.architecture.equals(other.architecture)
                && (self.variant.isEmpty() || other.variant.isEmpty() || self.variant.equals(other.variant));
    }

    /**
     * A platform as containerd's {@code platforms.Normalize} writes it (containerd/platforms, {@code normalizeArch}):
     * lower case; {@code x86_64} is {@code amd64} and its variant {@code v1} none; {@code aarch64} is {@code arm64}
     * and its variant {@code v8} none; {@code arm} without a variant is {@code arm/v7}, {@code armhf} is
     * {@code arm/v7}, {@code armel} is {@code arm/v6}; {@code i386} is {@code 386}; bare variant numbers get a
     * {@code v}.
     *
     * @param os           an operating system as written
     * @param architecture an architecture as written
     * @param variant      a variant as written, empty for none
     * @return the normalised platform, its variant empty when normalisation leaves none
     */
    public static Platform normalised(String os, String architecture, String variant) {
        String arch = architecture.toLowerCase(Locale.ROOT);
        String v = variant.toLowerCase(Locale.ROOT);
        switch (arch) {
            case "i386" -> {
                arch = "386";
                v = "";
            }
            case "x86_64", "x86-64", "amd64" -> {
                arch = "amd64";
                v = v.equals("v1") ? "" : v;
            }
            case "aarch64", "arm64" -> {
                arch = "arm64";
                v = switch (v) {
                    case "8", "v8", "v8.0" -> "";
                    case "9", "9.0", "v9.0" -> "v9";
                    default -> v;
                };
            }
            case "armhf" -> {
                arch = "arm";
                v = "v7";
            }
            case "armel" -> {
                arch = "arm";
                v = "v6";
            }
            case "arm" -> v = switch (v) {
                case "", "7" -> "v7";
                case "5", "6", "8" -> "v" + v;
                default -> v;
            };
            default -> {
            }
        }
        return new Platform(os.toLowerCase(Locale.ROOT), arch, v.isEmpty() ? Optional.empty() : Optional.of(v));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }
}
