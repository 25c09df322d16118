package dev.dspy4j.adapter;

import dev.dspy4j.signature.Signature;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How an adapter writes the content of one user or assistant turn. {@link Conversation} lays the
 * turns out (system, demos, history, final request); adapters differ only in these two texts.
 */
interface TurnWriter {

    /**
     * The content of a user turn: {@code prefix}, then each input of {@code signature} present in
     * {@code values}, then the output reminder when {@code mainRequest}; joined by blank lines and
     * stripped. An empty result means the turn is omitted.
     */
    String userContent(Signature signature, Map<String, ?> values, String prefix, boolean mainRequest);

    /**
     * The content of an assistant turn with every output of {@code signature}; an output absent
     * from {@code values} is written as {@code missingFieldMessage} ({@code null}: {@code None}).
     */
    String assistantContent(Signature signature, Map<String, ?> values, @Nullable String missingFieldMessage);
}
