package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.smime.internal.MessageHead;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageHeadTest {

    /**
     * The ways a caller hands a message over: in memory, buffered (small buffer: the header
     * outgrows it), or unmarkable.
     */
    static Stream<Function<byte[], InputStream>> streams() {
        return Stream.of(
                ByteArrayInputStream::new,
                b -> new BufferedInputStream(new ByteArrayInputStream(b), 16),
                b ->
                        new FilterInputStream(new ByteArrayInputStream(b)) {
                            @Override
                            public boolean markSupported() {
                                return false;
                            }
                        });
    }

    private static List<String> read(
            Function<byte[], InputStream> stream, String message, StringBuilder rest)
            throws IOException {
        InputStream in = stream.apply(message.getBytes(StandardCharsets.ISO_8859_1));
        MessageHead head = MessageHead.read(in);
        rest.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        List<String> out = new ArrayList<>();
        for (MessageHead.Field f : head.fields()) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            f.writeTo(raw);
            out.add(f.name() + "|" + raw.toString(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("streams")
    void readsFieldsWithFoldingAndLeavesTheStreamAtTheBody(Function<byte[], InputStream> stream)
            throws IOException {
        StringBuilder rest = new StringBuilder();
        List<String> fields =
                read(
                        stream,
                        "From: a@b.test\r\nSubject: one\r\n two\r\n\tthree\nTo : c@d.test\r\n\r\nbody\r\n\r\nmore\n",
                        rest);
        assertThat(fields)
                .containsExactly(
                        "From|From: a@b.test\r\n",
                        "Subject|Subject: one\r\n two\r\n\tthree\r\n",
                        "To|To : c@d.test\r\n");
        assertThat(rest.toString()).isEqualTo("body\r\n\r\nmore\n");
    }

    @ParameterizedTest
    @MethodSource("streams")
    void endsAtABareLfEmptyLineOrAtTheEndOfAHeaderOnlyMessage(Function<byte[], InputStream> stream)
            throws IOException {
        StringBuilder rest = new StringBuilder();
        assertThat(read(stream, "A: 1\n\nB: body\n", rest)).containsExactly("A|A: 1\r\n");
        assertThat(rest.toString()).isEqualTo("B: body\n");
        rest.setLength(0);
        assertThat(read(stream, "A: 1\r\nB: 2", rest)).containsExactly("A|A: 1\r\n", "B|B: 2\r\n");
        assertThat(rest.toString()).isEmpty();
        rest.setLength(0);
        assertThat(read(stream, "\r\nA: body", rest)).isEmpty();
        assertThat(rest.toString()).isEqualTo("A: body");
    }

    @ParameterizedTest
    @MethodSource("streams")
    void readsAHeaderBlockLargerThanOneReadAndRefusesOneOverOneMebibyte(
            Function<byte[], InputStream> stream) throws IOException {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            big.append("Received: from relay")
                    .append(i)
                    .append(".example.test by mx.example.test\r\n");
        }
        StringBuilder rest = new StringBuilder();
        assertThat(read(stream, big + "\r\nbody", rest)).hasSize(2000);
        assertThat(rest.toString()).isEqualTo("body");
        String huge = "X-Long: " + "a".repeat(1 << 20) + "\r\n\r\nbody";
        assertThatThrownBy(
                        () ->
                                MessageHead.read(
                                        stream.apply(huge.getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("larger than");
    }

    @ParameterizedTest
    @MethodSource("streams")
    void refusesAContinuationFirstOrALineWithoutAName(Function<byte[], InputStream> stream) {
        assertThatThrownBy(
                        () ->
                                MessageHead.read(
                                        stream.apply(
                                                " folded\r\nA: 1\r\n\r\n"
                                                        .getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("continuation");
        assertThatThrownBy(
                        () ->
                                MessageHead.read(
                                        stream.apply(
                                                "no colon here\r\n\r\n"
                                                        .getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("field name");
    }

    @Test
    void anUnmarkableStreamIsNotReadPastTheEmptyLine() throws IOException {
        ByteArrayInputStream source =
                new ByteArrayInputStream("A: 1\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII));
        MessageHead.read(
                new FilterInputStream(source) {
                    @Override
                    public boolean markSupported() {
                        return false;
                    }
                });
        assertThat(source.available()).isEqualTo(4);
    }
}
