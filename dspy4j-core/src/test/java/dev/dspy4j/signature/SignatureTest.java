package dev.dspy4j.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignatureTest {

    @Test
    void parsesShorthandWithTypesIntoOrderedFields() {
        Signature sig = Signature.parse("question, context: list[str] -> answer: int");

        assertThat(sig.inputs()).extracting(Field::name).containsExactly("question", "context");
        assertThat(sig.outputs()).extracting(Field::name).containsExactly("answer");
        assertThat(sig.field("question").type()).isEqualTo(FieldType.STR);
        assertThat(sig.field("question").typeDeclared()).isFalse();
        assertThat(sig.field("context").type()).isEqualTo(new FieldType.ListType(FieldType.STR));
        assertThat(sig.field("answer").type()).isEqualTo(FieldType.INT);
        assertThat(sig.shorthand()).isEqualTo("question, context -> answer");
    }

    @Test
    void defaultInstructionsMatchDspy() {
        Signature sig = Signature.parse("a, b -> c");

        assertThat(sig.instructions()).isEqualTo("Given the fields `a`, `b`, produce the fields `c`.");
    }

    @Test
    void parsesDspyTypeVocabulary() {
        TypeRegistry types = TypeRegistry.EMPTY;

        assertThat(types.parseType("dict[str, list[int]]").pythonName()).isEqualTo("dict[str, list[int]]");
        assertThat(types.parseType("Literal['a', 'b']").pythonName()).isEqualTo("Literal['a', 'b']");
        assertThat(types.parseType("Optional[str]").pythonName()).isEqualTo("Union[str, NoneType]");
        assertThat(types.parseType("int | None").pythonName()).isEqualTo("UnionType[int, NoneType]");
        assertThat(types.parseType("list[str] | None").pythonName()).isEqualTo("UnionType[list[str], NoneType]");
        assertThat(types.parseType("dspy.History").pythonName()).isEqualTo("History");
        assertThat(types.parseType("dspy.Reasoning").pythonName()).isEqualTo("str");
        assertThat(types.parseType("Literal[1, 2]")).isEqualTo(new FieldType.LiteralType(List.of(1L, 2L)));
    }

    enum Category { BILLING, TECHNICAL }

    record Address(String city, int zip) {}

    @Test
    void resolvesRegisteredEnumAndRecordTypes() {
        Signature sig = Signature.parse("ticket -> category: Category, where: Address",
                TypeRegistry.of(Category.class, Address.class));

        FieldType.EnumType category = (FieldType.EnumType) sig.field("category").type();
        assertThat(category.name()).isEqualTo("Category");
        assertThat(category.members()).containsExactly(Map.entry("BILLING", "BILLING"), Map.entry("TECHNICAL", "TECHNICAL"));
        FieldType.RecordType address = (FieldType.RecordType) sig.field("where").type();
        assertThat(address.fields()).containsExactly(Map.entry("city", FieldType.STR), Map.entry("zip", FieldType.INT));
    }

    @Test
    void rejectsStringWithoutArrowNamingTheFix() {
        assertThatThrownBy(() -> Signature.parse("question answer"))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("has no '->'")
                .hasMessageContaining("question -> answer");
    }

    @Test
    void rejectsDuplicateNamesAcrossSides() {
        assertThatThrownBy(() -> Signature.parse("question -> question"))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("uses the name 'question' twice");
    }

    @Test
    void rejectsUnknownTypeNamingThePosition() {
        assertThatThrownBy(() -> Signature.parse("question -> answer: Sentiment"))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("at position 20")
                .hasMessageContaining("unknown type 'Sentiment'")
                .hasMessageContaining("TypeRegistry");
    }

    @Test
    void rejectsMalformedFieldLists() {
        assertThatThrownBy(() -> Signature.parse("a,, b -> c")).hasMessageContaining("expected a field name");
        assertThatThrownBy(() -> Signature.parse("a -> ")).hasMessageContaining("no output field");
        assertThatThrownBy(() -> Signature.parse("a -> b -> c")).hasMessageContaining("second '->'");
        assertThatThrownBy(() -> Signature.parse("a -> b: list[int")).hasMessageContaining("expected ']'");
        assertThatThrownBy(() -> Signature.parse("a -> b: str[int]")).hasMessageContaining("takes no type arguments");
    }

    @Test
    void editsReturnNewSignaturesAndKeepInstructions() {
        Signature base = Signature.parse("question -> answer");
        Signature edited = base.withInstructions("Answer briefly.")
                .prepend(Field.input("context", FieldType.STR))
                .append(Field.output("confidence", FieldType.FLOAT))
                .insert(0, Field.output("reasoning", FieldType.STR));

        assertThat(base.fields()).extracting(Field::name).containsExactly("question", "answer");
        assertThat(edited.fields()).extracting(Field::name)
                .containsExactly("context", "question", "reasoning", "answer", "confidence");
        assertThat(edited.instructions()).isEqualTo("Answer briefly.");
        assertThat(edited.delete("context").inputs()).extracting(Field::name).containsExactly("question");
        assertThat(base.appendInstructions("Be terse.").instructions())
                .isEqualTo("Given the fields `question`, produce the fields `answer`.\n\nBe terse.");
        assertThat(base.insert(-1, Field.output("b", FieldType.STR)).outputs()).extracting(Field::name)
                .containsExactly("answer", "b");
    }

    @Test
    void equalityComparesInstructionsAndFieldsNotNames() {
        Signature a = Signature.parse("question -> answer");
        Signature b = Signature.parse("question -> answer").withName("Other");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(a.withInstructions("x"));
        assertThat(a).isNotEqualTo(a.withField("answer", f -> f.withDescription("the answer")));
    }

    @Test
    void placeholderDescriptionMeansNone() {
        Field field = Field.output("answer", FieldType.STR).withDescription("${answer}");

        assertThat(field.description()).isNull();
        assertThat(field.savedDescription()).isEqualTo("${answer}");
    }

    @Instructions("""
            Classify the support ticket.
              Be precise.
            """)
    record Ticket(@Desc("the customer's message") String ticketText, @Name("lang") String language) {}

    record Triage(@Desc("the queue to route to") Category category, double urgency, List<String> tags,
                  Optional<String> note) {}

    @Test
    void buildsTypedSignatureFromRecords() {
        Signature sig = Signature.fromRecords(Ticket.class, Triage.class);

        assertThat(sig.name()).isEqualTo("Triage");
        assertThat(sig.instructions()).isEqualTo("Classify the support ticket.\n  Be precise.");
        assertThat(sig.inputs()).extracting(Field::name).containsExactly("ticket_text", "lang");
        assertThat(sig.field("ticket_text").description()).isEqualTo("the customer's message");
        assertThat(sig.outputs()).extracting(Field::name).containsExactly("category", "urgency", "tags", "note");
        assertThat(sig.field("category").type().pythonName()).isEqualTo("Category");
        assertThat(sig.field("urgency").type()).isEqualTo(FieldType.FLOAT);
        assertThat(sig.field("tags").type().pythonName()).isEqualTo("list[str]");
        assertThat(sig.field("note").type().pythonName()).isEqualTo("UnionType[str, NoneType]");
        assertThat(sig.field("note").hasDefault()).isTrue();
    }

    record Bad(Thread thread) {}

    @Test
    void rejectsRecordComponentWithoutDspyCounterpart() {
        assertThatThrownBy(() -> Signature.fromRecords(Ticket.class, Bad.class))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("Bad.thread");
    }

    @Test
    void mapsJavaNamesToSnakeCase() {
        assertThat(Names.toSnakeCase("ticketText")).isEqualTo("ticket_text");
        assertThat(Names.toSnakeCase("parseHTTPResponse")).isEqualTo("parse_http_response");
        assertThat(Names.toSnakeCase("generateQuery")).isEqualTo("generate_query");
        assertThat(Names.toSnakeCase("already_snake")).isEqualTo("already_snake");
        assertThat(Names.toSnakeCase("answer2Text")).isEqualTo("answer2_text");
    }

    @Test
    void infersPrefixesAsDspy() {
        assertThat(Names.inferPrefix("question")).isEqualTo("Question");
        assertThat(Names.inferPrefix("isHTTPSSecure123")).isEqualTo("Is HTTPS Secure 123");
        assertThat(Names.inferPrefix("generated_code")).isEqualTo("Generated Code");
        assertThat(Names.inferPrefix("camelCaseText")).isEqualTo("Camel Case Text");
    }
}
