# profiles/nl-gov.profile - the Dutch government's "pas toe of leg uit"
# (comply or explain) rule for SENDING mail servers: Forum
# Standaardisatie's 2018 advice extends STARTTLS and DANE to "alle
# ontvangende en verzendende e-mailservers" of Dutch public bodies, and
# the NCSC-NL TLS guidelines set the floor at TLS 1.2 (TLS 1.0 and 1.1
# are not acceptable). See docs/profiles.md for what each clause tests
# and why a clause can fail.
name nl-gov
title Dutch government mandate for sending mail servers (STARTTLS + DANE, TLS 1.2 or newer)
statement Forum Standaardisatie (2018) put STARTTLS combined with DANE on
statement the "pas toe of leg uit" list for receiving and sending mail
statement servers of Dutch government bodies and the (semi-)public sector:
statement outgoing mail must be encrypted with STARTTLS and the receiving
statement server authenticated with DANE wherever the receiving domain
statement publishes DNSSEC-signed TLSA records. The NCSC-NL TLS guidelines
statement add that TLS 1.0 and 1.1 are insufficient: a DANE-protected
statement connection must use TLS 1.2 or newer. A sender meets this profile
statement when every clause below was tested in this run and held.
require R-2.1.2-c    STARTTLS with DANE: the sender looks up the TLSA records of each MX host
require R-2.2-a      STARTTLS with DANE: with usable TLSA records the sender uses TLS and authenticates the MX host, or does not deliver
require R-2.2-b      STARTTLS with DANE: where every TLSA record is unusable the sender still insists on TLS
require R-2.2.3-g    STARTTLS with DANE: no fallback to plaintext SMTP when STARTTLS is missing or refused
require R-2.1.2-f    DANE validation: a TLSA lookup that fails (SERVFAIL, bogus) defers, never downgrades
require R4035-5.3.1-a DANE validation: DNSSEC signatures are validated (expired or bogus RRSIGs are not trusted)
require R-2.2.1-l    STARTTLS with DANE: mail to a domain with valid DANE records is delivered over authenticated TLS
require R8996-4-a    NCSC-NL TLS guideline: TLS 1.0 and 1.1 are not negotiated with a DANE MX host (TLS 1.2 or newer)
scenario tls10-only-dane  NCSC-NL TLS guideline: a DANE MX host that offers only TLS 1.0 gets no mail
