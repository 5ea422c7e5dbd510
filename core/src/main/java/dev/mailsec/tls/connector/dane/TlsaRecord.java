package dev.mailsec.tls.connector.dane;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * One TLSA record (RFC 6698 section 2.1): certificate usage, selector, matching type and the
 * certificate association data. Only what RFC 7672 lets SMTP use is {@linkplain #usable() usable}:
 * usages DANE-TA(2) and DANE-EE(3), selectors Cert(0) and SPKI(1), matching types Full(0),
 * SHA2-256(1) and SHA2-512(2) with data of the digest's length. PKIX-TA(0) and PKIX-EE(1) are
 * unusable for SMTP (RFC 7672 section 3.1.3), as are unknown values (RFC 6698 section 4.1).
 * Immutable.
 */
public final class TlsaRecord {

    /** Largest association data accepted (a full certificate of a sane size). */
    static final int MAX_DATA = 16 * 1024;

    public static final int PKIX_TA = 0;
    public static final int PKIX_EE = 1;
    public static final int DANE_TA = 2;
    public static final int DANE_EE = 3;
    public static final int SELECTOR_CERT = 0;
    public static final int SELECTOR_SPKI = 1;
    public static final int MATCH_FULL = 0;
    public static final int MATCH_SHA256 = 1;
    public static final int MATCH_SHA512 = 2;

    private final int usage;
    private final int selector;
    private final int matchingType;
    private final byte[] data;

    public TlsaRecord(int usage, int selector, int matchingType, byte[] data) {
        if (usage < 0 || usage > 255 || selector < 0 || selector > 255) {
            throw new IllegalArgumentException("TLSA fields are octets");
        }
        if (matchingType < 0 || matchingType > 255) {
            throw new IllegalArgumentException("TLSA fields are octets");
        }
        this.usage = usage;
        this.selector = selector;
        this.matchingType = matchingType;
        this.data = data.clone();
    }

    /**
     * Reads a record's RDATA as it travels on the wire: three octets, then the association data.
     *
     * @throws MalformedTlsaException when shorter than four octets or larger than 16 KiB of data
     */
    public static TlsaRecord fromRdata(byte[] rdata) throws MalformedTlsaException {
        if (rdata.length < 4) {
            throw new MalformedTlsaException("TLSA RDATA of " + rdata.length + " octets");
        }
        if (rdata.length - 3 > MAX_DATA) {
            throw new MalformedTlsaException("TLSA data over " + MAX_DATA + " octets");
        }
        return new TlsaRecord(
                rdata[0] & 0xff,
                rdata[1] & 0xff,
                rdata[2] & 0xff,
                Arrays.copyOfRange(rdata, 3, rdata.length));
    }

    /**
     * Reads the presentation form {@code 3 1 1 0123abcd...} (RFC 6698 section 2.2: three decimal
     * octets, then hexadecimal that may be split by white space).
     *
     * @throws MalformedTlsaException naming what is wrong
     */
    public static TlsaRecord parse(String text) throws MalformedTlsaException {
        String[] parts = text.trim().split("\\s+");
        if (parts.length < 4) {
            throw new MalformedTlsaException("expected 'usage selector matching-type data'");
        }
        int[] fields = new int[3];
        for (int i = 0; i < 3; i++) {
            if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
                throw new MalformedTlsaException("not an octet: '" + shorten(parts[i]) + "'");
            }
            fields[i] = Integer.parseInt(parts[i]);
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 3; i < parts.length; i++) {
            hex.append(parts[i]);
            if (hex.length() > 2 * MAX_DATA) {
                throw new MalformedTlsaException("TLSA data over " + MAX_DATA + " octets");
            }
        }
        if (hex.length() % 2 != 0 || !hex.toString().matches("[0-9A-Fa-f]+")) {
            throw new MalformedTlsaException("association data is not hexadecimal");
        }
        byte[] data = new byte[hex.length() / 2];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return new TlsaRecord(fields[0], fields[1], fields[2], data);
    }

    /**
     * The record for {@code certificate} with the given fields, as an operator would publish it.
     */
    public static TlsaRecord of(
            int usage, int selector, int matchingType, X509Certificate certificate) {
        byte[] data =
                digest(matchingType, selected(selector, certificate))
                        .orElseThrow(() -> new IllegalArgumentException("unknown TLSA fields"));
        return new TlsaRecord(usage, selector, matchingType, data);
    }

    public int usage() {
        return usage;
    }

    public int selector() {
        return selector;
    }

    public int matchingType() {
        return matchingType;
    }

    /** True when RFC 7672 lets SMTP clients use the record (see the class comment). */
    public boolean usable() {
        if (usage != DANE_TA && usage != DANE_EE) {
            return false;
        }
        if (selector != SELECTOR_CERT && selector != SELECTOR_SPKI) {
            return false;
        }
        switch (matchingType) {
            case MATCH_FULL:
                return data.length > 0;
            case MATCH_SHA256:
                return data.length == 32;
            case MATCH_SHA512:
                return data.length == 64;
            default:
                return false;
        }
    }

    /** True when the record is usable and designates {@code certificate} (or its public key). */
    public boolean matches(X509Certificate certificate) {
        if (!usable()) {
            return false;
        }
        byte[] selected = selected(selector, certificate);
        if (selected.length == 0) {
            return false;
        }
        return digest(matchingType, selected)
                .map(d -> MessageDigest.isEqual(d, data))
                .orElse(false);
    }

    private static byte[] selected(int selector, X509Certificate certificate) {
        if (selector == SELECTOR_SPKI) {
            return certificate.getPublicKey().getEncoded();
        }
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            return new byte[0];
        }
    }

    private static Optional<byte[]> digest(int matchingType, byte[] selected) {
        try {
            switch (matchingType) {
                case MATCH_FULL:
                    return Optional.of(selected);
                case MATCH_SHA256:
                    return Optional.of(MessageDigest.getInstance("SHA-256").digest(selected));
                case MATCH_SHA512:
                    return Optional.of(MessageDigest.getInstance("SHA-512").digest(selected));
                default:
                    return Optional.empty();
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must have SHA-256 and SHA-512", e);
        }
    }

    private static String shorten(String text) {
        return text.length() > 20 ? text.substring(0, 20) + "..." : text;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof TlsaRecord)) {
            return false;
        }
        TlsaRecord that = (TlsaRecord) other;
        return usage == that.usage
                && selector == that.selector
                && matchingType == that.matchingType
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * usage + selector) + matchingType) + Arrays.hashCode(data);
    }

    /** The presentation form, data in lower-case hexadecimal (public data, not a secret). */
    @Override
    public String toString() {
        StringBuilder hex = new StringBuilder();
        for (byte b : data) {
            hex.append(String.format(Locale.ROOT, "%02x", b & 0xff));
        }
        return usage + " " + selector + " " + matchingType + " " + hex;
    }
}
