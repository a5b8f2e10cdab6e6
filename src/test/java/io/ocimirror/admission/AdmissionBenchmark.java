package io.ocimirror.admission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The admission code without the server: read a review, rewrite, build and write the patch, on the example
 * configuration (replication requests are dropped). Beside it, what Jackson alone needs for the same body: every
 * token of it ({@code tokens}, the floor of any reader that checks the whole body is JSON) and a tree of all of it
 * ({@code tree}). Run with {@code bench/jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdmissionBenchmark {

    @Param({"review-deployment-pod.json", "review-large-pod.json"})
    public String review;

    private final ObjectMapper mapper = new ObjectMapper();
    private AdmissionWebhook webhook;
    private byte[] body;

    @Setup
    public void setUp() throws IOException {
        webhook = ExampleWebhook.create(mapper);
        body = Files.readAllBytes(Path.of("bench", review));
    }

    @Benchmark
    public AdmissionWebhook.Reply admission() {
        return webhook.review(body);
    }

    @Benchmark
    public void tokens(Blackhole sink) throws IOException {
        try (JsonParser parser = mapper.createParser(body)) {
            while (parser.nextToken() != null) {
                sink.consume(parser.currentTokenId());
            }
        }
    }

    @Benchmark
    public Object tree() throws IOException {
        return mapper.readTree(body);
    }
}
