/**
 * The rights-protection portal: recipients outside the organisation prove who they are and read
 * protected mail.
 */
package dev.mailsec.portal;
