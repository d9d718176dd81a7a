# profiles/rfc7672.profile - every security row of the requirement
# catalogue (docs/rfc7672-requirements.md, severity SEC) that danesim's
# suite tests. tests/unit/test_conform.c keeps this list equal to the
# security rows the scenarios cite: a new scenario citing a new SEC row
# must add it here.
name rfc7672
title RFC 7672 security requirements covered by the danesim suite
statement A sender that meets this profile did, in every scenario of this
statement run, what RFC 7672 (and the RFCs it builds on: 7671, 6698, 4035,
statement 3207, 5321) requires of a sending MTA under attack: it looked up
statement and validated MX and TLSA records with DNSSEC, used TLS and
statement authenticated the MX host where a usable TLSA record was
statement published, never sent mail in clear or to an unauthenticated server
statement where DANE applies, and deferred rather than downgraded. It does
statement not certify requirements the suite does not test (see the scope
statement line of the report) nor interoperability rows.
require R-1.1-a         RFC 7672 section 1.1
require R-1.1-c         RFC 7672 section 1.1
require R-2.1.1-a       RFC 7672 section 2.1.1
require R-2.1.1-c       RFC 7672 section 2.1.1
require R-2.1.1-e       RFC 7672 section 2.1.1
require R-2.1.1-h       RFC 7672 section 2.1.1
require R-2.1.2-a       RFC 7672 section 2.1.2
require R-2.1.2-c       RFC 7672 section 2.1.2
require R-2.1.2-d       RFC 7672 section 2.1.2
require R-2.1.2-f       RFC 7672 section 2.1.2
require R-2.1.3-c       RFC 7672 section 2.1.3
require R-2.1.3-d       RFC 7672 section 2.1.3
require R-2.1.3-e       RFC 7672 section 2.1.3
require R-2.2-a         RFC 7672 section 2.2
require R-2.2-b         RFC 7672 section 2.2
require R-2.2-d         RFC 7672 section 2.2
require R-2.2-e         RFC 7672 section 2.2
require R-2.2.1-a       RFC 7672 section 2.2.1
require R-2.2.1-g       RFC 7672 section 2.2.1
require R-2.2.1-i       RFC 7672 section 2.2.1
require R-2.2.1-l       RFC 7672 section 2.2.1
require R-2.2.1-n       RFC 7672 section 2.2.1
require R-2.2.2-b       RFC 7672 section 2.2.2
require R-2.2.2-h       RFC 7672 section 2.2.2
require R-2.2.2-i       RFC 7672 section 2.2.2
require R-2.2.2-j       RFC 7672 section 2.2.2
require R-2.2.2-k       RFC 7672 section 2.2.2
require R-2.2.3-a       RFC 7672 section 2.2.3
require R-2.2.3-b       RFC 7672 section 2.2.3
require R-2.2.3-c       RFC 7672 section 2.2.3
require R-2.2.3-g       RFC 7672 section 2.2.3
require R-2.2.3-h       RFC 7672 section 2.2.3
require R-3.1.2-b       RFC 7672 section 3.1.2
require R-3.1.3-a       RFC 7672 section 3.1.3
require R-3.2-a         RFC 7672 section 3.2
require R-3.2-b         RFC 7672 section 3.2
require R-3.2.2-a       RFC 7672 section 3.2.2
require R-5-a           RFC 7672 section 5
require R-5-b           RFC 7672 section 5
require R-6-a           RFC 7672 section 6
require R-8.2-b         RFC 7672 section 8.2
require R-9.1-b         RFC 7672 section 9.1
require R-10-b          RFC 7672 section 10
require R3207-4-a       RFC 3207 section 4
require R3207-4-b       RFC 3207 section 4
require R3207-4-c       RFC 3207 section 4
require R3207-4-d       RFC 3207 section 4
require R3207-4.1-a     RFC 3207 section 4.1
require R3207-4.2-a     RFC 3207 section 4.2
require R3207-6-a       RFC 3207 section 6
require R3207-6-d       RFC 3207 section 6
require R4035-4.3-a     RFC 4035 section 4.3
require R4035-5-a       RFC 4035 section 5
require R4035-5.3.1-a   RFC 4035 section 5.3.1
require R4035-5.4-a     RFC 4035 section 5.4
require R5321-5.1-a     RFC 5321 section 5.1
require R6698-2.1.1-a   RFC 6698 section 2.1.1
require R6698-2.1.1-c   RFC 6698 section 2.1.1
require R6698-4-a       RFC 6698 section 4
require R6698-4.1-a     RFC 6698 section 4.1
require R6698-4.1-c     RFC 6698 section 4.1
require R6698-4.1-d     RFC 6698 section 4.1
require R6698-4.1-f     RFC 6698 section 4.1
require R6698-4.1-h     RFC 6698 section 4.1
require R6698-8.2-a     RFC 6698 section 8.2
require R7671-2-b       RFC 7671 section 2
require R7671-4-a       RFC 7671 section 4
require R7671-4.1-a     RFC 7671 section 4.1
require R7671-5.2.1-a   RFC 7671 section 5.2.1
require R7671-9-c       RFC 7671 section 9
require R7671-9-d       RFC 7671 section 9
require R7671-10.2-b    RFC 7671 section 10.2
require R7671-10.3-a    RFC 7671 section 10.3
require R7671-10.3-b    RFC 7671 section 10.3
require R7671-14-a      RFC 7671 section 14
require R8461-2-a       RFC 8461 section 2
