package io.ocimirror.testing.greenhouse;

import java.util.List;

/** The part of a Greenhouse plugin definition's spec that the webhook reads, plus what the samples carry. */
public class PluginDefinitionSpec {

    private String description;
    private String version;
    private HelmChart helmChart;
    private List<PluginOption> options;

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

    public List<PluginOption> getOptions() {
        return options;
    }

    public void setOptions(List<PluginOption> options) {
        this.options = options;
    }
}
