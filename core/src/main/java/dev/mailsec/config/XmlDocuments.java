package dev.mailsec.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The one XML reader for the pack's configuration files (connectors.xml, rights.xml) and for
 * James's own files the pack reads. It fetches nothing a document references: no external entities,
 * no external DTD or schema, no XInclude, entity references not expanded, secure processing on
 * (which also bounds entity expansion). A DOCTYPE declaration is refused, or with {@code
 * allowDoctype} accepted but never loaded (James's own configuration files may carry one). Errors
 * throw; warnings are ignored. Callers wrap the exceptions with the file's name.
 */
public final class XmlDocuments {

    private XmlDocuments() {}

    /** Parses {@code content} as described above. */
    public static Document parse(byte[] content, boolean allowDoctype)
            throws SAXException, IOException {
        return parse(new ByteArrayInputStream(content), allowDoctype);
    }

    /** As {@link #parse(byte[], boolean)}, from a stream (not closed). */
    public static Document parse(InputStream content, boolean allowDoctype)
            throws SAXException, IOException {
        return builder(allowDoctype).parse(content);
    }

    private static DocumentBuilder builder(boolean allowDoctype) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature(
                    "http://apache.org/xml/features/disallow-doctype-decl", !allowDoctype);
            factory.setFeature(
                    "http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(
                    new ErrorHandler() {
                        @Override
                        public void warning(SAXParseException e) {
                            // a warning does not make the file unusable; errors below do
                        }

                        @Override
                        public void error(SAXParseException e) throws SAXException {
                            throw e;
                        }

                        @Override
                        public void fatalError(SAXParseException e) throws SAXException {
                            throw e;
                        }
                    });
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks secure processing", e);
        }
    }
}
