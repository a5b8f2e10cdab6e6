package io.ocimirror.admission;

/** A request body that is not a usable AdmissionReview; the message says what is wrong and goes to the caller. */
public final class InvalidReviewException extends Exception {

    public InvalidReviewException(String message) {
        super(message);
    }
}
