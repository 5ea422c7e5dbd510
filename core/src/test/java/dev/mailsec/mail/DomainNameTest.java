package dev.mailsec.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mailsec.mail.DomainName.Option;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DomainNameTest {

    private static final String LABEL_63 = "a".repeat(63);

    @Test
    void plainNamesAreLowerCased() {
        assertEquals(Optional.of("mail.example.com"), DomainName.normalize("Mail.Example.COM"));
        assertEquals(Optional.of("localhost"), DomainName.normalize("localhost"));
        assertEquals(Optional.of("x-1.example"), DomainName.normalize("x-1.example"));
    }

    @Test
    void labelsFollowRfc1123() {
        assertTrue(DomainName.isValid(LABEL_63 + ".example"));
        assertFalse(DomainName.isValid(LABEL_63 + "a.example"));
        assertFalse(DomainName.isValid("-a.example"));
        assertFalse(DomainName.isValid("a-.example"));
        assertFalse(DomainName.isValid("a..example"));
        assertFalse(DomainName.isValid(".example"));
        assertFalse(DomainName.isValid("a_b.example"));
        assertFalse(DomainName.isValid("a b.example"));
        assertFalse(DomainName.isValid(""));
        assertFalse(DomainName.isValid(null));
    }

    @Test
    void atMost253Characters() {
        String name253 = LABEL_63 + "." + LABEL_63 + "." + LABEL_63 + "." + "a".repeat(61);
        assertEquals(253, name253.length());
        assertTrue(DomainName.isValid(name253));
        assertFalse(DomainName.isValid(name253 + "a"));
        assertFalse(DomainName.normalize(name253 + "a", Option.MULTI_LABEL).isPresent());
    }

    @Test
    void optionsWidenOnlyWhatTheyName() {
        assertFalse(DomainName.isValid(" example.com"));
        assertEquals(
                Optional.of("example.com"), DomainName.normalize(" example.com ", Option.TRIM));
        assertFalse(DomainName.isValid("example.com."));
        assertEquals(
                Optional.of("example.com"),
                DomainName.normalize("example.com.", Option.TRAILING_DOT));
        assertFalse(DomainName.normalize("example.com..", Option.TRAILING_DOT).isPresent());
        assertFalse(DomainName.normalize("localhost", Option.MULTI_LABEL).isPresent());
        assertEquals(Optional.of("a.b"), DomainName.normalize("a.b", Option.MULTI_LABEL));
    }

    @Test
    void internationalNamesOnlyWithIdn() {
        assertFalse(DomainName.isValid("bücher.example"));
        assertEquals(
                Optional.of("xn--bcher-kva.example"),
                DomainName.normalize("Bücher.example", Option.IDN));
        assertEquals(
                Optional.of("xn--bcher-kva.example"),
                DomainName.normalize("xn--bcher-kva.example"));
        assertFalse(DomainName.normalize("bü_cher.example", Option.IDN).isPresent());
        // the Kelvin sign lower-cases to an ASCII 'k': not a name unless IDNA maps it
        assertFalse(DomainName.isValid("\u212Aey.example"));
        assertEquals(
                Optional.of("key.example"), DomainName.normalize("\u212Aey.example", Option.IDN));
    }

    @Test
    void subdomains() {
        assertTrue(DomainName.isSameOrSubdomain("example.com", "example.com"));
        assertTrue(DomainName.isSameOrSubdomain("mail.example.com", "example.com"));
        assertFalse(DomainName.isSameOrSubdomain("badexample.com", "example.com"));
    }
}
