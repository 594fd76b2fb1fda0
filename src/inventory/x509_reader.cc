#include "src/inventory/x509_reader.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "src/base/der.h"
#include "src/base/der_text.h"
#include "src/base/name.h"
#include "src/base/serial.h"
#include "src/base/status_macros.h"
#include "src/inventory/openssl_util.h"

namespace serialmatch::inventory {
namespace {

using der::Reader;
using der::Tlv;

// OIDs (contents octets).
constexpr absl::string_view kOidCommonName("\x55\x04\x03", 3);             // 2.5.4.3
constexpr absl::string_view kOidSubjectKeyId("\x55\x1d\x0e", 3);           // 2.5.29.14
constexpr absl::string_view kOidSubjectAltName("\x55\x1d\x11", 3);         // 2.5.29.17
constexpr absl::string_view kOidBasicConstraints("\x55\x1d\x13", 3);       // 2.5.29.19
constexpr absl::string_view kOidCrlDistributionPoints("\x55\x1d\x1f", 3);  // 2.5.29.31
constexpr absl::string_view kOidAuthorityKeyId("\x55\x1d\x23", 3);         // 2.5.29.35

// Decodes one UTF-8 sequence at s[*i] as OpenSSL's UTF8_getc and is_unicode_valid do: the
// shortest form only, no surrogates, nothing beyond U+10FFFF. False when invalid.
bool NextUtf8(absl::string_view s, size_t* i, uint32_t* c) {
  const uint8_t b = static_cast<uint8_t>(s[*i]);
  size_t n;
  uint32_t v;
  if (b < 0x80) {
    *c = b;
    ++*i;
    return true;
  } else if ((b & 0xe0) == 0xc0) {
    n = 2;
    v = b & 0x1f;
  } else if ((b & 0xf0) == 0xe0) {
    n = 3;
    v = b & 0x0f;
  } else if ((b & 0xf8) == 0xf0) {
    n = 4;
    v = b & 0x07;
  } else {
    return false;  // a continuation byte first, or the 5- and 6-byte forms (beyond U+10FFFF)
  }
  if (s.size() - *i < n) return false;
  for (size_t k = 1; k < n; ++k) {
    const uint8_t cont = static_cast<uint8_t>(s[*i + k]);
    if ((cont & 0xc0) != 0x80) return false;
    v = (v << 6) | (cont & 0x3f);
  }
  static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < kMinimum[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return false;
  *c = v;
  *i += n;
  return true;
}

bool ValidCodePoint(uint32_t c) { return c <= 0x10ffff && !(c >= 0xd800 && c <= 0xdfff); }

void PutUtf8(uint32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3f)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3f)));
  }
}

bool ValueToUtf8(const Tlv& value, std::string* out) {
  out->clear();
  const absl::string_view s = value.content;
  switch (value.tag) {
    case der::kUtf8String:
      for (size_t i = 0; i < s.size();) {
        uint32_t c;
        if (!NextUtf8(s, &i, &c)) return false;
      }
      out->assign(s.data(), s.size());
      return true;
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
      for (char c : s) PutUtf8(static_cast<uint8_t>(c), out);
      return true;
    case der::kBmpString:
      if (s.size() % 2 != 0) return false;
      for (size_t i = 0; i < s.size(); i += 2) {
        const uint32_t c = (static_cast<uint32_t>(static_cast<uint8_t>(s[i])) << 8) |
                           static_cast<uint8_t>(s[i + 1]);
        if (!ValidCodePoint(c)) return false;
        PutUtf8(c, out);
      }
      return true;
    case der::kUniversalString:
      if (s.size() % 4 != 0) return false;
      for (size_t i = 0; i < s.size(); i += 4) {
        uint32_t c = 0;
        for (size_t k = 0; k < 4; ++k) c = (c << 8) | static_cast<uint8_t>(s[i + k]);
        if (!ValidCodePoint(c)) return false;
        PutUtf8(c, out);
      }
      return true;
    default:
      return false;
  }
}

// Whether OpenSSL 3.0's d2i_X509 accepts `value` as a name attribute value: its ASN1_PRINTABLE
// types (the universal tags of B_ASN1_PRINTABLE by ASN1_tag2bit: the strings it knows and those
// it counts as B_ASN1_UNKNOWN, BIT STRING, SEQUENCE), and for the strings it canonicalises
// (x509_name_canon: UTF8String, BMPString, UniversalString, PrintableString, T61String,
// IA5String) a value that converts to UTF-8.
bool OpenSslAcceptsValue(const Tlv& value) {
  switch (value.tag) {
    case der::kBitString:
    case 0x07:  // ObjectDescriptor and the other tags ASN1_tag2bit calls B_ASN1_UNKNOWN
    case 0x08:
    case 0x09:
    case 0x0b:
    case 0x0d:
    case 0x0e:
    case 0x0f:
    case 0x1d:
    case der::kSequence:
    case der::kNumericString:
      return true;
    case der::kUtf8String:
    case der::kPrintableString:
    case der::kTeletexString:
    case der::kIa5String:
    case der::kBmpString:
    case der::kUniversalString: {
      std::string scratch;
      return ValueToUtf8(value, &scratch);
    }
    default:
      return false;
  }
}

// What NameInfo learns of a Name besides its rendering.
struct NameInfo {
  std::string text;             // der::RenderName's
  std::string common_name;      // the last commonName in UTF-8; empty if none or not convertible
  bool openssl_accepts = true;  // every value passes OpenSslAcceptsValue
};

absl::Status ReadName(const Tlv& name, NameInfo* info) {
  SM_RETURN_IF_ERROR(der::RenderName(name, &info->text));
  // RenderName has checked the structure; walk it again for the commonName and the values.
  Reader rdns = Reader::Inside(name);
  const Tlv* last_cn = nullptr;
  Tlv cn;
  while (!rdns.empty()) {
    Tlv rdn;
    SM_RETURN_IF_ERROR(rdns.Read(&rdn));
    Reader atvs = Reader::Inside(rdn);
    while (!atvs.empty()) {
      Tlv atv, type, value;
      SM_RETURN_IF_ERROR(atvs.Read(&atv));
      Reader parts = Reader::Inside(atv);
      SM_RETURN_IF_ERROR(parts.Read(&type));
      SM_RETURN_IF_ERROR(parts.Read(&value));
      if (!OpenSslAcceptsValue(value)) info->openssl_accepts = false;
      if (type.content == kOidCommonName) {
        cn = value;
        last_cn = &cn;
      }
    }
  }
  if (last_cn == nullptr || !ValueToUtf8(*last_cn, &info->common_name)) info->common_name.clear();
  return absl::OkStatus();
}

// The dNSNames of the GeneralNames `sequence` (the SAN extension's value). Fails when a
// GeneralName is not one RFC 5280 defines or is malformed, as OpenSSL's decoder would.
absl::Status ReadSanNames(const Tlv& sequence, std::vector<absl::string_view>* names) {
  Reader general_names = Reader::Inside(sequence);
  while (!general_names.empty()) {
    Tlv name;
    SM_RETURN_IF_ERROR(general_names.Read(&name));
    switch (name.tag) {
      case der::ContextTag(2, false):  // dNSName
        names->emplace_back(name.content);
        break;
      case der::ContextTag(1, false):  // rfc822Name
      case der::ContextTag(6, false):  // uniformResourceIdentifier
      case der::ContextTag(7, false):  // iPAddress
        break;                         // dumps list DNS names only
      case der::ContextTag(8, false):  // registeredID
      {
        std::string oid;
        if (!der::OidToText(name.content, &oid)) return der::DerError(name.offset, "bad OID");
        break;
      }
      case der::ContextTag(0, true):  // otherName: SEQUENCE-like { type-id, [0] EXPLICIT value }
      {
        Reader parts = Reader::Inside(name);
        Tlv type, value;
        SM_RETURN_IF_ERROR(parts.Read(der::kOid, "otherName type-id", &type));
        SM_RETURN_IF_ERROR(parts.Read(der::ContextTag(0, true), "otherName value", &value));
        if (!parts.empty()) return der::DerError(parts.offset(), "data after otherName");
        break;
      }
      case der::ContextTag(4, true):  // directoryName: [4] EXPLICIT Name
      {
        Tlv dn;
        Reader inner = Reader::Inside(name);
        SM_RETURN_IF_ERROR(inner.Read(der::kSequence, "directoryName", &dn));
        if (!inner.empty()) return der::DerError(inner.offset(), "data after directoryName");
        NameInfo info;
        SM_RETURN_IF_ERROR(ReadName(dn, &info));
        if (!info.openssl_accepts) return der::DerError(dn.offset, "directoryName value");
        break;
      }
      case der::ContextTag(3, true):  // x400Address
      case der::ContextTag(5, true):  // ediPartyName
        break;
      default:
        return der::DerError(name.offset, "not a GeneralName");
    }
  }
  return absl::OkStatus();
}

// The URIs of the fullNames of the CRLDistributionPoints `sequence`, in order, without repeats.
absl::Status ReadCrlUrls(const Tlv& sequence, std::vector<std::string>* urls) {
  Reader points = Reader::Inside(sequence);
  while (!points.empty()) {
    Tlv point;
    SM_RETURN_IF_ERROR(points.Read(der::kSequence, "DistributionPoint", &point));
    Reader fields = Reader::Inside(point);
    if (!fields.PeekTag(der::ContextTag(0, true))) continue;  // only reasons or a cRLIssuer
    Tlv distribution_point, choice;
    SM_RETURN_IF_ERROR(fields.Read(&distribution_point));
    Reader inner = Reader::Inside(distribution_point);
    SM_RETURN_IF_ERROR(inner.Read(&choice));
    // nameRelativeToCRLIssuer [1] names no location to fetch.
    if (choice.tag != der::ContextTag(0, true)) continue;
    Reader names = Reader::Inside(choice);
    while (!names.empty()) {
      Tlv general_name;
      SM_RETURN_IF_ERROR(names.Read(&general_name));
      // A directoryName or dNSName is not fetchable.
      if (general_name.tag != der::ContextTag(6, false)) continue;
      const absl::string_view url = general_name.content;
      if (std::find(urls->begin(), urls->end(), url) == urls->end()) urls->emplace_back(url);
    }
  }
  return absl::OkStatus();
}

absl::Status ReadTime(const Tlv& tlv, absl::string_view what, absl::Time* out) {
  der::TimeParts parts;
  const absl::string_view problem = der::ReadTime(tlv, &parts);
  if (!problem.empty()) return absl::InvalidArgumentError(absl::StrCat("unreadable ", what));
  parts.fraction = {};  // ASN1_TIME_to_tm, which the inventory's times came from, has none
  *out = der::ToAbslTime(parts);
  return absl::OkStatus();
}

// Wraps a failure of the outer structure: "corrupt certificate: at byte 4: ...".
absl::Status Malformed(const absl::Status& status) {
  return absl::InvalidArgumentError(absl::StrCat("corrupt certificate: ", status.message()));
}

// Reads the extensions list `list` into `cert`, and the SAN dNSNames into `names` (views of
// `list`'s DER); `serial_content` for the ARI id.
void ReadExtensions(const Tlv& list, absl::string_view serial_content, Certificate* cert,
                    std::vector<absl::string_view>* names, bool* san_ok,
                    std::vector<std::string>* undecoded) {
  Reader extensions = Reader::Inside(list);
  // OpenSSL takes an extension that occurs twice as absent (X509_get_ext_d2i); so does this
  // reader, and says so for the SAN.
  int san_seen = 0, aki_seen = 0, ski_seen = 0, bc_seen = 0, cdp_seen = 0;
  std::vector<absl::string_view> san_names;
  std::vector<std::string> urls;
  std::string aki, ski;
  bool is_ca = false, has_key_id = false;
  bool aki_ok = true, ski_ok = true, bc_ok = true, cdp_ok = true;
  while (!extensions.empty()) {
    der::Extension ext;
    if (!der::ReadExtension(&extensions, &ext).ok()) {
      undecoded->push_back("extensions not decodable; judged by serial only");
      *san_ok = false;
      return;
    }
    const absl::string_view id = ext.id.content;
    Tlv value;
    if (id == kOidSubjectAltName) {
      ++san_seen;
      san_names.clear();
      *san_ok &= der::ReadOnly(ext.value, der::kSequence, "subjectAltName", &value).ok() &&
                 ReadSanNames(value, &san_names).ok();
    } else if (id == kOidAuthorityKeyId) {
      ++aki_seen;
      aki.clear();
      has_key_id = false;
      aki_ok = der::ReadOnly(ext.value, der::kSequence, "authorityKeyIdentifier", &value).ok();
      if (aki_ok) {
        Reader fields = Reader::Inside(value);
        if (fields.PeekTag(der::ContextTag(0, false))) {
          Tlv key_id;
          aki_ok = fields.Read(&key_id).ok();
          aki = std::string(key_id.content);
          has_key_id = aki_ok;
        }
      }
    } else if (id == kOidSubjectKeyId) {
      ++ski_seen;
      ski_ok = der::ReadOnly(ext.value, der::kOctetString, "subjectKeyIdentifier", &value).ok();
      ski = ski_ok ? std::string(value.content) : "";
    } else if (id == kOidBasicConstraints) {
      ++bc_seen;
      is_ca = false;
      bc_ok = der::ReadOnly(ext.value, der::kSequence, "basicConstraints", &value).ok();
      if (bc_ok) {
        Reader fields = Reader::Inside(value);
        if (fields.PeekTag(der::kBoolean)) {
          Tlv ca;
          bc_ok = fields.Read(&ca).ok() && ca.content.size() == 1;
          is_ca = bc_ok && ca.content[0] != 0;
        }
      }
    } else if (id == kOidCrlDistributionPoints) {
      ++cdp_seen;
      urls.clear();
      cdp_ok = der::ReadOnly(ext.value, der::kSequence, "cRLDistributionPoints", &value).ok() &&
               ReadCrlUrls(value, &urls).ok();
    }
  }
  if (san_seen > 1) *san_ok = false;
  if (*san_ok && san_seen == 1) *names = std::move(san_names);
  if (!*san_ok)
    undecoded->push_back("subject alternative names not decodable; judged by serial only");
  if (aki_seen > 1 || !aki_ok) {
    undecoded->push_back("authority key identifier not decodable");
  } else if (has_key_id) {  // an AKI naming only the issuer and serial gives no ARI id
    cert->authority_key_id = absl::BytesToHexString(aki);
    cert->ari_cert_id = AriCertId(aki, serial_content);
  }
  if (ski_seen > 1 || !ski_ok) {
    undecoded->push_back("subject key identifier not decodable");
  } else {
    cert->subject_key_id = absl::BytesToHexString(ski);
  }
  if (bc_seen > 1 || !bc_ok) {
    undecoded->push_back("basic constraints not decodable");
  } else {
    cert->is_ca = is_ca;
  }
  if (cdp_seen > 1 || !cdp_ok) {
    undecoded->push_back("CRL distribution points not decodable");
  } else {
    cert->crl_urls = std::move(urls);
  }
}

}  // namespace

bool AttributeValueToUtf8(absl::string_view value, std::string* out) {
  Reader reader(value);
  Tlv tlv;
  if (!reader.Read(&tlv).ok() || !reader.empty()) return false;
  return ValueToUtf8(tlv, out);
}

absl::StatusOr<Certificate> ReadX509Certificate(absl::string_view der,
                                                std::vector<std::string>* undecoded) {
  Reader outer(der);
  Tlv certificate, tbs, signature_algorithm, signature;
  absl::Status status = outer.Read(der::kSequence, "Certificate", &certificate);
  if (status.ok() && !outer.empty()) status = der::DerError(outer.offset(), "data after it");
  if (!status.ok()) return Malformed(status);
  Reader parts = Reader::Inside(certificate);
  status = parts.Read(der::kSequence, "tbsCertificate", &tbs);
  if (status.ok()) status = parts.Read(der::kSequence, "signatureAlgorithm", &signature_algorithm);
  if (status.ok()) status = parts.Read(der::kBitString, "signatureValue", &signature);
  if (status.ok() && !parts.empty()) {
    status = der::DerError(parts.offset(), "data after signatureValue");
  }
  if (!status.ok()) return Malformed(status);

  Reader fields = Reader::Inside(tbs);
  Tlv version, serial, algorithm, issuer, validity, subject, spki;
  if (fields.PeekTag(der::ContextTag(0, true))) status = fields.Read(&version);
  if (status.ok()) status = fields.Read(der::kInteger, "serialNumber", &serial);
  if (status.ok()) status = fields.Read(der::kSequence, "signature", &algorithm);
  if (status.ok()) status = fields.Read(der::kSequence, "issuer", &issuer);
  if (status.ok()) status = fields.Read(der::kSequence, "validity", &validity);
  if (status.ok()) status = fields.Read(der::kSequence, "subject", &subject);
  if (status.ok()) status = fields.Read(der::kSequence, "subjectPublicKeyInfo", &spki);
  if (!status.ok()) return Malformed(status);

  Certificate cert;
  if (serial.content.empty()) return absl::InvalidArgumentError("unreadable serial number");
  SM_ASSIGN_OR_RETURN(cert.serial, SerialFromDerInteger(serial.content));

  NameInfo issuer_info;
  status = ReadName(issuer, &issuer_info);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("issuer name not decodable: ", status.message()));
  }
  cert.issuer = std::move(issuer_info.text);
  cert.issuer_cn = std::move(issuer_info.common_name);
  if (!issuer_info.openssl_accepts) {
    undecoded->push_back("issuer name holds a value OpenSSL refuses; compared as written");
  }

  Reader times = Reader::Inside(validity);
  Tlv not_before, not_after;
  status = times.Read(&not_before);
  if (status.ok()) status = times.Read(&not_after);
  if (status.ok() && !times.empty()) status = der::DerError(times.offset(), "data after notAfter");
  if (!status.ok()) return Malformed(status);
  SM_RETURN_IF_ERROR(ReadTime(not_before, "notBefore", &cert.not_before));
  SM_RETURN_IF_ERROR(ReadTime(not_after, "notAfter", &cert.not_after));

  cert.sha256 = Sha256Hex(certificate.element);
  cert.spki_sha256 = Sha256Hex(spki.element);

  // issuerUniqueID [1], subjectUniqueID [2], extensions [3].
  std::vector<absl::string_view> names;  // SAN dNSNames, views of `der`
  bool san_ok = true;
  bool extensions_read = false;
  while (!fields.empty()) {
    Tlv field;
    status = fields.Read(&field);
    if (!status.ok()) {
      undecoded->push_back("extensions not decodable; judged by serial only");
      san_ok = false;
      break;
    }
    if (field.tag == der::ContextTag(1, false) || field.tag == der::ContextTag(2, false)) continue;
    if (field.tag != der::ContextTag(3, true) || extensions_read) {
      undecoded->push_back("extensions not decodable; judged by serial only");
      san_ok = false;
      break;
    }
    extensions_read = true;
    Tlv list;
    if (!der::ReadOnly(field, der::kSequence, "extensions", &list).ok()) {
      undecoded->push_back("extensions not decodable; judged by serial only");
      san_ok = false;
      break;
    }
    ReadExtensions(list, serial.content, &cert, &names, &san_ok, undecoded);
  }
  // Names read from a SAN before the TBS turned out broken after it are not to be trusted.
  if (!san_ok) names.clear();
  if (cert.is_ca) cert.public_key_der = std::string(spki.element);

  NameInfo subject_info;
  const bool subject_ok = ReadName(subject, &subject_info).ok() && subject_info.openssl_accepts;
  if (subject_ok) {
    cert.subject = std::move(subject_info.text);
    cert.subject_cn = std::move(subject_info.common_name);
  } else {
    undecoded->push_back(san_ok && !names.empty()
                             ? "subject name not decodable; judged by serial and SAN names"
                             : "subject name not decodable; judged by serial only");
  }

  // A name that does not normalise (a CA's CN "Example Root CA") can equal no dump name, whose
  // names are normalised too; the certificate is still matched by its serial.
  std::string scratch;
  auto normal_form = [&scratch](absl::string_view name) {
    const absl::StatusOr<absl::string_view> normal = NormalizeName(name, &scratch);
    return normal.ok() ? *normal : absl::string_view();
  };
  size_t bytes = 0;
  for (absl::string_view name : names) bytes += name.size();
  cert.dns_names.Reserve(names.size(), bytes);
  for (absl::string_view name : names) cert.dns_names.Add(name, normal_form(name));
  // Certificates without SAN dNSNames are matched by their subject CN, as legacy clients did;
  // never one whose SAN could not be read (its names are unknown, not absent).
  if (names.empty() && san_ok && !cert.subject_cn.empty()) {
    cert.dns_names.AddMatchOnly(normal_form(cert.subject_cn));
  }
  return cert;
}

}  // namespace serialmatch::inventory
