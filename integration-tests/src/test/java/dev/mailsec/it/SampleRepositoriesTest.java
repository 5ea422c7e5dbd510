package dev.mailsec.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The sample configuration that {@code ./mailsec run} and the bundle ship keeps held mail safe
 * (issue 13, finding 3): every repository it names is on disk ({@code file://}, which its
 * mailrepositorystore.xml registers), so a restart keeps held mail, and every mail it keeps is
 * written by {@code HoldInRepository}, so reprocessing through WebAdmin while the fault persists
 * loses nothing ({@code HeldMailReprocessingTest} shows both against a real James; {@code
 * DistributionSmokeTest} finds the quarantined mail on disk).
 */
class SampleRepositoriesTest {

    private static final Path CONF = Paths.get(System.getProperty("mailsec.conf.dir", "../conf"));

    @Test
    void everyRepositoryOfTheSamplePipelineShouldBeOnDisk() throws Exception {
        Document container = parse("mailetcontainer.xml");
        List<String> paths = new ArrayList<>();
        paths.add(text(container, "errorRepository").get(0));
        paths.addAll(text(container, "repositoryPath"));

        assertThat(paths)
                .hasSizeGreaterThanOrEqualTo(9)
                .allSatisfy(p -> assertThat(p).startsWith("file://var/mail/"));
    }

    @Test
    void everyMailetThatKeepsMailShouldHoldItUnderAFreshName() throws Exception {
        NodeList mailets = parse("mailetcontainer.xml").getElementsByTagName("mailet");
        List<String> keepers = new ArrayList<>();
        for (int i = 0; i < mailets.getLength(); i++) {
            Element mailet = (Element) mailets.item(i);
            if (mailet.getElementsByTagName("repositoryPath").getLength() > 0) {
                keepers.add(mailet.getAttribute("class"));
            }
        }
        assertThat(keepers).isNotEmpty().containsOnly("dev.mailsec.mailets.HoldInRepository");
    }

    @Test
    void sampleRepositoryStoreShouldRegisterFileRepositories() throws Exception {
        NodeList repositories =
                parse("mailrepositorystore.xml").getElementsByTagName("mailrepository");
        List<String> file = new ArrayList<>();
        for (int i = 0; i < repositories.getLength(); i++) {
            Element repository = (Element) repositories.item(i);
            if (text(repository, "protocol").contains("file")) {
                file.add(repository.getAttribute("class"));
            }
        }
        assertThat(file).containsExactly("org.apache.james.mailrepository.file.FileMailRepository");
    }

    private static Document parse(String name) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(CONF.resolve(name).toFile());
    }

    private static List<String> text(Document document, String tag) {
        return text(document.getDocumentElement(), tag);
    }

    private static List<String> text(Element element, String tag) {
        NodeList nodes = element.getElementsByTagName(tag);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            values.add(nodes.item(i).getTextContent().trim());
        }
        return values;
    }
}
