package dev.mailsec.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.SAXParseException;

class XmlDocumentsTest {
    @TempDir Path dir;

    private static byte[] bytes(String xml) {
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aDoctypeIsRefusedUnlessAllowed() {
        assertThatThrownBy(() -> XmlDocuments.parse(bytes("<!DOCTYPE c><c/>"), false))
                .isInstanceOf(SAXParseException.class)
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void anAllowedDoctypeIsNeitherLoadedNorAreItsExternalEntitiesRead() throws Exception {
        Path secret = Files.write(dir.resolve("secret.txt"), bytes("TOP-SECRET"));
        Path dtd = Files.write(dir.resolve("james.dtd"), bytes("<!ENTITY fromDtd \"LOADED\">"));
        String xml =
                "<?xml version=\"1.0\"?><!DOCTYPE c SYSTEM \""
                        + dtd.toUri()
                        + "\" [<!ENTITY x SYSTEM \""
                        + secret.toUri()
                        + "\">]><c><a>&x;</a><b>ok</b></c>";
        Document d = XmlDocuments.parse(bytes(xml), true);
        assertThat(d.getDocumentElement().getTextContent())
                .doesNotContain("TOP-SECRET")
                .contains("ok");
    }

    @Test
    void entityExpansionIsBounded() throws Exception {
        StringBuilder dtd = new StringBuilder("<!ENTITY a0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY a")
                    .append(i)
                    .append(" \"")
                    .append(("&a" + (i - 1) + ";").repeat(10))
                    .append("\">");
        }
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE c [" + dtd + "]><c>&a9;</c>";
        try {
            Document d = XmlDocuments.parse(bytes(xml), true);
            assertThat(d.getDocumentElement().getTextContent().length())
                    .isLessThan(1_000_000); // not 3 * 10^9
        } catch (SAXParseException refused) {
            assertThat(refused).hasMessageContaining("entity"); // the JDK's expansion limit
        }
    }
}
