package dev.mailsec.webadmin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.mail.MessagingException;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * {@code GET /mailsec/quarantines}: how many mails each of James's mail repositories holds (the
 * sample pipeline keeps held and quarantined mail in {@code file://var/mail/NAME/}), read from
 * James's {@link MailRepositoryStore}, so it counts what WebAdmin's {@code /mailRepositories} would
 * reprocess. A repository that cannot be read is listed with its error, never dropped.
 */
final class QuarantineCounts {
    private final MailRepositoryStore repositories;

    QuarantineCounts(MailRepositoryStore repositories) {
        this.repositories = repositories;
    }

    void define(Service service) {
        service.get(MailsecRoutes.BASE + "/quarantines", this::counts);
    }

    private Object counts(Request request, Response response) {
        List<MailRepositoryUrl> urls =
                repositories
                        .getUrls()
                        .sorted((a, b) -> a.asString().compareTo(b.asString()))
                        .collect(Collectors.toList());
        List<Map<String, Object>> out = new ArrayList<>();
        for (MailRepositoryUrl url : urls) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("repository", url.asString());
            m.put("path", url.getPath().asString());
            try {
                Optional<MailRepository> repository = repositories.get(url);
                m.put("size", repository.isPresent() ? repository.get().size() : 0L);
            } catch (MailRepositoryStore.MailRepositoryStoreException | MessagingException e) {
                m.put("size", null);
                m.put("error", e.getMessage());
            }
            out.add(m);
        }
        return Answers.json(out);
    }
}
