package dev.dspy4j.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The expected messages and positions below were produced by Python 3's
 * {@code xml.etree.ElementTree.fromstring("<dspy_root>" + text + "</dspy_root>")} (expat 2.5).
 */
class XmlReaderTest {

    private static XmlElement wrapped(String text) {
        return XmlReader.parse("<dspy_root>" + text + "</dspy_root>");
    }

    private static String errorOf(String text) {
        try {
            wrapped(text);
        } catch (XmlReader.XmlParseException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a parse error for " + text);
    }

    @Test
    void reportsAMismatchedEndTagAtItsNameCountingTheWrapper() {
        assertThat(errorOf("<answer>Paris</answer>\n<confidence>0.9</confidance>"))
                .isEqualTo("mismatched tag: line 2, column 17");
        assertThat(errorOf("<a><b></a>")).isEqualTo("mismatched tag: line 1, column 19");
        assertThat(errorOf("<a>unclosed")).isEqualTo("mismatched tag: line 1, column 24");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<a>x & y</a>           | not well-formed (invalid token): line 1, column 17",
            "<a>1 < 2</a>           | not well-formed (invalid token): line 1, column 17",
            "<a x=\"1</a>           | not well-formed (invalid token): line 1, column 18",
            "<a b=1>x</a>           | not well-formed (invalid token): line 1, column 16",
            "<a b>                  | not well-formed (invalid token): line 1, column 15",
            "<1a>x</1a>             | not well-formed (invalid token): line 1, column 12",
            "<a>x</a>]]>            | not well-formed (invalid token): line 1, column 21",
            "<a>&amp</a>            | not well-formed (invalid token): line 1, column 18",
            "<!doctype html>        | not well-formed (invalid token): line 1, column 13",
            "<!-- a -- b -->        | not well-formed (invalid token): line 1, column 20",
            "<a>x &foo; y</a>       | undefined entity: line 1, column 16",
            "<a b=\"&foo;\"/>       | undefined entity: line 1, column 11",
            "<a>&#0;</a>            | reference to invalid character number: line 1, column 14",
            "<a b=\"1\" b=\"2\"/>   | duplicate attribute: line 1, column 20",
            "<!-- c                 | unclosed token: line 1, column 11",
            "<![CDATA[x             | unclosed CDATA section: line 1, column 33",
            "<a:b>x</a:b>           | unbound prefix: line 1, column 11",
            "<?xml version=\"1.0\"?> | XML or text declaration not at start of entity: line 1, column 11",
            "</dspy_root><b/>       | junk after document element: line 1, column 23",
            "</dspy_root>x          | not well-formed (invalid token): line 1, column 24",
    })
    void reportsExpatsMessageAndPosition(String text, String message) {
        assertThat(errorOf(text)).isEqualTo(message);
    }

    @Test
    void countsLinesAtEveryLineEndAndColumnsInCharacters() {
        assertThat(errorOf("a\r\nb\n<")).isEqualTo("not well-formed (invalid token): line 3, column 1");
        assertThat(errorOf("a\rb<")).isEqualTo("not well-formed (invalid token): line 2, column 2");
        assertThat(errorOf("\uD83D\uDE00<")).isEqualTo("not well-formed (invalid token): line 1, column 13");
    }

    @Test
    void rejectsControlCharacters() {
        assertThat(errorOf("<a>\u0001</a>")).isEqualTo("not well-formed (invalid token): line 1, column 14");
    }

    @Test
    void readsTextTailsAndChildrenLikeElementTree() {
        XmlElement root = wrapped("lead<a k=\"v\">x<b>y</b>z<c/>w</a>\nend");

        assertThat(root.text()).isEqualTo("lead");
        XmlElement a = root.children().get(0);
        assertThat(a.tag()).isEqualTo("a");
        assertThat(a.attributes()).containsExactly(java.util.Map.entry("k", "v"));
        assertThat(a.text()).isEqualTo("x");
        assertThat(a.tail()).isEqualTo("\nend");
        assertThat(a.children()).extracting(XmlElement::tag).containsExactly("b", "c");
        assertThat(a.children().get(0).tail()).isEqualTo("z");
        assertThat(a.children().get(1).text()).isNull();
        assertThat(a.children().get(1).tail()).isEqualTo("w");
    }

    @Test
    void resolvesReferencesCdataAndLineEnds() {
        XmlElement a = wrapped("<a>&lt;&amp;&gt;&quot;&apos;&#x41;&#65;<![CDATA[<&>]]>\r\n</a>").children().get(0);

        assertThat(a.text()).isEqualTo("<&>\"'AA<&>\n");
    }

    @Test
    void dropsCommentsAndProcessingInstructionsButJoinsTheTextAroundThem() {
        assertThat(wrapped("<a>x<!--c-->y<?p q?>z</a>").children().get(0).text()).isEqualTo("xyz");
    }

    @Test
    void normalizesWhiteSpaceInAttributeValuesButNotCharacterReferences() {
        XmlElement a = wrapped("<a b=\"1\r\n2\t3\" c='x&#10;y'/>").children().get(0);

        assertThat(a.attributes()).containsEntry("b", "1 2 3").containsEntry("c", "x\ny");
    }

    @Test
    void namesNamespacedElementsWithTheirUri() {
        XmlElement root = wrapped("<a xmlns=\"u\">x</a><p:b xmlns:p=\"v\" p:k=\"1\"/><c xml:lang=\"en\"/>");

        assertThat(root.children()).extracting(XmlElement::tag).containsExactly("{u}a", "{v}b", "c");
        assertThat(root.children().get(1).attributes()).containsOnlyKeys("{v}k");
        assertThat(root.children().get(2).attributes())
                .containsOnlyKeys("{http://www.w3.org/XML/1998/namespace}lang");
    }

    @Test
    void serializesAnElementWithItsTailAsElementTreeDoes() {
        XmlElement root = wrapped("<a>Use <b k='1\"'>bold &amp; &lt;</b> text<br/>!</a>");

        assertThat(root.children().get(0).children().get(0).toXmlString())
                .isEqualTo("<b k=\"1&quot;\">bold &amp; &lt;</b> text");
        assertThat(root.children().get(0).children().get(1).toXmlString()).isEqualTo("<br />!");
    }

    @Test
    void giveNamespacedElementsGeneratedPrefixesWhenSerialized() {
        XmlElement root = wrapped("<p:b xmlns:p=\"v\">x</p:b>");

        assertThat(root.children().get(0).toXmlString()).isEqualTo("<ns0:b xmlns:ns0=\"v\">x</ns0:b>");
    }

    @Test
    void acceptsAnEmptyDocumentBody() {
        XmlElement root = wrapped("");

        assertThat(root.tag()).isEqualTo("dspy_root");
        assertThat(root.text()).isNull();
        assertThat(root.children()).isEmpty();
    }

    @Test
    void reportsAMissingRootCloseAsNoElementFound() {
        assertThatThrownBy(() -> XmlReader.parse("<a><b>"))
                .hasMessage("no element found: line 1, column 6");
    }
}
