#include "src/base/diagnostics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace serialmatch {

void Diagnostics::Report(uint64_t line, absl::string_view reason) {
  ++count_;
  if (samples_.size() < max_samples_) samples_.push_back({line, std::string(reason)});
}

void Diagnostics::Merge(const Diagnostics& other, uint64_t line_offset) {
  count_ += other.count_;
  for (const DiagnosticSample& s : other.samples_) {
    if (samples_.size() >= max_samples_) break;
    samples_.push_back({s.line == 0 ? 0 : s.line + line_offset, s.reason});
  }
}

std::string Diagnostics::Render() const {
  std::string out;
  for (const DiagnosticSample& s : samples_) {
    if (s.line == 0 && path_.empty()) {
      absl::StrAppend(&out, s.reason, "\n");
    } else if (s.line == 0) {
      absl::StrAppend(&out, path_, ": ", s.reason, "\n");
    } else {
      absl::StrAppend(&out, path_, ":", s.line, ": ", s.reason, "\n");
    }
  }
  if (count_ > samples_.size()) {
    absl::StrAppend(&out, path_.empty() ? "" : absl::StrCat(path_, ": "), count_ - samples_.size(),
                    " more problem", count_ - samples_.size() == 1 ? "" : "s", " not shown (",
                    count_, " in all)\n");
  }
  return out;
}

std::string GroupThousands(uint64_t n) {
  const std::string digits = absl::StrCat(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string QuoteForMessage(absl::string_view text, size_t max_len) {
  std::string out;
  const bool cut = text.size() > max_len;
  if (cut) text = text.substr(0, max_len);
  for (unsigned char c : text) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppendFormat(&out, "\\x%02x", c);
    }
  }
  if (cut) out += "...";
  return out;
}

}  // namespace serialmatch
