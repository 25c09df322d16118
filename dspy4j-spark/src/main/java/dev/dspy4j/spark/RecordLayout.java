package dev.dspy4j.spark;

/** How {@link SparkPredict} lays out an output field whose type is a record (a structured type). */
public enum RecordLayout {
    /** One struct column named after the field, with a sub-field per record component. */
    STRUCT,
    /** One column per record component, named {@code <field>_<component>}; nested records stay structs. */
    FLATTENED
}
