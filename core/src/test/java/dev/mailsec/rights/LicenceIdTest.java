package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LicenceIdTest {

    @Test
    void idsAreDistinct128BitBase64UrlThatACommandLineCannotTakeForAnOption() {
        SecureRandom random = new SecureRandom();
        Set<String> ids = new HashSet<>();
        // one plain base64url id in 64 starts with '-': 4000 of them would hold ~60
        for (int i = 0; i < 4000; i++) {
            String id = RightsProtector.newLicenceId(random);
            assertThat(id).hasSize(22).matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
            ids.add(id);
        }
        assertThat(ids).hasSize(4000);
    }
}
