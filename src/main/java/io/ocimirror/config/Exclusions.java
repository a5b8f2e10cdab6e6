package io.ocimirror.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the webhook leaves alone whatever the mirrors say.
 *
 * @param imagePatterns   globs over the normalised image name ({@code docker.io/library/nginx}); {@code *} stays
 *                        within one path component, {@code **} crosses them; the host (before the first {@code /})
 *                        is compared in lower case, as DNS compares it
 * @param namespaces      namespaces whose objects are never rewritten
 * @param ownerApiGroups  API groups of owners (for example {@code postgresql.cnpg.io}) whose pods are never
 *                        rewritten: operators that compare their pods' images with their own spec and recreate
 *                        pods that differ would otherwise loop
 */
public record Exclusions(List<ImagePattern> imagePatterns, Set<String> namespaces, Set<String> ownerApiGroups) {

    public static final Exclusions NONE = new Exclusions(List.of(), Set.of(), Set.of());

    public boolean excludesImage(String normalisedName) {
        return imagePatterns.stream().anyMatch(pattern -> pattern.matches(normalisedName));
    }

    /** A glob compiled once. */
    public record ImagePattern(String glob, Pattern regex) {

        /**
         * @param glob a glob over a normalised image name, its host in any case
         * @return the glob as written, matching names whose host is in lower case (as {@code ImageReference} keeps it)
         */
        public static ImagePattern compile(String glob) {
            int slash = glob.indexOf('/');
            String comparable = slash < 0 ? glob : glob.substring(0, slash).toLowerCase(Locale.ROOT) + glob.substring(slash);
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < comparable.length(); i++) {
                char c = comparable.charAt(i);
                if (c == '*' && i + 1 < comparable.length() && comparable.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else if (c == '?') {
                    regex.append("[^/]");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return new ImagePattern(glob, Pattern.compile(regex.toString()));
        }

        public boolean matches(String normalisedName) {
            return regex.matcher(normalisedName).matches();
        }
    }
}
