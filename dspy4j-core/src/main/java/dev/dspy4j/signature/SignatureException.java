package dev.dspy4j.signature;

import dev.dspy4j.DspyException;

/** A signature could not be built: a bad shorthand string, a bad type, or a bad edit. */
public class SignatureException extends DspyException {

    /** Creates the exception with a message naming the problem and its position. */
    public SignatureException(String message) {
        super(message);
    }
}
