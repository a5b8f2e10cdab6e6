package io.ocimirror.testing.greenhouse;

/** {@code spec.helmChart} of a Greenhouse plugin definition. */
public class HelmChart {

    private String name;
    private String repository;
    private String version;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getRepository() {
        return repository;
    }

    public void setRepository(String repository) {
        this.repository = repository;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }
}
