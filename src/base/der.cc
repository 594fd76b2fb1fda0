#include "src/base/der.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace serialmatch::der {

absl::Status DerError(size_t offset, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("at byte ", offset, ": ", what));
}

absl::Status Reader::Read(Tlv* tlv) {
  const size_t start = pos_;
  const size_t size = data_.size();
  if (start >= size) return DerError(base_ + start, "expected an element, got the end of the data");
  const uint8_t tag = static_cast<uint8_t>(data_[start]);
  if ((tag & 0x1f) == 0x1f) {
    return DerError(base_ + start,
                    absl::StrFormat("high tag number form (identifier 0x%02x) not supported", tag));
  }
  if (start + 1 >= size) return DerError(base_ + start, "truncated: no length after the tag");
  const uint8_t first = static_cast<uint8_t>(data_[start + 1]);
  size_t length = 0;
  size_t header = 2;
  if (first < 0x80) {
    length = first;
  } else if (first == 0x80) {
    return DerError(base_ + start, "indefinite length (0x80), which DER forbids");
  } else {
    const size_t bytes = first & 0x7f;
    if (bytes > 4) {
      return DerError(base_ + start,
                      absl::StrCat("length field of ", bytes, " bytes is too long (at most 4)"));
    }
    if (size - start - 2 < bytes) return DerError(base_ + start, "truncated length field");
    for (size_t i = 0; i < bytes; ++i) {
      length = (length << 8) | static_cast<uint8_t>(data_[start + 2 + i]);
    }
    // DER lengths are minimal: no leading zero byte, and the long form only from 128 on.
    if (static_cast<uint8_t>(data_[start + 2]) == 0 || length < 0x80) {
      return DerError(base_ + start, absl::StrCat("length ", length, " not minimally encoded"));
    }
    header += bytes;
  }
  if (size - start - header < length) {
    return DerError(base_ + start,
                    absl::StrCat("length ", length, " runs past the end of the data (",
                                 size - start - header, " bytes left)"));
  }
  tlv->tag = tag;
  tlv->offset = base_ + start;
  tlv->content_offset = base_ + start + header;
  tlv->content = data_.substr(start + header, length);
  tlv->element = data_.substr(start, header + length);
  pos_ = start + header + length;
  return absl::OkStatus();
}

absl::Status Reader::Read(uint8_t tag, absl::string_view what, Tlv* tlv) {
  if (pos_ < data_.size() && static_cast<uint8_t>(data_[pos_]) != tag) {
    return DerError(base_ + pos_, absl::StrFormat("%s: expected tag 0x%02x, got 0x%02x", what, tag,
                                                  static_cast<uint8_t>(data_[pos_])));
  }
  const absl::Status status = Read(tlv);
  if (!status.ok())
    return absl::InvalidArgumentError(absl::StrCat(status.message(), " (", what, ")"));
  return status;
}

bool SmallNonNegative(absl::string_view content, int64_t* value) {
  if (content.empty() || content.size() > 8) return false;
  const uint8_t first = static_cast<uint8_t>(content[0]);
  if (first & 0x80) return false;
  // A leading zero byte is allowed only before a byte with the top bit set.
  if (content.size() > 1 && first == 0 && !(static_cast<uint8_t>(content[1]) & 0x80)) return false;
  uint64_t v = 0;
  for (char c : content) v = (v << 8) | static_cast<uint8_t>(c);
  *value = static_cast<int64_t>(v);
  return true;
}

std::string Element(uint8_t tag, absl::string_view content) {
  std::string out(1, static_cast<char>(tag));
  size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<char>(n));
  } else {
    std::string length;
    for (; n > 0; n >>= 8) length.insert(length.begin(), static_cast<char>(n & 0xff));
    out.push_back(static_cast<char>(0x80 | length.size()));
    out += length;
  }
  out.append(content.data(), content.size());
  return out;
}

}  // namespace serialmatch::der
