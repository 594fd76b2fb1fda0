// A small, bounds-checked reader of DER (ITU-T X.690 Distinguished Encoding Rules), the encoding
// of certificates and CRLs, for parsers that read them straight from a dump's bytes without
// OpenSSL objects (see src/dump/crl_parser.h). It reads one TLV (tag, length, value) at a time and
// refuses what DER forbids and a parser must not guess at: indefinite lengths (0x80), high tag
// numbers (tag byte xxx11111), lengths that are not minimal or need more than 4 bytes, and lengths
// that run past the input. Each failure is an absl::Status naming what was wrong and the byte
// offset of the element, counted from the start of the document (see `base_offset`).
//
//   der::Reader reader(crl_der);
//   der::Tlv list;
//   SM_RETURN_IF_ERROR(reader.Read(der::kSequence, "CertificateList", &list));
//   der::Reader inside = reader.Inside(list);  // the elements of the SEQUENCE
//
// Views returned point into the input; the input must outlive them.
#ifndef SERIALMATCH_SRC_BASE_DER_H_
#define SERIALMATCH_SRC_BASE_DER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace serialmatch::der {

// Identifier octets (low-tag-number form: class, constructed bit, number below 31).
inline constexpr uint8_t kBoolean = 0x01;
inline constexpr uint8_t kInteger = 0x02;
inline constexpr uint8_t kBitString = 0x03;
inline constexpr uint8_t kOctetString = 0x04;
inline constexpr uint8_t kNull = 0x05;
inline constexpr uint8_t kOid = 0x06;
inline constexpr uint8_t kEnumerated = 0x0a;
inline constexpr uint8_t kUtf8String = 0x0c;
inline constexpr uint8_t kNumericString = 0x12;
inline constexpr uint8_t kPrintableString = 0x13;
inline constexpr uint8_t kTeletexString = 0x14;
inline constexpr uint8_t kIa5String = 0x16;
inline constexpr uint8_t kUtcTime = 0x17;
inline constexpr uint8_t kGeneralizedTime = 0x18;
inline constexpr uint8_t kUniversalString = 0x1c;
inline constexpr uint8_t kBmpString = 0x1e;
inline constexpr uint8_t kSequence = 0x30;
inline constexpr uint8_t kSet = 0x31;

// The identifier of a context-specific tag [n] (n < 31), constructed or primitive.
constexpr uint8_t ContextTag(int n, bool constructed) {
  return static_cast<uint8_t>(0x80 | (constructed ? 0x20 : 0) | n);
}

// One element. `element` is the whole encoding (identifier, length and contents), `content` the
// contents octets; both view the reader's input.
struct Tlv {
  uint8_t tag = 0;
  absl::string_view content;
  absl::string_view element;
  size_t offset = 0;          // of the identifier octet, from the start of the document
  size_t content_offset = 0;  // of the first contents octet, likewise
};

// Reads the elements of `data` one after the other.
class Reader {
 public:
  // `base_offset` is the offset of data[0] in the whole document, for messages.
  explicit Reader(absl::string_view data, size_t base_offset = 0)
      : data_(data), base_(base_offset) {}

  // A reader of the contents of `tlv` (the elements inside a SEQUENCE, SET or [n]).
  static Reader Inside(const Tlv& tlv) { return Reader(tlv.content, tlv.content_offset); }

  bool empty() const { return pos_ == data_.size(); }
  // The offset in the document of the next byte to read.
  size_t offset() const { return base_ + pos_; }
  // The bytes not yet read.
  absl::string_view rest() const { return data_.substr(pos_); }
  // True when there is a next element and its identifier is `tag` (reads nothing).
  bool PeekTag(uint8_t tag) const {
    return pos_ < data_.size() && static_cast<uint8_t>(data_[pos_]) == tag;
  }

  // Reads the next element into `*tlv`. Fails, reading nothing, when there is none or it is not
  // valid DER: "at byte 17: indefinite length (0x80), which DER forbids".
  [[nodiscard]] absl::Status Read(Tlv* tlv);
  // The same, and fails unless its identifier is `tag`: "at byte 17: <what>: expected tag 0x30,
  // got 0x31". `what` names the element for messages ("tbsCertList").
  [[nodiscard]] absl::Status Read(uint8_t tag, absl::string_view what, Tlv* tlv);

 private:
  absl::string_view data_;
  size_t base_;
  size_t pos_ = 0;
};

// The error every DER failure is reported with: kInvalidArgument "at byte <offset>: <what>".
absl::Status DerError(size_t offset, absl::string_view what);

// The value of the DER INTEGER or ENUMERATED contents `content` when it is non-negative and fits
// in 63 bits; false otherwise (empty, negative, too long, or a redundant leading byte).
bool SmallNonNegative(absl::string_view content, int64_t* value);

// One DER element: `tag`, the definite length of `content` in its shortest form, `content`. What
// tests, benchmarks and fuzz seeds build CRLs (and broken ones) with.
std::string Element(uint8_t tag, absl::string_view content);

}  // namespace serialmatch::der

#endif  // SERIALMATCH_SRC_BASE_DER_H_
