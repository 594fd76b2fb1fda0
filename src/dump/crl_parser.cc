#include "src/dump/crl_parser.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/base/der.h"
#include "src/base/der_text.h"
#include "src/base/serial.h"
#include "src/base/status_macros.h"

namespace serialmatch::dump {
namespace {

using der::AppendRfc3339;
using der::DerError;
using der::Extension;
using der::OidToText;
using der::Reader;
using der::ReadExtension;
using der::ReadOnly;
using der::ReadTime;
using der::ReadTimeOrFail;
using der::RenderName;
using der::TimeParts;
using der::Tlv;

constexpr absl::string_view kPemBegin = "-----BEGIN X509 CRL-----";
constexpr absl::string_view kPemEnd = "-----END X509 CRL-----";

// OIDs (contents octets) of the extensions read.
constexpr absl::string_view kOidAuthorityKeyId("\x55\x1d\x23", 3);     // 2.5.29.35
constexpr absl::string_view kOidCrlNumber("\x55\x1d\x14", 3);          // 2.5.29.20
constexpr absl::string_view kOidDeltaCrlIndicator("\x55\x1d\x1b", 3);  // 2.5.29.27
constexpr absl::string_view kOidIssuingDistPoint("\x55\x1d\x1c", 3);   // 2.5.29.28
constexpr absl::string_view kOidReasonCode("\x55\x1d\x15", 3);         // 2.5.29.21
constexpr absl::string_view kOidInvalidityDate("\x55\x1d\x18", 3);     // 2.5.29.24
constexpr absl::string_view kOidCertificateIssuer("\x55\x1d\x1d", 3);  // 2.5.29.29

// ---------------------------------------------------------------------------------------------
// Header extensions.

// The decimal digits of the non-negative DER INTEGER contents `content` (any length).
bool IntegerToDecimal(absl::string_view content, std::string* out) {
  out->clear();
  if (content.empty() || (static_cast<uint8_t>(content[0]) & 0x80)) return false;
  std::vector<uint8_t> n(content.begin(), content.end());
  std::string digits;
  size_t start = 0;
  while (start < n.size() && n[start] == 0) ++start;
  while (start < n.size()) {
    uint32_t remainder = 0;
    for (size_t i = start; i < n.size(); ++i) {
      const uint32_t v = (remainder << 8) | n[i];
      n[i] = static_cast<uint8_t>(v / 10);
      remainder = v % 10;
    }
    digits.push_back(static_cast<char>('0' + remainder));
    while (start < n.size() && n[start] == 0) ++start;
  }
  if (digits.empty()) digits = "0";
  out->assign(digits.rbegin(), digits.rend());
  return true;
}

absl::Status ReadCrlExtensions(const Tlv& wrapper, CrlDocument* crl) {
  Tlv list;
  SM_RETURN_IF_ERROR(ReadOnly(wrapper, der::kSequence, "crlExtensions", &list));
  Reader extensions = Reader::Inside(list);
  std::string oid_text;
  while (!extensions.empty()) {
    Extension ext;
    SM_RETURN_IF_ERROR(ReadExtension(&extensions, &ext));
    const absl::string_view id = ext.id.content;
    if (id == kOidAuthorityKeyId) {
      Tlv aki;
      SM_RETURN_IF_ERROR(ReadOnly(ext.value, der::kSequence, "authorityKeyIdentifier", &aki));
      Reader fields = Reader::Inside(aki);
      if (fields.PeekTag(der::ContextTag(0, false))) {
        Tlv key_id;
        SM_RETURN_IF_ERROR(fields.Read(&key_id));
        crl->authority_key_id = absl::BytesToHexString(key_id.content);
      }
    } else if (id == kOidCrlNumber || id == kOidDeltaCrlIndicator) {
      const bool delta = id == kOidDeltaCrlIndicator;
      Tlv number;
      SM_RETURN_IF_ERROR(
          ReadOnly(ext.value, der::kInteger, delta ? "BaseCRLNumber" : "cRLNumber", &number));
      if (!IntegerToDecimal(number.content, delta ? &crl->base_crl_number : &crl->crl_number)) {
        return DerError(number.offset, "negative or empty CRL number");
      }
      crl->delta_crl |= delta;
    } else if (id == kOidIssuingDistPoint) {
      Tlv idp;
      SM_RETURN_IF_ERROR(ReadOnly(ext.value, der::kSequence, "issuingDistributionPoint", &idp));
      Reader fields = Reader::Inside(idp);
      while (!fields.empty()) {
        Tlv field;
        SM_RETURN_IF_ERROR(fields.Read(&field));
        if (field.tag == der::ContextTag(0, true)) {  // distributionPoint (a CHOICE: explicit)
          Reader inner = Reader::Inside(field);
          Tlv choice;
          SM_RETURN_IF_ERROR(inner.Read(&choice));
          if (choice.tag != der::ContextTag(0, true)) continue;  // nameRelativeToCRLIssuer: no URI
          Reader names = Reader::Inside(choice);
          while (!names.empty()) {
            Tlv general_name;
            SM_RETURN_IF_ERROR(names.Read(&general_name));
            if (general_name.tag == der::ContextTag(6, false)) {  // uniformResourceIdentifier
              crl->distribution_point_uris.emplace_back(general_name.content);
            }
          }
        } else if (field.tag == der::ContextTag(4, false)) {  // indirectCRL
          crl->indirect_crl = field.content.size() == 1 && field.content[0] != 0;
        }
      }
    } else if (ext.critical) {
      if (!OidToText(id, &oid_text)) return DerError(ext.id.offset, "invalid extension OID");
      crl->unrecognized_critical_extensions.push_back(oid_text);
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Documents.

// Calls `fn(der, pem_line)` for the one DER CRL of `text`, or for each PEM block's DER (decoded
// into
// `*storage`, pem_line the BEGIN line), in order.
template <typename Fn>
absl::Status ForEachCrlDer(absl::string_view text, Fn fn) {
  if (!text.empty() && static_cast<uint8_t>(text[0]) == der::kSequence) {
    Reader reader(text);
    Tlv list;
    SM_RETURN_IF_ERROR(reader.Read(der::kSequence, "CertificateList", &list));
    const absl::string_view rest = reader.rest();
    if (!std::all_of(rest.begin(), rest.end(),
                     [](char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); })) {
      return DerError(reader.offset(), "data after the CRL");
    }
    return fn(list.element, uint64_t{0}, std::shared_ptr<const std::string>());
  }
  size_t pos = 0;
  uint64_t line = 1;
  size_t line_counted = 0;
  int blocks = 0;
  while (true) {
    const size_t begin = text.find(kPemBegin, pos);
    if (begin == absl::string_view::npos) break;
    line += static_cast<uint64_t>(std::count(text.begin() + static_cast<ptrdiff_t>(line_counted),
                                             text.begin() + static_cast<ptrdiff_t>(begin), '\n'));
    line_counted = begin;
    const size_t body = begin + kPemBegin.size();
    const size_t end = text.find(kPemEnd, body);
    if (end == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line, ": PEM X509 CRL block without its END line"));
    }
    std::string base64;
    base64.reserve(end - body);
    for (size_t i = body; i < end; ++i) {
      const char c = text[i];
      if (!absl::ascii_isspace(static_cast<unsigned char>(c))) base64.push_back(c);
    }
    auto decoded = std::make_shared<std::string>();
    if (!absl::Base64Unescape(base64, decoded.get())) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line, ": PEM X509 CRL block with invalid base64"));
    }
    ++blocks;
    Reader reader(*decoded);
    Tlv list;
    absl::Status status = reader.Read(der::kSequence, "CertificateList", &list);
    if (status.ok() && !reader.empty()) status = DerError(reader.offset(), "data after the CRL");
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("CRL ", blocks, " (PEM block at line ", line, "): ", status.message()));
    }
    status = fn(list.element, line, std::shared_ptr<const std::string>(std::move(decoded)));
    if (!status.ok()) {
      return absl::Status(status.code(), absl::StrCat("CRL ", blocks, " (PEM block at line ", line,
                                                      "): ", status.message()));
    }
    pos = end + kPemEnd.size();
  }
  if (blocks == 0) {
    return absl::InvalidArgumentError(
        "not a CRL: neither DER (a SEQUENCE) nor PEM with a '-----BEGIN X509 CRL-----' line");
  }
  return absl::OkStatus();
}

// The canonical serial of INTEGER contents `content` into `*scratch`: the common positive case
// written here without allocating, the negative one by SerialFromDerInteger. Returns what was
// wrong, or "".
absl::string_view CanonicalSerial(absl::string_view content, std::string* scratch) {
  if (content.empty()) return "empty serial INTEGER";
  if (static_cast<uint8_t>(content[0]) & 0x80) {
    absl::StatusOr<std::string> serial = SerialFromDerInteger(content);
    if (!serial.ok()) return "serial longer than serialmatch accepts";
    *scratch = *std::move(serial);
    return "";
  }
  size_t skip = 0;
  while (skip + 1 < content.size() && content[skip] == 0) ++skip;
  const size_t bytes = content.size() - skip;
  if (2 * bytes > kMaxSerialHexDigits) return "serial longer than serialmatch accepts";
  static constexpr char kDigits[] = "0123456789abcdef";
  scratch->resize(2 * bytes);
  char* out = scratch->data();
  for (size_t i = skip; i < content.size(); ++i) {
    const uint8_t b = static_cast<uint8_t>(content[i]);
    *out++ = kDigits[b >> 4];
    *out++ = kDigits[b & 15];
  }
  return "";
}

constexpr absl::string_view kReasonNames[] = {
    "unspecified",   "keyCompromise",        "cACompromise",    "affiliationChanged",
    "superseded",    "cessationOfOperation", "certificateHold", "",
    "removeFromCRL", "privilegeWithdrawn",   "aACompromise"};

// Walks the entries of `crl`, numbering them from `*line` + 1.
absl::Status WalkEntries(const CrlDocument& crl, uint64_t* line, DumpRecord* record,
                         absl::FunctionRef<void(uint64_t)> on_record,
                         absl::FunctionRef<void(uint64_t, absl::string_view)> on_malformed) {
  Reader entries(crl.revoked_certificates, crl.revoked_certificates_offset);
  std::string reason_scratch;  // "reason 11"
  std::string message;
  // The issuer of the entries: the CRL's, until a certificateIssuer extension names another.
  std::string entry_issuer;  // another issuer's rendered name, when `other_issuer`
  bool other_issuer = false;
  bool issuer_unknown = false;  // a certificateIssuer that could not be read
  uint64_t issuer_unknown_since = 0;
  TimeParts time;
  while (!entries.empty()) {
    Tlv entry;
    SM_RETURN_IF_ERROR(entries.Read(&entry));  // cannot read on past a bad outer TLV
    const uint64_t number = ++*line;
    auto malformed = [&](size_t offset, absl::string_view what) {
      message = absl::StrCat("CRL entry at byte ", offset, ": ", what);
      on_malformed(number, message);
    };
    if (entry.tag != der::kSequence) {
      malformed(entry.offset,
                absl::StrFormat("expected a SEQUENCE (0x30), got tag 0x%02x", entry.tag));
      continue;
    }
    Reader fields = Reader::Inside(entry);
    Tlv serial, date, extensions;
    absl::Status status = fields.Read(der::kInteger, "userCertificate", &serial);
    if (status.ok()) status = fields.Read(&date);
    if (status.ok() && !fields.empty()) {
      status = fields.Read(der::kSequence, "crlEntryExtensions", &extensions);
    }
    if (status.ok() && !fields.empty()) {
      status = DerError(fields.offset(), "data after crlEntryExtensions");
    }
    if (!status.ok()) {
      malformed(entry.offset, status.message());
      continue;
    }
    record->Clear();
    absl::string_view problem = CanonicalSerial(serial.content, &record->serial_scratch);
    if (!problem.empty()) {
      malformed(serial.offset, problem);
      continue;
    }
    problem = ReadTime(date, &time);
    if (!problem.empty()) {
      malformed(date.offset, absl::StrCat("revocationDate: ", problem));
      continue;
    }
    // Entry extensions: reasonCode, certificateIssuer; invalidityDate is not needed.
    absl::string_view reason;
    bool has_reason = false;
    bool bad = false;
    Reader exts = Reader::Inside(extensions);
    while (!bad && !exts.empty()) {
      Extension ext;
      status = ReadExtension(&exts, &ext);
      if (!status.ok()) {
        malformed(entry.offset, status.message());
        bad = true;
        break;
      }
      const absl::string_view id = ext.id.content;
      if (id == kOidReasonCode) {
        Tlv code;
        int64_t value = 0;
        status = ReadOnly(ext.value, der::kEnumerated, "reasonCode", &code);
        if (!status.ok() || has_reason || !der::SmallNonNegative(code.content, &value)) {
          malformed(ext.value.offset,
                    has_reason ? "two reasonCode extensions" : "unreadable reasonCode");
          bad = true;
          break;
        }
        has_reason = true;
        reason = CrlReasonName(value);
        if (reason.empty()) {
          reason_scratch = absl::StrCat("reason ", value);
          reason = reason_scratch;
        }
      } else if (id == kOidCertificateIssuer) {
        // GeneralNames: the first directoryName [4] (explicit, a Name is a CHOICE).
        Tlv names;
        status = ReadOnly(ext.value, der::kSequence, "certificateIssuer", &names);
        bool found = false;
        Reader general_names = Reader::Inside(names);
        while (status.ok() && !found && !general_names.empty()) {
          Tlv general_name;
          status = general_names.Read(&general_name);
          if (!status.ok() || general_name.tag != der::ContextTag(4, true)) continue;
          Tlv name;
          status = ReadOnly(general_name, der::kSequence, "directoryName", &name);
          if (status.ok()) status = RenderName(name, &entry_issuer);
          found = status.ok();
        }
        other_issuer = found;
        issuer_unknown = !found;
        if (!found) issuer_unknown_since = number;
      } else if (ext.critical && id != kOidInvalidityDate) {
        std::string oid_text;
        malformed(ext.id.offset,
                  OidToText(id, &oid_text)
                      ? absl::StrCat("unrecognised critical entry extension ", oid_text)
                      : std::string("unrecognised critical entry extension"));
        bad = true;
      }
    }
    if (bad) continue;
    if (issuer_unknown) {
      malformed(entry.offset,
                absl::StrCat("issuer unknown: the certificateIssuer extension of entry ",
                             issuer_unknown_since,
                             " names no readable directoryName, and this entry is not the "
                             "CRL issuer's"));
      continue;
    }
    record->serial = record->serial_scratch;
    record->time_scratch.clear();
    AppendRfc3339(time, &record->time_scratch);
    record->revoked_at = record->time_scratch;
    record->revocation_reason = reason;
    record->issuer = other_issuer ? absl::string_view(entry_issuer) : absl::string_view(crl.issuer);
    record->issuer_key_id = other_issuer ? absl::string_view() : crl.authority_key_id;
    record->issuer_exact = true;
    on_record(number);
  }
  return absl::OkStatus();
}

// Counts the entries (outer TLVs) of `crl`.
absl::Status CountEntries(CrlDocument* crl) {
  Reader entries(crl->revoked_certificates, crl->revoked_certificates_offset);
  uint64_t n = 0;
  while (!entries.empty()) {
    Tlv entry;
    SM_RETURN_IF_ERROR(entries.Read(&entry));
    ++n;
  }
  crl->entries = n;
  return absl::OkStatus();
}

// A TLV header read from a head that may end inside the element: the identifier and the length,
// not the contents. Sets `*header` to the header's size. False when the header is not valid DER.
bool PeekHeader(absl::string_view s, uint8_t* tag, size_t* length, size_t* header) {
  if (s.size() < 2) return false;
  *tag = static_cast<uint8_t>(s[0]);
  const uint8_t first = static_cast<uint8_t>(s[1]);
  if (first < 0x80) {
    *length = first;
    *header = 2;
    return true;
  }
  const size_t bytes = first & 0x7f;
  if (bytes == 0 || bytes > 4 || s.size() < 2 + bytes) return false;
  size_t n = 0;
  for (size_t i = 0; i < bytes; ++i) n = (n << 8) | static_cast<uint8_t>(s[2 + i]);
  *length = n;
  *header = 2 + bytes;
  return n >= 0x80;
}

}  // namespace

absl::string_view CrlReasonName(int64_t code) {
  if (code < 0 || code >= static_cast<int64_t>(std::size(kReasonNames))) return "";
  return kReasonNames[code];
}

absl::StatusOr<CrlDocument> ParseCrl(absl::string_view der) {
  CrlDocument crl;
  Reader outer(der);
  Tlv list;
  SM_RETURN_IF_ERROR(outer.Read(der::kSequence, "CertificateList", &list));
  if (!outer.empty()) return DerError(outer.offset(), "data after the CRL");
  crl.der = list.element;
  Reader parts = Reader::Inside(list);
  Tlv tbs, algorithm, signature;
  SM_RETURN_IF_ERROR(parts.Read(der::kSequence, "tbsCertList", &tbs));
  SM_RETURN_IF_ERROR(parts.Read(der::kSequence, "signatureAlgorithm", &algorithm));
  SM_RETURN_IF_ERROR(parts.Read(der::kBitString, "signatureValue", &signature));
  if (!parts.empty()) return DerError(parts.offset(), "data after signatureValue");
  if (signature.content.empty() || signature.content[0] != 0) {
    return DerError(signature.offset, "signatureValue with unused bits");
  }
  crl.tbs_cert_list = tbs.element;
  crl.signature_algorithm = algorithm.element;
  crl.signature = signature.content.substr(1);

  Reader fields = Reader::Inside(tbs);
  if (fields.PeekTag(der::kInteger)) {
    Tlv version;
    SM_RETURN_IF_ERROR(fields.Read(&version));
    int64_t v = -1;
    if (!der::SmallNonNegative(version.content, &v) || v > 1) {
      return DerError(version.offset, "unsupported CRL version (expected v2, INTEGER 1)");
    }
    crl.version = static_cast<int>(v) + 1;
  }
  Tlv tbs_algorithm, issuer, this_update;
  SM_RETURN_IF_ERROR(fields.Read(der::kSequence, "signature AlgorithmIdentifier", &tbs_algorithm));
  crl.tbs_signature_algorithm = tbs_algorithm.element;
  SM_RETURN_IF_ERROR(fields.Read(der::kSequence, "issuer Name", &issuer));
  crl.issuer_der = issuer.element;
  SM_RETURN_IF_ERROR(RenderName(issuer, &crl.issuer));
  SM_RETURN_IF_ERROR(fields.Read(&this_update));
  SM_RETURN_IF_ERROR(ReadTimeOrFail(this_update, "thisUpdate", &crl.this_update));
  if (fields.PeekTag(der::kUtcTime) || fields.PeekTag(der::kGeneralizedTime)) {
    Tlv next;
    SM_RETURN_IF_ERROR(fields.Read(&next));
    absl::Time next_update;
    SM_RETURN_IF_ERROR(ReadTimeOrFail(next, "nextUpdate", &next_update));
    crl.next_update = next_update;
  }
  if (fields.PeekTag(der::kSequence)) {
    Tlv revoked;
    SM_RETURN_IF_ERROR(fields.Read(&revoked));
    crl.revoked_certificates = revoked.content;
    crl.revoked_certificates_offset = revoked.content_offset;
  }
  if (fields.PeekTag(der::ContextTag(0, true))) {
    Tlv extensions;
    SM_RETURN_IF_ERROR(fields.Read(&extensions));
    SM_RETURN_IF_ERROR(ReadCrlExtensions(extensions, &crl));
  }
  if (!fields.empty()) {
    return DerError(fields.offset(), "unexpected element in tbsCertList (after thisUpdate)");
  }
  return crl;
}

absl::StatusOr<std::vector<CrlDocument>> ReadCrls(absl::string_view text) {
  std::vector<CrlDocument> crls;
  const absl::Status status =
      ForEachCrlDer(text,
                    [&](absl::string_view der, uint64_t pem_line,
                        std::shared_ptr<const std::string> storage) -> absl::Status {
                      SM_ASSIGN_OR_RETURN(CrlDocument crl, ParseCrl(der));
                      SM_RETURN_IF_ERROR(CountEntries(&crl));
                      crl.pem_line = pem_line;
                      crl.storage = std::move(storage);
                      crls.push_back(std::move(crl));
                      return absl::OkStatus();
                    });
  if (!status.ok()) return status;
  return crls;
}

LineKind CrlParser::Parse(absl::string_view line, DumpRecord* record, std::string* reason) const {
  record->Clear();
  return MalformedLine(reason, "a CRL is a whole document (DER or PEM), not read line by line",
                       line.substr(0, 40));
}

absl::Status CrlParser::ParseDocument(
    absl::string_view text, DumpRecord* record, absl::FunctionRef<void(uint64_t line)> on_record,
    absl::FunctionRef<void(uint64_t line, absl::string_view reason)> on_malformed) const {
  uint64_t line = 0;
  return ForEachCrlDer(text,
                       [&](absl::string_view der, uint64_t,
                           const std::shared_ptr<const std::string>&) -> absl::Status {
                         SM_ASSIGN_OR_RETURN(const CrlDocument crl, ParseCrl(der));
                         return WalkEntries(crl, &line, record, on_record, on_malformed);
                       });
}

bool CrlParser::Looks(absl::string_view head) {
  if (head.find(kPemBegin) != absl::string_view::npos) return true;
  uint8_t tag;
  size_t length, header;
  // CertificateList: long-form length (any real CRL is 128 bytes or more).
  if (!PeekHeader(head, &tag, &length, &header) || tag != der::kSequence || header == 2) {
    return false;
  }
  head.remove_prefix(header);
  if (!PeekHeader(head, &tag, &length, &header) || tag != der::kSequence) return false;
  head.remove_prefix(header);
  // The first elements of tbsCertList, which must lie wholly in the head.
  Reader fields(head);
  Tlv tlv;
  if (fields.PeekTag(der::kInteger) && !fields.Read(&tlv).ok()) return false;
  if (!fields.Read(der::kSequence, "", &tlv).ok()) return false;  // AlgorithmIdentifier
  if (!fields.Read(der::kSequence, "", &tlv).ok()) return false;  // issuer Name
  return fields.PeekTag(der::kUtcTime) || fields.PeekTag(der::kGeneralizedTime);
}

}  // namespace serialmatch::dump
