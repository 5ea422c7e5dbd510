package dev.mailsec.portal;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What the portal shows and checks of a use licence (a view of the engine's {@code UseLicence}). */
public final class LicenceView {

  /** The rights of the design's {@code Right} enum, by the same names. */
  public enum Permission { VIEW, REPLY, REPLY_ALL, FORWARD, PRINT, EXTRACT }

  private final String licenceId;
  private final String messageId;
  private final String sender;
  private final List<String> recipients;
  private final String template;
  private final Set<Permission> permissions;
  private final Instant expiresAt;

  public LicenceView(String licenceId, String messageId, String sender, List<String> recipients, String template,
      Set<Permission> permissions, Instant expiresAt) {
    this.licenceId = licenceId;
    this.messageId = messageId;
    this.sender = sender;
    this.recipients = List.copyOf(recipients);
    this.template = template;
    this.permissions = permissions.isEmpty() ? EnumSet.noneOf(Permission.class) : EnumSet.copyOf(permissions);
    this.expiresAt = expiresAt;
  }

  public String licenceId() {
    return licenceId;
  }

  public String messageId() {
    return messageId;
  }

  public String sender() {
    return sender;
  }

  public List<String> recipients() {
    return recipients;
  }

  public String template() {
    return template;
  }

  public boolean allows(Permission p) {
    return permissions.contains(p);
  }

  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  public boolean isParty(String address) {
    String a = address.trim().toLowerCase(Locale.ROOT);
    if (a.startsWith("<") && a.endsWith(">")) {
      a = a.substring(1, a.length() - 1).trim();
    }
    return sender.equalsIgnoreCase(a) || recipients.contains(a);
  }

  @Override
  public String toString() {
    return "LicenceView[" + licenceId + ", template=" + template + ", rights=" + permissions + "]";
  }
}
