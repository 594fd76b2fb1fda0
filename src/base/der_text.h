// Text out of DER: the pieces that the CRL parser (src/dump/crl_parser.cc) and the certificate
// reader (src/inventory/x509_reader.cc) share, so that a CRL's issuer and a certificate's issuer
// are rendered by one function and compare equal when OpenSSL would print them equally.
//
//   der::Tlv name;  // a Name (SEQUENCE OF RelativeDistinguishedName) read with der::Reader
//   std::string text;
//   SM_RETURN_IF_ERROR(der::RenderName(name, &text));  // "C=US, O=Let's Encrypt, CN=R3"
//
// Names are rendered as OpenSSL 3.0's X509_NAME_print_ex with XN_FLAG_SEP_CPLUS_SPC |
// XN_FLAG_FN_SN | ASN1_STRFLGS_RFC2253 | ASN1_STRFLGS_UTF8_CONVERT, minus ASN1_STRFLGS_ESC_MSB
// (what inventory's NameToString asked of OpenSSL); crl_parser_test and x509_reader_test compare
// with OpenSSL's own rendering. Views point into the DER; the DER must outlive them.
#ifndef SERIALMATCH_SRC_BASE_DER_TEXT_H_
#define SERIALMATCH_SRC_BASE_DER_TEXT_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/base/der.h"

namespace serialmatch::der {

// ---- Object identifiers and names.

// The dotted text of OID contents `oid` ("2.5.4.3") into `*out`, as OBJ_obj2txt(no_name) writes
// it; false when the encoding is invalid or a sub-identifier does not fit in 64 bits.
bool OidToText(absl::string_view oid, std::string* out);

// Appends byte `c` of an attribute value, escaped as RFC 2253 and OpenSSL ask (see der_text.cc);
// `first`/`last`: the byte is the value's first or last.
void AppendEscaped(uint8_t c, bool first, bool last, std::string* out);

// Appends one attribute value, converted to UTF-8 and escaped, or '#' and the hex of its DER for a
// type that is not a string. Fails for a BMPString or UniversalString cut inside a character.
[[nodiscard]] absl::Status AppendValue(const Tlv& value, std::string* out);

// Renders the Name `name` (its SEQUENCE element) into `*out` ("C=US, O=Example, CN=R3"; several
// attributes of one RDN joined by " + "). Fails when the Name is not well-formed DER.
[[nodiscard]] absl::Status RenderName(const Tlv& name, std::string* out);

// ---- Times.

// A UTCTime or GeneralizedTime, broken down. `fraction` views the digits after the point, without
// trailing zeros.
struct TimeParts {
  int64_t year = 0;
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  absl::string_view fraction;
};

// Reads the time `tlv` as RFC 5280 §4.1.2.5 writes them: UTCTime "YYMMDDHHMMSSZ" (years
// 1950-2049) or GeneralizedTime "YYYYMMDDHHMMSS[.f]Z". Returns what was wrong, or "" when valid.
absl::string_view ReadTime(const Tlv& tlv, TimeParts* t);

// Appends "YYYY-MM-DDThh:mm:ss[.fraction]Z" (FormatRfc3339's notation).
void AppendRfc3339(const TimeParts& t, std::string* out);

// The instant `t` names (UTC; fraction digits beyond nanoseconds dropped).
absl::Time ToAbslTime(const TimeParts& t);

// ReadTime and ToAbslTime; fails "at byte N: <what>: <problem>".
[[nodiscard]] absl::Status ReadTimeOrFail(const Tlv& tlv, absl::string_view what, absl::Time* out);

// ---- Extensions.

// One Extension: SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }.
struct Extension {
  Tlv id;
  bool critical = false;
  Tlv value;  // the OCTET STRING; its contents are the extension's own DER
};

// Reads the next Extension of the SEQUENCE OF Extension `*extensions` into `*ext`.
[[nodiscard]] absl::Status ReadExtension(Reader* extensions, Extension* ext);

// Reads the one element with identifier `tag` that `octets` (an OCTET STRING, e.g. an extnValue)
// holds; fails when there is another tag, or data after it. `what` names it in messages.
[[nodiscard]] absl::Status ReadOnly(const Tlv& octets, uint8_t tag, absl::string_view what,
                                    Tlv* out);

}  // namespace serialmatch::der

#endif  // SERIALMATCH_SRC_BASE_DER_TEXT_H_
