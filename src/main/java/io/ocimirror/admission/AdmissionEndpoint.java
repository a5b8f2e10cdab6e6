package io.ocimirror.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * {@code POST /mutate} without the HTTP server: checks the transport-level facts (content type, size), reads the
 * review, admits it and writes the answer. Whatever happens after the review was read, the answer is an
 * AdmissionReview with the request's uid that admits the object: this is the one guard between a bug and a 500.
 */
public final class AdmissionEndpoint {

    private static final Logger LOG = Logger.getLogger(AdmissionEndpoint.class);

    /**
     * The API server sends the object and, on UPDATE, the old object; etcd caps an object at 1.5 MiB, so 3 MiB plus
     * the review envelope is the largest real request. 7 MiB leaves room, as controller-runtime does.
     */
    public static final int MAX_BODY_BYTES = 7 * 1024 * 1024;

    static final String INTERNAL_ERROR_WARNING =
            "oci-mirror-webhook could not process this object and admitted it unchanged";

    /** An HTTP status and a JSON body. */
    public record Reply(int status, byte[] body) {
    }

    private final AdmissionReviewCodec codec;
    private final AdmissionService admission;

    public AdmissionEndpoint(ObjectMapper mapper, AdmissionService admission) {
        this.codec = new AdmissionReviewCodec(mapper, admission.objectParts());
        this.admission = admission;
    }

    public Reply handle(String contentType, byte[] body) {
        if (!isJson(contentType)) {
            return error(415, "Content-Type must be application/json, got " + (contentType == null ? "none" : contentType));
        }
        if (body == null || body.length == 0) {
            return error(400, "body is empty");
        }
        if (body.length > MAX_BODY_BYTES) {
            return error(413, "body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        AdmissionRequest request;
        try {
            request = codec.read(body);
        } catch (InvalidReviewException e) {
            return error(400, e.getMessage());
        }
        try {
            return new Reply(200, codec.write(request.uid(), admission.admit(request)));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Answering admission review %s failed; admitting the object unchanged", request.uid());
            return new Reply(200, codec.write(request.uid(), AdmissionOutcome.allowedWithWarning(INTERNAL_ERROR_WARNING)));
        }
    }

    public static Reply error(int status, String message) {
        return new Reply(status, AdmissionReviewCodec.error(status, message));
    }

    /** {@code application/json} or a {@code +json} type, with or without parameters such as a charset. */
    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}
