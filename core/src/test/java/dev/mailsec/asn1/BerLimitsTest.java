package dev.mailsec.asn1;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class BerLimitsTest {

    /** {@code depth} nested indefinite-length SEQUENCEs around an INTEGER, closed properly. */
    static byte[] indefinite(int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < depth; i++) {
            out.write(0x30);
            out.write(0x80);
        }
        out.write(0x02);
        out.write(0x01);
        out.write(0x05);
        for (int i = 0; i < depth; i++) {
            out.write(0);
            out.write(0);
        }
        return out.toByteArray();
    }

    /** {@code depth} nested definite-length SEQUENCEs (long-form lengths) around an INTEGER. */
    static byte[] definite(int depth) {
        byte[] inner = {0x02, 0x01, 0x05};
        for (int i = 0; i < depth; i++) {
            byte[] outer = new byte[inner.length + 4];
            outer[0] = 0x30;
            outer[1] = (byte) 0x82;
            outer[2] = (byte) (inner.length >> 8);
            outer[3] = (byte) inner.length;
            System.arraycopy(inner, 0, outer, 4, inner.length);
            inner = outer;
        }
        return inner;
    }

    static void readAll(InputStream in, int chunk) throws IOException {
        byte[] b = new byte[chunk];
        while (in.read(b, 0, chunk) >= 0) {
            // drain
        }
    }

    @Test
    void checkShouldAcceptNestingUpToTheLimitInBothLengthForms() {
        assertThatCode(() -> BerLimits.check(indefinite(BerLimits.MAX_DEPTH)))
                .doesNotThrowAnyException();
        assertThatCode(() -> BerLimits.check(definite(BerLimits.MAX_DEPTH)))
                .doesNotThrowAnyException();
    }

    @Test
    void checkShouldRefuseNestingOneBeyondTheLimitInBothLengthForms() {
        assertThatThrownBy(() -> BerLimits.check(indefinite(BerLimits.MAX_DEPTH + 1)))
                .isInstanceOf(BerLimitException.class)
                .hasMessageContaining("nested deeper than 64 levels");
        assertThatThrownBy(() -> BerLimits.check(definite(BerLimits.MAX_DEPTH + 1)))
                .isInstanceOf(BerLimitException.class)
                .hasMessageContaining("nested deeper than 64 levels");
    }

    @Test
    void checkShouldRefuseTheUnterminatedNestingOfTheAttack() {
        byte[] attack = new byte[40000];
        for (int i = 0; i < attack.length; i += 2) {
            attack[i] = 0x30;
            attack[i + 1] = (byte) 0x80;
        }
        assertThatThrownBy(() -> BerLimits.check(attack))
                .isInstanceOf(BerLimitException.class)
                .hasMessage("ASN.1 input refused at byte 130: nested deeper than 64 levels");
    }

    @Test
    void checkShouldRefuseADeclaredLengthBeyondTheInputOrTheEnclosingElement() {
        assertThatThrownBy(
                        () ->
                                BerLimits.check(
                                        new byte[] {
                                            0x30,
                                            (byte) 0x84,
                                            0x7f,
                                            (byte) 0xff,
                                            (byte) 0xff,
                                            (byte) 0xff,
                                            0x05,
                                            0x00
                                        }))
                .isInstanceOf(BerLimitException.class)
                .hasMessageContaining("declared length beyond the 8-byte input");
        // the inner OCTET STRING claims 5 bytes in a SEQUENCE of 4
        assertThatThrownBy(
                        () -> BerLimits.check(new byte[] {0x30, 0x04, 0x04, 0x05, 1, 2, 3, 4, 5}))
                .isInstanceOf(BerLimitException.class)
                .hasMessageContaining("beyond its enclosing element");
        // inside an indefinite SEQUENCE the input is the bound
        assertThatThrownBy(
                        () ->
                                BerLimits.check(
                                        new byte[] {0x30, (byte) 0x80, 0x04, 0x10, 1, 2, 0, 0}))
                .isInstanceOf(BerLimitException.class)
                .hasMessageContaining("beyond its enclosing element or the input");
    }

    @Test
    void checkShouldRefuseMalformedHeaders() {
        assertThatThrownBy(() -> BerLimits.check(new byte[] {0x04, (byte) 0x80, 0, 0}))
                .isInstanceOf(BerLimitException.class)
                .hasMessageContaining("indefinite length on a primitive element");
        assertThatThrownBy(
                        () ->
                                BerLimits.check(
                                        new byte[] {0x04, (byte) 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 1}))
                .isInstanceOf(BerLimitException.class)
                .hasMessageContaining("length field of 9 bytes");
        assertThatThrownBy(
                        () ->
                                BerLimits.check(
                                        new byte[] {
                                            0x1f,
                                            (byte) 0x81,
                                            (byte) 0x81,
                                            (byte) 0x81,
                                            (byte) 0x81,
                                            (byte) 0x81,
                                            0x01,
                                            0
                                        }))
                .isInstanceOf(BerLimitException.class)
                .hasMessageContaining("tag number longer than 5 bytes");
    }

    @Test
    void checkShouldLookOnlyAtTheFirstElement() {
        byte[] first = indefinite(3);
        byte[] withTrailer = new byte[first.length + 6];
        System.arraycopy(first, 0, withTrailer, 0, first.length);
        // after the element: what would be a huge length, never read by a parser
        System.arraycopy(
                new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                0,
                withTrailer,
                first.length,
                6);
        assertThatCode(() -> BerLimits.check(withTrailer)).doesNotThrowAnyException();
    }

    @Test
    void streamShouldRefuseAsTheBytesPassWhateverTheChunking() throws IOException {
        for (int chunk : new int[] {1, 3, 4096}) {
            readAll(
                    BerLimits.stream(
                            new ByteArrayInputStream(definite(BerLimits.MAX_DEPTH)),
                            Integer.MAX_VALUE),
                    chunk);
            InputStream deep =
                    BerLimits.stream(
                            new ByteArrayInputStream(indefinite(BerLimits.MAX_DEPTH + 1)),
                            Integer.MAX_VALUE);
            assertThatThrownBy(() -> readAll(deep, chunk))
                    .isInstanceOf(BerLimitException.class)
                    .hasMessageContaining("nested deeper than 64 levels");
        }
        InputStream single =
                BerLimits.stream(
                        new ByteArrayInputStream(indefinite(BerLimits.MAX_DEPTH + 1)),
                        Integer.MAX_VALUE);
        assertThatThrownBy(
                        () -> {
                            while (single.read() >= 0) {
                                // one byte at a time
                            }
                        })
                .isInstanceOf(BerLimitException.class);
    }

    @Test
    void streamShouldBoundDeclaredLengthsByTheGivenMaximum() {
        InputStream in =
                BerLimits.stream(
                        new ByteArrayInputStream(
                                new byte[] {0x30, (byte) 0x80, 0x04, (byte) 0x83, 0x10, 0, 0}),
                        1000);
        assertThatThrownBy(() -> readAll(in, 64))
                .isInstanceOf(BerLimitException.class)
                .hasMessageContaining("declared length beyond the 1000-byte input");
    }
}
