package io.ocimirror.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * <strong>Benchmark only.</strong> {@code POST /bench/baseline} reads the whole request body and answers a fixed,
 * small AdmissionReview: what the same server costs for the same request without any admission work. The benchmark
 * in {@code bench/run.sh} compares {@code POST /mutate} with it. The route exists only when
 * {@code oci-mirror.bench.baseline-endpoint=true}; by default (and in every deployment) it is absent.
 */
@ApplicationScoped
public class BaselineEndpoint {

    static final String PATH = "/bench/baseline";

    /** Shaped like an unpatched answer of {@code /mutate}, so both responses cost about the same to send. */
    private static final String FIXED_RESPONSE = "{\"apiVersion\":\"admission.k8s.io/v1\","
            + "\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\"00000000-0000-0000-0000-000000000000\","
            + "\"allowed\":true}}";

    /** Benchmark switches; none of them is meant for a deployment. */
    @ConfigMapping(prefix = "oci-mirror.bench")
    public interface BenchSettings {

        /** Serve {@code POST /bench/baseline}. */
        @WithDefault("false")
        boolean baselineEndpoint();
    }

    private final boolean enabled;

    public BaselineEndpoint(BenchSettings settings) {
        this.enabled = settings.baselineEndpoint();
    }

    void register(@Observes Router router) {
        if (!enabled) {
            return;
        }
        router.post(PATH).handler(context -> {
            context.request().body()
                    .onSuccess(body -> context.response()
                            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                            .end(FIXED_RESPONSE))
                    .onFailure(context::fail);
            // Quarkus pauses requests until a handler takes the body.
            context.request().resume();
        });
    }
}
