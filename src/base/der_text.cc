#include "src/base/der_text.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "src/base/status_macros.h"

namespace serialmatch::der {

// ---------------------------------------------------------------------------------------------
// Object identifiers and names.

// The dotted text of OID contents `oid` ("2.5.4.3"), as OpenSSL's OBJ_obj2txt(no_name) writes it;
// false when the encoding is invalid (empty, a sub-identifier with a leading 0x80 or cut short)
// or a sub-identifier does not fit in 64 bits.
bool OidToText(absl::string_view oid, std::string* out) {
  out->clear();
  if (oid.empty()) return false;
  bool first = true;
  uint64_t value = 0;
  bool in_arc = false;
  for (size_t i = 0; i < oid.size(); ++i) {
    const uint8_t b = static_cast<uint8_t>(oid[i]);
    if (!in_arc && b == 0x80) return false;  // non-minimal sub-identifier
    if (value > (UINT64_MAX >> 7)) return false;
    value = (value << 7) | (b & 0x7f);
    in_arc = true;
    if (b & 0x80) continue;
    if (first) {
      const uint64_t top = value < 40 ? 0 : value < 80 ? 1 : 2;
      absl::StrAppend(out, top, ".", value - 40 * top);
      first = false;
    } else {
      absl::StrAppend(out, ".", value);
    }
    value = 0;
    in_arc = false;
  }
  return !in_arc;
}

// OpenSSL's short names (OBJ_nid2sn, OpenSSL 3.0) of every object it knows under the arcs that
// attribute types come from: X.520 (2.5.4), RFC 4519 pilot attributes (0.9.2342.19200300.100.1),
// PKCS #9 (1.2.840.113549.1.9) and the EV jurisdiction attributes (1.3.6.1.4.1.311.60.2.1),
// listed from OpenSSL itself. A type not listed is written as its dotted OID, as OpenSSL writes a
// type it does not know (an attribute from another arc that OpenSSL names would differ; none is
// used in CA names). crl_parser_test compares renderings with OpenSSL's.
namespace {

struct AttributeName {
  absl::string_view oid;  // contents octets
  absl::string_view name;
};
constexpr AttributeName kAttributeNames[] = {
    {absl::string_view("\x55\x04\x03", 3), "CN"},                           // 2.5.4.3
    {absl::string_view("\x55\x04\x04", 3), "SN"},                           // 2.5.4.4
    {absl::string_view("\x55\x04\x05", 3), "serialNumber"},                 // 2.5.4.5
    {absl::string_view("\x55\x04\x06", 3), "C"},                            // 2.5.4.6
    {absl::string_view("\x55\x04\x07", 3), "L"},                            // 2.5.4.7
    {absl::string_view("\x55\x04\x08", 3), "ST"},                           // 2.5.4.8
    {absl::string_view("\x55\x04\x09", 3), "street"},                       // 2.5.4.9
    {absl::string_view("\x55\x04\x0a", 3), "O"},                            // 2.5.4.10
    {absl::string_view("\x55\x04\x0b", 3), "OU"},                           // 2.5.4.11
    {absl::string_view("\x55\x04\x0c", 3), "title"},                        // 2.5.4.12
    {absl::string_view("\x55\x04\x0d", 3), "description"},                  // 2.5.4.13
    {absl::string_view("\x55\x04\x0e", 3), "searchGuide"},                  // 2.5.4.14
    {absl::string_view("\x55\x04\x0f", 3), "businessCategory"},             // 2.5.4.15
    {absl::string_view("\x55\x04\x10", 3), "postalAddress"},                // 2.5.4.16
    {absl::string_view("\x55\x04\x11", 3), "postalCode"},                   // 2.5.4.17
    {absl::string_view("\x55\x04\x12", 3), "postOfficeBox"},                // 2.5.4.18
    {absl::string_view("\x55\x04\x13", 3), "physicalDeliveryOfficeName"},   // 2.5.4.19
    {absl::string_view("\x55\x04\x14", 3), "telephoneNumber"},              // 2.5.4.20
    {absl::string_view("\x55\x04\x15", 3), "telexNumber"},                  // 2.5.4.21
    {absl::string_view("\x55\x04\x16", 3), "teletexTerminalIdentifier"},    // 2.5.4.22
    {absl::string_view("\x55\x04\x17", 3), "facsimileTelephoneNumber"},     // 2.5.4.23
    {absl::string_view("\x55\x04\x18", 3), "x121Address"},                  // 2.5.4.24
    {absl::string_view("\x55\x04\x19", 3), "internationaliSDNNumber"},      // 2.5.4.25
    {absl::string_view("\x55\x04\x1a", 3), "registeredAddress"},            // 2.5.4.26
    {absl::string_view("\x55\x04\x1b", 3), "destinationIndicator"},         // 2.5.4.27
    {absl::string_view("\x55\x04\x1c", 3), "preferredDeliveryMethod"},      // 2.5.4.28
    {absl::string_view("\x55\x04\x1d", 3), "presentationAddress"},          // 2.5.4.29
    {absl::string_view("\x55\x04\x1e", 3), "supportedApplicationContext"},  // 2.5.4.30
    {absl::string_view("\x55\x04\x1f", 3), "member"},                       // 2.5.4.31
    {absl::string_view("\x55\x04\x20", 3), "owner"},                        // 2.5.4.32
    {absl::string_view("\x55\x04\x21", 3), "roleOccupant"},                 // 2.5.4.33
    {absl::string_view("\x55\x04\x22", 3), "seeAlso"},                      // 2.5.4.34
    {absl::string_view("\x55\x04\x23", 3), "userPassword"},                 // 2.5.4.35
    {absl::string_view("\x55\x04\x24", 3), "userCertificate"},              // 2.5.4.36
    {absl::string_view("\x55\x04\x25", 3), "cACertificate"},                // 2.5.4.37
    {absl::string_view("\x55\x04\x26", 3), "authorityRevocationList"},      // 2.5.4.38
    {absl::string_view("\x55\x04\x27", 3), "certificateRevocationList"},    // 2.5.4.39
    {absl::string_view("\x55\x04\x28", 3), "crossCertificatePair"},         // 2.5.4.40
    {absl::string_view("\x55\x04\x29", 3), "name"},                         // 2.5.4.41
    {absl::string_view("\x55\x04\x2a", 3), "GN"},                           // 2.5.4.42
    {absl::string_view("\x55\x04\x2b", 3), "initials"},                     // 2.5.4.43
    {absl::string_view("\x55\x04\x2c", 3), "generationQualifier"},          // 2.5.4.44
    {absl::string_view("\x55\x04\x2d", 3), "x500UniqueIdentifier"},         // 2.5.4.45
    {absl::string_view("\x55\x04\x2e", 3), "dnQualifier"},                  // 2.5.4.46
    {absl::string_view("\x55\x04\x2f", 3), "enhancedSearchGuide"},          // 2.5.4.47
    {absl::string_view("\x55\x04\x30", 3), "protocolInformation"},          // 2.5.4.48
    {absl::string_view("\x55\x04\x31", 3), "distinguishedName"},            // 2.5.4.49
    {absl::string_view("\x55\x04\x32", 3), "uniqueMember"},                 // 2.5.4.50
    {absl::string_view("\x55\x04\x33", 3), "houseIdentifier"},              // 2.5.4.51
    {absl::string_view("\x55\x04\x34", 3), "supportedAlgorithms"},          // 2.5.4.52
    {absl::string_view("\x55\x04\x35", 3), "deltaRevocationList"},          // 2.5.4.53
    {absl::string_view("\x55\x04\x36", 3), "dmdName"},                      // 2.5.4.54
    {absl::string_view("\x55\x04\x41", 3), "pseudonym"},                    // 2.5.4.65
    {absl::string_view("\x55\x04\x48", 3), "role"},                         // 2.5.4.72
    {absl::string_view("\x55\x04\x61", 3), "organizationIdentifier"},       // 2.5.4.97
    {absl::string_view("\x55\x04\x62", 3), "c3"},                           // 2.5.4.98
    {absl::string_view("\x55\x04\x63", 3), "n3"},                           // 2.5.4.99
    {absl::string_view("\x55\x04\x64", 3), "dnsName"},                      // 2.5.4.100
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x01", 10),
     "UID"},  // 0.9.2342.19200300.100.1.1
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x02", 10),
     "textEncodedORAddress"},  // 0.9.2342.19200300.100.1.2
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x03", 10),
     "mail"},  // 0.9.2342.19200300.100.1.3
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x04", 10),
     "info"},  // 0.9.2342.19200300.100.1.4
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x05", 10),
     "favouriteDrink"},  // 0.9.2342.19200300.100.1.5
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x06", 10),
     "roomNumber"},  // 0.9.2342.19200300.100.1.6
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x07", 10),
     "photo"},  // 0.9.2342.19200300.100.1.7
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x08", 10),
     "userClass"},  // 0.9.2342.19200300.100.1.8
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x09", 10),
     "host"},  // 0.9.2342.19200300.100.1.9
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x0a", 10),
     "manager"},  // 0.9.2342.19200300.100.1.10
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x0b", 10),
     "documentIdentifier"},  // 0.9.2342.19200300.100.1.11
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x0c", 10),
     "documentTitle"},  // 0.9.2342.19200300.100.1.12
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x0d", 10),
     "documentVersion"},  // 0.9.2342.19200300.100.1.13
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x0e", 10),
     "documentAuthor"},  // 0.9.2342.19200300.100.1.14
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x0f", 10),
     "documentLocation"},  // 0.9.2342.19200300.100.1.15
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x14", 10),
     "homeTelephoneNumber"},  // 0.9.2342.19200300.100.1.20
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x15", 10),
     "secretary"},  // 0.9.2342.19200300.100.1.21
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x16", 10),
     "otherMailbox"},  // 0.9.2342.19200300.100.1.22
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x17", 10),
     "lastModifiedTime"},  // 0.9.2342.19200300.100.1.23
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x18", 10),
     "lastModifiedBy"},  // 0.9.2342.19200300.100.1.24
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19", 10),
     "DC"},  // 0.9.2342.19200300.100.1.25
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x1a", 10),
     "aRecord"},  // 0.9.2342.19200300.100.1.26
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x1b", 10),
     "pilotAttributeType27"},  // 0.9.2342.19200300.100.1.27
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x1c", 10),
     "mXRecord"},  // 0.9.2342.19200300.100.1.28
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x1d", 10),
     "nSRecord"},  // 0.9.2342.19200300.100.1.29
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x1e", 10),
     "sOARecord"},  // 0.9.2342.19200300.100.1.30
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x1f", 10),
     "cNAMERecord"},  // 0.9.2342.19200300.100.1.31
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x25", 10),
     "associatedDomain"},  // 0.9.2342.19200300.100.1.37
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x26", 10),
     "associatedName"},  // 0.9.2342.19200300.100.1.38
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x27", 10),
     "homePostalAddress"},  // 0.9.2342.19200300.100.1.39
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x28", 10),
     "personalTitle"},  // 0.9.2342.19200300.100.1.40
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x29", 10),
     "mobileTelephoneNumber"},  // 0.9.2342.19200300.100.1.41
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x2a", 10),
     "pagerTelephoneNumber"},  // 0.9.2342.19200300.100.1.42
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x2b", 10),
     "friendlyCountryName"},  // 0.9.2342.19200300.100.1.43
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x2c", 10),
     "uid"},  // 0.9.2342.19200300.100.1.44
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x2d", 10),
     "organizationalStatus"},  // 0.9.2342.19200300.100.1.45
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x2e", 10),
     "janetMailbox"},  // 0.9.2342.19200300.100.1.46
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x2f", 10),
     "mailPreferenceOption"},  // 0.9.2342.19200300.100.1.47
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x30", 10),
     "buildingName"},  // 0.9.2342.19200300.100.1.48
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x31", 10),
     "dSAQuality"},  // 0.9.2342.19200300.100.1.49
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x32", 10),
     "singleLevelQuality"},  // 0.9.2342.19200300.100.1.50
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x33", 10),
     "subtreeMinimumQuality"},  // 0.9.2342.19200300.100.1.51
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x34", 10),
     "subtreeMaximumQuality"},  // 0.9.2342.19200300.100.1.52
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x35", 10),
     "personalSignature"},  // 0.9.2342.19200300.100.1.53
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x36", 10),
     "dITRedirect"},  // 0.9.2342.19200300.100.1.54
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x37", 10),
     "audio"},  // 0.9.2342.19200300.100.1.55
    {absl::string_view("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x38", 10),
     "documentPublisher"},  // 0.9.2342.19200300.100.1.56
    {absl::string_view("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01", 9),
     "emailAddress"},  // 1.2.840.113549.1.9.1
    {absl::string_view("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x02", 9),
     "unstructuredName"},  // 1.2.840.113549.1.9.2
    {absl::string_view("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x03", 9),
     "contentType"},  // 1.2.840.113549.1.9.3
    {absl::string_view("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x04", 9),
     "messageDigest"},  // 1.2.840.113549.1.9.4
    {absl::string_view("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x05", 9),
     "signingTime"},  // 1.2.840.113549.1.9.5
    {absl::string_view("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x06", 9),
     "countersignature"},  // 1.2.840.113549.1.9.6
    {absl::string_view("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x07", 9),
     "challengePassword"},  // 1.2.840.113549.1.9.7
    {absl::string_view("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x08", 9),
     "unstructuredAddress"},  // 1.2.840.113549.1.9.8
    {absl::string_view("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x09", 9),
     "extendedCertificateAttributes"},  // 1.2.840.113549.1.9.9
    {absl::string_view("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x0e", 9),
     "extReq"},  // 1.2.840.113549.1.9.14
    {absl::string_view("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x0f", 9),
     "SMIME-CAPS"},  // 1.2.840.113549.1.9.15
    {absl::string_view("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10", 9),
     "SMIME"},  // 1.2.840.113549.1.9.16
    {absl::string_view("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x14", 9),
     "friendlyName"},  // 1.2.840.113549.1.9.20
    {absl::string_view("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x15", 9),
     "localKeyID"},  // 1.2.840.113549.1.9.21
    {absl::string_view("\x2b\x06\x01\x04\x01\x82\x37\x3c\x02\x01\x01", 11),
     "jurisdictionL"},  // 1.3.6.1.4.1.311.60.2.1.1
    {absl::string_view("\x2b\x06\x01\x04\x01\x82\x37\x3c\x02\x01\x02", 11),
     "jurisdictionST"},  // 1.3.6.1.4.1.311.60.2.1.2
    {absl::string_view("\x2b\x06\x01\x04\x01\x82\x37\x3c\x02\x01\x03", 11),
     "jurisdictionC"},  // 1.3.6.1.4.1.311.60.2.1.3
};

}  // namespace

// Escaping as OpenSSL's do_esc_char with ASN1_STRFLGS_ESC_2253 | ASN1_STRFLGS_ESC_CTRL (and not
// ESC_MSB, as NameToString asks): RFC 2253's specials after a backslash, '#' first and ' ' first or
// last after a backslash, control bytes as \XX, bytes from 0x80 on as they are. `first`/`last`:
// the byte is the value's first or last character (for a one-character value only `last` counts,
// as in OpenSSL).
void AppendEscaped(uint8_t c, bool first, bool last, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (c >= 0x80) {
    out->push_back(static_cast<char>(c));
    return;
  }
  if (last) first = false;
  switch (c) {
    case ',':
    case '+':
    case '"':
    case '\\':
    case '<':
    case '>':
    case ';':
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
      return;
    case '#':
      if (first) out->push_back('\\');
      out->push_back('#');
      return;
    case ' ':
      if (first || last) out->push_back('\\');
      out->push_back(' ');
      return;
    default:
      break;
  }
  if (c < 0x20 || c == 0x7f) {
    out->push_back('\\');
    out->push_back(kHex[c >> 4]);
    out->push_back(kHex[c & 15]);
    return;
  }
  out->push_back(static_cast<char>(c));
}

namespace {

// Appends the UTF-8 encoding of code point `c`, each byte escaped as above; nothing for a surrogate
// or a value beyond U+10FFFF (OpenSSL's UTF8_putc refuses them and its printer drops them).
void AppendCodePoint(uint32_t c, bool first, bool last, std::string* out) {
  uint8_t buf[4];
  int n = 0;
  if (c < 0x80) {
    buf[n++] = static_cast<uint8_t>(c);
  } else if (c < 0x800) {
    buf[n++] = static_cast<uint8_t>(0xc0 | (c >> 6));
    buf[n++] = static_cast<uint8_t>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    if (c >= 0xd800 && c <= 0xdfff) return;
    buf[n++] = static_cast<uint8_t>(0xe0 | (c >> 12));
    buf[n++] = static_cast<uint8_t>(0x80 | ((c >> 6) & 0x3f));
    buf[n++] = static_cast<uint8_t>(0x80 | (c & 0x3f));
  } else if (c < 0x110000) {
    buf[n++] = static_cast<uint8_t>(0xf0 | (c >> 18));
    buf[n++] = static_cast<uint8_t>(0x80 | ((c >> 12) & 0x3f));
    buf[n++] = static_cast<uint8_t>(0x80 | ((c >> 6) & 0x3f));
    buf[n++] = static_cast<uint8_t>(0x80 | (c & 0x3f));
  } else {
    return;
  }
  for (int i = 0; i < n; ++i) AppendEscaped(buf[i], first, last, out);
}

}  // namespace

// Appends one attribute value as OpenSSL's do_print_ex does with ASN1_STRFLGS_RFC2253 minus
// ESC_MSB: UTF8String byte by byte, the one-byte string types as Latin-1 converted to UTF-8,
// BMPString and UniversalString converted to UTF-8, any other type as '#' and the hex of its whole
// DER encoding. Fails for a BMPString or UniversalString of a length that is not a whole number of
// characters (OpenSSL then prints nothing at all).
absl::Status AppendValue(const Tlv& value, std::string* out) {
  const absl::string_view s = value.content;
  const size_t n = s.size();
  switch (value.tag) {
    case der::kUtf8String:
      for (size_t i = 0; i < n; ++i) {
        AppendEscaped(static_cast<uint8_t>(s[i]), i == 0, i + 1 == n, out);
      }
      return absl::OkStatus();
    case der::kNumericString:
    case der::kPrintableString:
    case der::kTeletexString:
    case 0x15:  // VideotexString
    case der::kIa5String:
    case der::kUtcTime:
    case der::kGeneralizedTime:
    case 0x19:  // GraphicString
    case 0x1a:  // VisibleString
    case 0x1b:  // GeneralString
      for (size_t i = 0; i < n; ++i) {
        AppendCodePoint(static_cast<uint8_t>(s[i]), i == 0, i + 1 == n, out);
      }
      return absl::OkStatus();
    case der::kBmpString:
      if (n % 2 != 0) return DerError(value.offset, "BMPString of an odd length");
      for (size_t i = 0; i < n; i += 2) {
        const uint32_t c = (static_cast<uint32_t>(static_cast<uint8_t>(s[i])) << 8) |
                           static_cast<uint8_t>(s[i + 1]);
        AppendCodePoint(c, i == 0, i + 2 == n, out);
      }
      return absl::OkStatus();
    case der::kUniversalString:
      if (n % 4 != 0) return DerError(value.offset, "UniversalString length not a multiple of 4");
      for (size_t i = 0; i < n; i += 4) {
        uint32_t c = 0;
        for (size_t k = 0; k < 4; ++k) c = (c << 8) | static_cast<uint8_t>(s[i + k]);
        AppendCodePoint(c, i == 0, i + 4 == n, out);
      }
      return absl::OkStatus();
    default:
      out->push_back('#');
      for (char c : value.element) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        out->push_back(kHex[static_cast<uint8_t>(c) >> 4]);
        out->push_back(kHex[static_cast<uint8_t>(c) & 15]);
      }
      return absl::OkStatus();
  }
}

// Renders the Name element `name` (a SEQUENCE of RDNs) into `*out` as NameToString does.
absl::Status RenderName(const Tlv& name, std::string* out) {
  out->clear();
  Reader rdns = Reader::Inside(name);
  std::string oid_text;
  bool first_rdn = true;
  while (!rdns.empty()) {
    Tlv rdn;
    SM_RETURN_IF_ERROR(rdns.Read(der::kSet, "RelativeDistinguishedName", &rdn));
    if (rdn.content.empty()) return DerError(rdn.offset, "empty RelativeDistinguishedName");
    Reader atvs = Reader::Inside(rdn);
    bool first_atv = true;
    while (!atvs.empty()) {
      Tlv atv, type, value;
      SM_RETURN_IF_ERROR(atvs.Read(der::kSequence, "AttributeTypeAndValue", &atv));
      Reader parts = Reader::Inside(atv);
      SM_RETURN_IF_ERROR(parts.Read(der::kOid, "attribute type", &type));
      SM_RETURN_IF_ERROR(parts.Read(&value));
      if (!parts.empty()) return DerError(parts.offset(), "data after an attribute value");
      if (!first_atv) {
        out->append(" + ");
      } else if (!first_rdn) {
        out->append(", ");
      }
      first_atv = first_rdn = false;
      absl::string_view short_name;
      for (const AttributeName& a : kAttributeNames) {
        if (a.oid == type.content) short_name = a.name;
      }
      if (short_name.empty()) {
        if (!OidToText(type.content, &oid_text)) {
          return DerError(type.offset, "invalid attribute type OID");
        }
        out->append(oid_text);
      } else {
        out->append(short_name.data(), short_name.size());
      }
      out->push_back('=');
      SM_RETURN_IF_ERROR(AppendValue(value, out));
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Times.

namespace {

int Digits2(const char* p) { return (p[0] - '0') * 10 + (p[1] - '0'); }

bool AllDigits(absl::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

// Reads the time `tlv` as RFC 5280 §4.1.2.5 writes them: UTCTime "YYMMDDHHMMSSZ" (years 1950-2049)
// or GeneralizedTime "YYYYMMDDHHMMSS[.f]Z". Returns what was wrong, or "" when it is valid.
absl::string_view ReadTime(const Tlv& tlv, TimeParts* t) {
  const absl::string_view s = tlv.content;
  absl::string_view rest;
  if (tlv.tag == der::kUtcTime) {
    if (s.size() != 13 || s[12] != 'Z' || !AllDigits(s.substr(0, 12))) {
      return "UTCTime not of the form YYMMDDHHMMSSZ";
    }
    const int yy = Digits2(s.data());
    t->year = yy < 50 ? 2000 + yy : 1900 + yy;
    rest = s.substr(2);
  } else if (tlv.tag == der::kGeneralizedTime) {
    if (s.size() < 15 || s.back() != 'Z' || !AllDigits(s.substr(0, 14))) {
      return "GeneralizedTime not of the form YYYYMMDDHHMMSS[.fff]Z";
    }
    t->year = Digits2(s.data()) * 100 + Digits2(s.data() + 2);
    rest = s.substr(4);
    if (s.size() > 15) {
      absl::string_view fraction = s.substr(14, s.size() - 15);
      if (fraction.size() < 2 || fraction[0] != '.' || !AllDigits(fraction.substr(1))) {
        return "GeneralizedTime with a malformed fraction of a second";
      }
      fraction.remove_prefix(1);
      while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
      t->fraction = fraction;
    } else {
      t->fraction = {};
    }
  } else {
    return "expected a UTCTime or GeneralizedTime";
  }
  t->month = Digits2(rest.data());
  t->day = Digits2(rest.data() + 2);
  t->hour = Digits2(rest.data() + 4);
  t->minute = Digits2(rest.data() + 6);
  t->second = Digits2(rest.data() + 8);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (t->month < 1 || t->month > 12) return "time with a month out of range";
  const int days = kDays[t->month - 1] + (t->month == 2 && IsLeap(t->year));
  if (t->day < 1 || t->day > days) return "time with a day out of range";
  if (t->hour > 23 || t->minute > 59 || t->second > 59) return "time of day out of range";
  return "";
}

// Appends "YYYY-MM-DDThh:mm:ss[.fraction]Z" (FormatRfc3339's notation).
void AppendRfc3339(const TimeParts& t, std::string* out) {
  char buf[20];
  auto put2 = [](char* p, int v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
  };
  put2(buf, static_cast<int>(t.year / 100));
  put2(buf + 2, static_cast<int>(t.year % 100));
  buf[4] = '-';
  put2(buf + 5, t.month);
  buf[7] = '-';
  put2(buf + 8, t.day);
  buf[10] = 'T';
  put2(buf + 11, t.hour);
  buf[13] = ':';
  put2(buf + 14, t.minute);
  buf[16] = ':';
  put2(buf + 17, t.second);
  out->append(buf, 19);
  if (!t.fraction.empty()) {
    out->push_back('.');
    out->append(t.fraction.data(), t.fraction.size());
  }
  out->push_back('Z');
}

absl::Time ToAbslTime(const TimeParts& t) {
  absl::Time time = absl::FromCivil(
      absl::CivilSecond(t.year, t.month, t.day, t.hour, t.minute, t.second), absl::UTCTimeZone());
  // Nanoseconds of the fraction; digits beyond the ninth are dropped.
  int64_t nanos = 0;
  for (size_t i = 0; i < 9; ++i) {
    nanos = nanos * 10 + (i < t.fraction.size() ? t.fraction[i] - '0' : 0);
  }
  return time + absl::Nanoseconds(nanos);
}

absl::Status ReadTimeOrFail(const Tlv& tlv, absl::string_view what, absl::Time* out) {
  TimeParts t;
  const absl::string_view problem = ReadTime(tlv, &t);
  if (!problem.empty()) return DerError(tlv.offset, absl::StrCat(what, ": ", problem));
  *out = ToAbslTime(t);
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Extensions.

absl::Status ReadExtension(Reader* extensions, Extension* ext) {
  Tlv seq;
  SM_RETURN_IF_ERROR(extensions->Read(der::kSequence, "Extension", &seq));
  Reader parts = Reader::Inside(seq);
  SM_RETURN_IF_ERROR(parts.Read(der::kOid, "extnID", &ext->id));
  ext->critical = false;
  if (parts.PeekTag(der::kBoolean)) {
    Tlv critical;
    SM_RETURN_IF_ERROR(parts.Read(&critical));
    if (critical.content.size() != 1) return DerError(critical.offset, "BOOLEAN of a wrong length");
    ext->critical = critical.content[0] != 0;
  }
  SM_RETURN_IF_ERROR(parts.Read(der::kOctetString, "extnValue", &ext->value));
  if (!parts.empty()) return DerError(parts.offset(), "data after extnValue");
  return absl::OkStatus();
}

// The one element an extension's value holds, with the given tag.
absl::Status ReadOnly(const Tlv& octets, uint8_t tag, absl::string_view what, Tlv* out) {
  Reader r = Reader::Inside(octets);
  SM_RETURN_IF_ERROR(r.Read(tag, what, out));
  if (!r.empty()) return DerError(r.offset(), absl::StrCat("data after ", what));
  return absl::OkStatus();
}

}  // namespace serialmatch::der
