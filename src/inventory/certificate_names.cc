#include "src/inventory/certificate_names.h"

#include <algorithm>

namespace serialmatch::inventory {

std::vector<std::string> NameList::Strings() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (absl::string_view name : *this) out.emplace_back(name);
  return out;
}

bool operator==(const NameList& a, const NameList& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

std::ostream& operator<<(std::ostream& out, const NameList& list) {
  out << '[';
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out << ", ";
    out << '"' << list[i] << '"';
  }
  return out << ']';
}

NameSpan CertificateNames::Store(absl::string_view name) {
  const NameSpan span{static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(name.size())};
  text_.insert(text_.end(), name.begin(), name.end());
  return span;
}

bool CertificateNames::HasNormal(absl::string_view normal) const {
  const NameList list = this->normal();
  return std::find(list.begin(), list.end(), normal) != list.end();
}

void CertificateNames::Add(absl::string_view written, absl::string_view normal) {
  const NameSpan span = Store(written);
  written_.push_back(span);
  if (normal.empty() || HasNormal(normal)) return;
  normal_.push_back(normal == written ? span : Store(normal));
}

void CertificateNames::AddMatchOnly(absl::string_view normal) {
  if (normal.empty() || HasNormal(normal)) return;
  normal_.push_back(Store(normal));
}

void CertificateNames::Reserve(size_t count, size_t bytes) {
  text_.reserve(text_.size() + bytes);
  written_.reserve(written_.size() + count);
  normal_.reserve(normal_.size() + count);
}

void CertificateNames::Clear() {
  text_.clear();
  written_.clear();
  normal_.clear();
}

}  // namespace serialmatch::inventory
