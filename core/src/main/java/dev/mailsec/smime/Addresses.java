package dev.mailsec.smime;

import java.util.Locale;

/** Pulls the first addr-spec out of an address header value, lower-cased. */
final class Addresses {

    private Addresses() {}

    static String firstAddress(String value) {
        int lt = value.indexOf('<');
        int gt = lt < 0 ? -1 : value.indexOf('>', lt);
        String address;
        if (lt >= 0 && gt > lt) {
            address = value.substring(lt + 1, gt);
        } else {
            address = value;
            int comma = address.indexOf(',');
            if (comma >= 0) {
                address = address.substring(0, comma);
            }
            int paren = address.indexOf('(');
            if (paren >= 0) {
                address = address.substring(0, paren);
            }
        }
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
