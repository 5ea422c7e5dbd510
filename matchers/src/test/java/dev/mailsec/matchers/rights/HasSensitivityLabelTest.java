package dev.mailsec.matchers.rights;

import static dev.mailsec.matchers.rights.RightsMatcherMails.init;
import static dev.mailsec.matchers.rights.RightsMatcherMails.mail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;
import org.junit.jupiter.api.Test;

class HasSensitivityLabelTest {

    static final String MSIP =
            "msip_labels: MSIP_Label_87ba5c36-b7cf-4793-bbc2-bd5b3a9f95ca_Enabled=true;\r\n"
                    + " MSIP_Label_87ba5c36-b7cf-4793-bbc2-bd5b3a9f95ca_SetDate=2026-11-20T09:00:00Z;\r\n"
                    + " MSIP_Label_87ba5c36-b7cf-4793-bbc2-bd5b3a9f95ca_Method=Standard;\r\n"
                    + " MSIP_Label_87ba5c36-b7cf-4793-bbc2-bd5b3a9f95ca_Name=Highly Confidential;\r\n"
                    + " MSIP_Label_87ba5c36-b7cf-4793-bbc2-bd5b3a9f95ca_SiteId=0d0f0e6e-0000-4000-8000-000000000000;\r\n";

    @Test
    void hasSensitivityLabelShouldMatchTheSensitivityHeaderWithoutRegardToCase() throws Exception {
        HasSensitivityLabel matcher =
                init(
                        new HasSensitivityLabel(),
                        "HasSensitivityLabel",
                        "Company-Confidential, Private");
        assertThat(matcher.match(mail("Sensitivity: company-confidential\r\n\r\nx\r\n")))
                .hasSize(2);
        assertThat(matcher.match(mail("Sensitivity:  Private \r\n\r\nx\r\n"))).hasSize(2);
        assertThat(matcher.match(mail("Sensitivity: Personal\r\n\r\nx\r\n"))).isEmpty();
        assertThat(matcher.match(mail("\r\nx\r\n"))).isEmpty();
        // a label named in the body is no label
        assertThat(matcher.match(mail("\r\nSensitivity: Company-Confidential\r\n"))).isEmpty();
    }

    @Test
    void hasSensitivityLabelShouldMatchTheNameOfAnEnabledMicrosoftLabel() throws Exception {
        HasSensitivityLabel matcher =
                init(new HasSensitivityLabel(), "HasSensitivityLabel", "highly confidential");
        assertThat(matcher.match(mail(MSIP + "\r\nx\r\n"))).hasSize(2);
        assertThat(matcher.match(mail(MSIP.replace("Enabled=true", "Enabled=false") + "\r\nx\r\n")))
                .isEmpty();
        assertThat(
                        matcher.match(
                                mail(MSIP.replace("Highly Confidential", "General") + "\r\nx\r\n")))
                .isEmpty();
        assertThat(HasSensitivityLabel.msipNames("garbage;=;MSIP_Label_x_Name=;x=y")).isEmpty();
    }

    @Test
    void hasSensitivityLabelShouldRefuseAnEmptyOrMalformedCondition() {
        assertThatThrownBy(() -> init(new HasSensitivityLabel(), "HasSensitivityLabel", null))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("HasSensitivityLabel");
        assertThatThrownBy(
                        () ->
                                init(
                                        new HasSensitivityLabel(),
                                        "HasSensitivityLabel",
                                        "Private,,Personal"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("'Private,,Personal'");
        assertThatThrownBy(() -> init(new HasSensitivityLabel(), "HasSensitivityLabel", "a=b"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("'a=b'");
    }
}
