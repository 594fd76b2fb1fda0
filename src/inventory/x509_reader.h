// The certificate reader of the inventory: describes one DER X.509 certificate straight from its
// bytes with the bounds-checked DER reader (src/base/der.h), without building OpenSSL objects.
// OpenSSL 3.0's d2i_X509 and the describing that followed cost ~250 µs a certificate, most of it
// decoding the public key through the provider decoders, which a serial match never needs; this
// reader fills the same inventory::Certificate in a few microseconds.
//
//   std::vector<std::string> undecoded;
//   absl::StatusOr<Certificate> cert = ReadX509Certificate(der, &undecoded);
//   if (!cert.ok()) ...                       // not a certificate at all
//   for (const std::string& what : undecoded) diags->Report(0, absl::StrCat(where, ": ", what));
//
// Every field is the one the former OpenSSL describer gave (x509_reader_test compares them with
// OpenSSL's on a corpus): names rendered as der::RenderName (OpenSSL's RFC 2253 notation), the
// commonNames in UTF-8 as ASN1_STRING_to_UTF8 converts them, the times without fractions of a
// second (as ASN1_TIME_to_tm), the hashes of the DER bytes as given.
//
// What is fatal and what is not. A serial match needs only the serial and the issuer, so the
// reader refuses a certificate only when those cannot be had:
//   - fatal (an error Status): the outer structure (Certificate, tbsCertificate and its fields up
//     to subjectPublicKeyInfo) is not DER; the serial is missing, empty or longer than
//     serialmatch accepts; the issuer Name is not well-formed; a validity time is unreadable.
//   - degraded (the certificate is returned, and a sentence per problem is appended to
//     `undecoded`, each ending in how the certificate is now judged):
//       "subject name not decodable; judged by serial only"  (subject, subject_cn empty; the SAN
//         names, when readable, still count: "...; judged by serial and SAN names")
//       "subject alternative names not decodable; judged by serial only"  (names and match_names
//         empty: an undecodable SAN is never taken for "no SAN", which would match by the CN)
//       "issuer name holds a value OpenSSL refuses; compared as written"  (rendered all the same,
//         as CRL issuers are)
//       "extensions not decodable; judged by serial only", and for the authority or subject key
//       identifier, basicConstraints and CRL distribution points "<extension> not decodable"
//       (the field left empty).
//   OpenSSL refused such certificates whole (a UTF8String that is not UTF-8 or a name attribute
//   of a string type it does not allow fails d2i_X509), or silently read an undecodable SAN as
//   none.
#ifndef SERIALMATCH_SRC_INVENTORY_X509_READER_H_
#define SERIALMATCH_SRC_INVENTORY_X509_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/inventory/certificates.h"

namespace serialmatch::inventory {

// Describes the DER certificate `der` (exactly one Certificate SEQUENCE, nothing after it).
// `path`, `line` and the endpoint and store fields are left default. Appends what could not be
// decoded to `*undecoded` (see above); fails, saying why, when the certificate cannot be judged.
// Thread-safe.
[[nodiscard]] absl::StatusOr<Certificate> ReadX509Certificate(absl::string_view der,
                                                              std::vector<std::string>* undecoded);

// The UTF-8 text of the name attribute value `value` (its whole TLV), converted as OpenSSL's
// ASN1_STRING_to_UTF8: UTF8String checked, the one-byte string types as Latin-1, BMPString and
// UniversalString decoded. False for another type, or a value that is not valid in its type.
bool AttributeValueToUtf8(absl::string_view value, std::string* out);

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_X509_READER_H_
