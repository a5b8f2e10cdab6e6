package io.ocimirror.testing.greenhouse;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One of {@code spec.options} of a Greenhouse plugin definition: a value its Plugins set, by Helm value path. */
public class PluginOption {

    private String name;
    private String description;
    private boolean required;
    @JsonProperty("default")
    private Object defaultValue;
    private String type;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public boolean isRequired() {
        return required;
    }

    public void setRequired(boolean required) {
        this.required = required;
    }

    public Object getDefaultValue() {
        return defaultValue;
    }

    public void setDefaultValue(Object defaultValue) {
        this.defaultValue = defaultValue;
    }

    /** One of {@code string}, {@code bool}, {@code int}, {@code list}, {@code map}, {@code secret}. */
    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }
}
