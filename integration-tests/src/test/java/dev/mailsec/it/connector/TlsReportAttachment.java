package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.MimeMessage;

/**
 * The report a TLS-report mail carries, checked as RFC 8460 section 5 and its JSON schema (test
 * resource {@code tlsrpt-report.schema.json}) say; shared by the TLS report tests, which must not
 * reach into each other's classes (their static worlds bind the same fixed ports).
 */
final class TlsReportAttachment {

    private TlsReportAttachment() {}

    /** The attachment's JSON, after checking its name, type and RFC 8460's schema. */
    static JsonNode read(MimeMessage m, String domain) throws Exception {
        Part attachment = ((Multipart) m.getContent()).getBodyPart(1);
        assertThat(attachment.getContentType()).startsWith("application/tlsrpt+gzip");
        assertThat(attachment.getFileName())
                .matches(
                        "mailsec\\.test!"
                                + domain.replace(".", "\\.")
                                + "![0-9]+![0-9]+\\.json\\.gz");
        byte[] json;
        try (GZIPInputStream in =
                new GZIPInputStream(
                        new ByteArrayInputStream(attachment.getInputStream().readAllBytes()))) {
            json = in.readAllBytes();
        }
        String text = new String(json, StandardCharsets.UTF_8);
        List<Error> errors = schema().validate(text, InputFormat.JSON);
        assertThat(errors).as("RFC 8460 schema errors in %s", text).isEmpty();
        return new ObjectMapper().readTree(text);
    }

    private static Schema schema() throws Exception {
        try (InputStream in =
                TlsReportAttachment.class.getResourceAsStream("tlsrpt-report.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                    .getSchema(in, InputFormat.JSON);
        }
    }
}
