package dev.mailsec.dmarc.report;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.SAXException;

/**
 * RFC 7489 appendix C's schema (test resource {@code rfc7489-rua.xsd}, see its {@code .md}),
 * compiled once, for tests here and in integration-tests.
 */
public final class RuaSchema {

    private static final Schema SCHEMA = load();

    private RuaSchema() {}

    private static Schema load() {
        try (InputStream in = RuaSchema.class.getResourceAsStream("rfc7489-rua.xsd")) {
            String xsd = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String repaired =
                    xsd.replace(" targetNamespace=\"http://dmarc.org/dmarc-xml/0.1\"", "");
            if (repaired.equals(xsd)) {
                throw new IllegalStateException("the schema resource changed");
            }
            SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            return f.newSchema(new StreamSource(new StringReader(repaired)));
        } catch (IOException | SAXException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Throws {@code SAXException} naming the first violation. */
    public static void validate(byte[] xml) throws SAXException, IOException {
        Validator v = SCHEMA.newValidator();
        v.validate(new StreamSource(new ByteArrayInputStream(xml)));
    }
}
