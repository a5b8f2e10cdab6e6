package io.ocimirror.testing.greenhouse;

/** The part of a Greenhouse plugin definition's spec that the webhook reads, plus what the samples carry. */
public class PluginDefinitionSpec {

    private String description;
    private String version;
    private HelmChart helmChart;

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public HelmChart getHelmChart() {
        return helmChart;
    }

    public void setHelmChart(HelmChart helmChart) {
        this.helmChart = helmChart;
    }
}
