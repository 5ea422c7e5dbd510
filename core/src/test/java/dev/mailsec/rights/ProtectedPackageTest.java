package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtectedPackageTest {
    @Test
    void encodeShouldWriteWhatAJsonLibraryWritesAndDecodeBack() throws Exception {
        ProtectedPackage p =
                ProtectedPackage.of(
                        "eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJ4In0.c2ln-_",
                        "eyJhbGciOiJBMjU2R0NNS1cifQ.a2V5.aXY.Y2lwaGVy-_.dGFn");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", ProtectedPackage.FORMAT);
        m.put("licence", p.licence());
        m.put("content", p.content());
        assertThat(new String(p.encode(), StandardCharsets.US_ASCII))
                .isEqualTo(JSONObjectUtils.toJSONString(m));
        assertThat(ProtectedPackage.decode(p.encode())).isEqualTo(p);
        assertThat(p.toString()).doesNotContain(p.content()).contains("mailsec-protected/1");
    }
}
