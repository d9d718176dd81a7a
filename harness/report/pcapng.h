/*
 * pcapng.h - capture.pcapng: the run's capture.pcap with the TLS key log
 * embedded, so Wireshark (or tshark) decrypts the SMTP inside STARTTLS
 * from one file. Written in pcapng (draft-ietf-opsawg-pcapng): a Section
 * Header Block, one Interface Description Block, a Decryption Secrets
 * Block (type 0x0000000A, secrets type 0x544c534b "TLSK" = the NSS key
 * log) before the first packet, then one Enhanced Packet Block per
 * packet of the classic capture.
 */
#ifndef DSIM_PCAPNG_H
#define DSIM_PCAPNG_H

/*
 * pcapng_write_with_keys - read the classic pcap at pcap_path and the
 * NSS key log at keylog_path (may be missing or empty: then no secrets
 * block), write out_path (through a temporary file). 0, or -1 with the
 * reason in why (whysz bytes).
 */
int pcapng_write_with_keys(const char *pcap_path, const char *keylog_path,
    const char *out_path, char *why, size_t whysz);

#endif /* DSIM_PCAPNG_H */
